import { ExternalLink } from "lucide-react";
import { ErrorAlert } from "@/components/ui/alert";
import { Drawer } from "@/components/ui/drawer";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useDeployment, useDeploymentErrors, type SentryIssue } from "../api";
import { ErrorImpact } from "./error-impact";
import { FailureCauses } from "./failure-causes";

function IssueLine({ issue }: { issue: SentryIssue }) {
  return (
    <>
      {issue.url ? (
        <a href={issue.url} target="_blank" rel="noreferrer">
          {issue.short_id}
        </a>
      ) : (
        issue.short_id
      )}{" "}
      {issue.title}{" "}
      <span className="muted small">
        · {issue.level} · {issue.event_count} events, {issue.user_count} users
      </span>
      {issue.incident_reason ? <p className="small">{issue.incident_reason}</p> : null}
    </>
  );
}

function SentrySection({ id }: { id: number }) {
  const errors = useDeploymentErrors(id);
  if (errors.isPending) return <LoadingBlock label="Loading its Sentry errors…" lines={3} />;
  if (errors.isError) return <ErrorAlert error={errors.error} onRetry={() => void errors.refetch()} />;
  const found = errors.data;
  return (
    <>
      <h3>Sentry issues that failed it</h3>
      {found.failing_issues.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain-list" data-testid="deployment-failing-issues">
          {found.failing_issues.map((issue) => (
            <li key={issue.id}>
              <IssueLine issue={issue} />
            </li>
          ))}
        </ul>
      )}
      <h3>Errors around it</h3>
      <ErrorImpact errors={found} />
      {found.after.new_issue_list.length > 0 ? (
        <>
          <h4>New issues in the 24 h after</h4>
          <ul className="plain-list">
            {found.after.new_issue_list.slice(0, 10).map((issue) => (
              <li key={issue.id}>
                <IssueLine issue={issue} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** One deployment: its result and why it failed, what it shipped, and its Sentry errors. */
export function DeploymentDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const deployment = useDeployment(id);
  const found = deployment.data;
  return (
    <Drawer title={`Deployment ${id}`} titleId="deployment-drawer-title" onClose={onClose}>
      {deployment.isPending ? <LoadingBlock label="Loading the deployment…" lines={6} /> : null}
      {deployment.isError ? <ErrorAlert error={deployment.error} onRetry={() => void deployment.refetch()} /> : null}
      {found ? (
        <div className="drawer-body" data-testid="deployment-drawer">
          <p className="muted">
            {found.repository} · {found.environment} · finished {formatDateTime(found.finished_at)}
            {found.commit_sha ? <> · {found.commit_sha.slice(0, 12)}</> : null}
          </p>
          {found.url ? (
            <p>
              <a href={found.url} target="_blank" rel="noreferrer" className="external-link">
                Open at its source <ExternalLink size={14} aria-hidden="true" />
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </p>
          ) : null}
          <h3>Result</h3>
          {found.is_failed ? (
            <>
              <p>
                <span className="badge badge-bad">Failed</span>
                {found.recovery_seconds !== null ? (
                  <span className="muted small"> Recovered in {formatDuration(found.recovery_seconds)}</span>
                ) : null}
              </p>
              <FailureCauses causes={found.failure_causes} />
            </>
          ) : (
            <p>
              <span className="badge badge-ok">{found.status === "success" ? "Succeeded" : found.status}</span>
            </p>
          )}
          {found.is_rework ? <p className="small">Rework: {found.rework_reason}</p> : null}
          <SentrySection id={id} />
          <h3>Shipped</h3>
          {found.pull_requests.length === 0 ? (
            <p className="muted">No PR linked.</p>
          ) : (
            <ul className="plain-list">
              {found.pull_requests.map((pr) => (
                <li key={pr.id}>
                  #{pr.number ?? pr.id} {pr.title}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </Drawer>
  );
}
