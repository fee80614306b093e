import { useSyncStatus } from "../api";

/** "Demo data" next to the brand when the instance syncs from the built-in demo upstream. */
export function DemoBadge() {
  const status = useSyncStatus();
  if (!status.data?.demo) return null;
  return (
    <span className="demo-badge" title="This instance shows a generated demo organisation, not real data.">
      Demo data
    </span>
  );
}
