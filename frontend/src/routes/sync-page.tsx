import { useSearchParams } from "react-router-dom";
import { useCurrentUser } from "@/features/auth/api";
import { SyncRuns } from "@/features/sync/components/sync-runs";
import { SyncSources } from "@/features/sync/components/sync-sources";
import { usePageTitle } from "./use-page-title";

export function SyncPage() {
  usePageTitle("Sync");
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  return (
    <>
      <h1>Sync</h1>
      <p className="muted page-intro">
        Veelocity reads each source on a schedule. Start a sync by hand here; its progress shows live.
      </p>
      <SyncSources isAdmin={user.role === "admin"} />
      <SyncRuns
        page={page}
        onPageChange={(next) =>
          setParams((current) => {
            const updated = new URLSearchParams(current);
            updated.set("page", String(next));
            return updated;
          })
        }
      />
    </>
  );
}
