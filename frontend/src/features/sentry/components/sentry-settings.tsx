import { Card } from "@/components/ui/card";
import { ProjectMapping } from "./project-mapping";
import { ThresholdPreview } from "./threshold-preview";

/** Settings → Sentry: the project → repository mapping, and a preview of other thresholds. */
export function SentrySettings({ readOnly }: { readOnly: boolean }) {
  return (
    <div className="stack">
      <Card
        title="Projects and repositories"
        description="A project's releases map to its repository's deployments, and its incidents are attributed to them. Veelocity finds the repository by the project's name or by its releases' commits; choosing one here keeps it through syncs."
      >
        <ProjectMapping readOnly={readOnly} />
      </Card>
      {readOnly ? null : (
        <Card
          title="Incident thresholds"
          description="An issue in production, at one of these levels, becomes an incident with this many events or users within 24 hours of its first event or of a regression. Try other values on the stored issues; the ones in use come from SENTRY_INCIDENT_MIN_EVENTS, SENTRY_INCIDENT_MIN_USERS and SENTRY_INCIDENT_LEVELS (100, 10 and error, fatal unless set)."
        >
          <ThresholdPreview />
        </Card>
      )}
    </div>
  );
}
