import { useSaveIncidentPatterns } from "../api";
import { PatternsPanel } from "./patterns-form";

export function IncidentPatternsPanel({ readOnly }: { readOnly: boolean }) {
  const save = useSaveIncidentPatterns();
  return (
    <PatternsPanel
      readOnly={readOnly}
      description="Labels that mark a GitHub issue as an incident (case-insensitive, whole label). Saving decides again, at once, which synced issues are incidents."
      select={(settings) => settings.incident_patterns}
      save={save}
      text={{
        label: "Incident patterns",
        hint: "Comma-separated labels, e.g. incident, outage.",
        submit: "Save incident patterns",
      }}
    />
  );
}
