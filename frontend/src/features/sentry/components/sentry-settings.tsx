import { Card } from "@/components/ui/card";
import { ProjectMapping } from "./project-mapping";
import { IncidentThresholds } from "./incident-thresholds";

/** Settings → Sentry: the project → repository mapping, and the incident thresholds. */
export function SentrySettings({ readOnly }: { readOnly: boolean }) {
  return (
    <div className="stack">
      <Card
        title="Projects and repositories"
        description="A project's releases map to its repository's deployments, and its incidents are attributed to them. Veelocity finds the repository by the project's name or by its releases' commits; choosing one here keeps it through syncs."
      >
        <ProjectMapping readOnly={readOnly} />
      </Card>
      <Card
        title="Incident thresholds"
        description="An issue in production, at one of these levels, becomes an incident — and fails the deployment it is attributed to — with this many events or users within 24 hours of its first event or of a regression. Preview other thresholds on the stored issues before saving them; saving decides again at once which issues are incidents."
      >
        <IncidentThresholds readOnly={readOnly} />
      </Card>
    </div>
  );
}
