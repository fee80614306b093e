import { ExternalLink } from "lucide-react";
import { Link, useLocation } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { Drawer } from "@/components/ui/drawer";
import { LoadingBlock } from "@/components/ui/skeleton";
import { filterSearch } from "@/lib/filters";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useIssue, type IssueDetail } from "../api";
import { describeHistoryEntry } from "../history";
import { evidenceLabel, formatEstimate, stateLabel, stateTypeLabel } from "../issue-words";

function duration(seconds: number | null | undefined): string {
  return seconds !== null && seconds !== undefined ? formatDuration(seconds) : "—";
}

function ToProduction({ issue }: { issue: IssueDetail }) {
  const { to_production: production } = issue;
  if (production.total_seconds === null) {
    return <p className="muted">Not in production yet: no production deployment has shipped a linked, merged PR.</p>;
  }
  return (
    <dl className="facts">
      <div>
        <dt>Issue to production</dt>
        <dd>{duration(production.total_seconds)}</dd>
      </div>
      <div>
        <dt>Before the first PR</dt>
        <dd>{duration(production.before_pr_seconds)}</dd>
      </div>
      <div>
        <dt>PR cycle time</dt>
        <dd>{duration(production.pr_cycle_seconds)}</dd>
      </div>
      <div>
        <dt>Deploy time</dt>
        <dd>{duration(production.deploy_seconds)}</dd>
      </div>
    </dl>
  );
}

/** One issue: its facts, time in each state, history, linked PRs with their evidence, deployments. */
export function IssueDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const detail = useIssue(id);
  const search = filterSearch(useLocation().search);
  const issue = detail.data;
  return (
    <Drawer
      title={issue ? `${issue.identifier} ${issue.title}` : "Issue"}
      titleId="issue-drawer-title"
      onClose={onClose}
    >
      {detail.isPending ? <LoadingBlock label="Loading the issue…" lines={6} /> : null}
      {detail.isError ? <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} /> : null}
      {issue ? (
        <div className="drawer-body">
          <p className="muted">
            {issue.team_key} · {stateLabel(issue.state)}
            {issue.is_canceled ? <span className="badge badge-warning"> Cancelled</span> : null}
            {issue.assignee ? ` · ${issue.assignee}` : ""}
            {issue.project ? ` · ${issue.project}` : ""}
            {issue.cycle_number !== null ? ` · cycle ${issue.cycle_number}` : ""}
            {` · ${formatEstimate(issue.estimate)}`}
          </p>
          {issue.labels.length > 0 ? (
            <p>
              {issue.labels.map((label) => (
                <span key={label} className="chip">
                  {label}
                </span>
              ))}
            </p>
          ) : null}
          {issue.url ? (
            <p>
              <a href={issue.url} target="_blank" rel="noreferrer" className="external-link">
                Open in Linear <ExternalLink size={14} aria-hidden="true" />
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </p>
          ) : null}
          <dl className="facts">
            <div>
              <dt>Lead time</dt>
              <dd>{duration(issue.lead_seconds)}</dd>
            </div>
            <div>
              <dt>Cycle time</dt>
              <dd>{duration(issue.cycle_seconds)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(issue.created_at)}</dd>
            </div>
            <div>
              <dt>Completed</dt>
              <dd>{issue.completed_at ? formatDateTime(issue.completed_at) : "—"}</dd>
            </div>
          </dl>
          <h3>To production</h3>
          <ToProduction issue={issue} />
          <h3>Linked pull requests</h3>
          {issue.links.length === 0 ? (
            <p className="muted">No pull request names this issue (attachment, branch, title or description).</p>
          ) : (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Linked pull requests</caption>
                <thead>
                  <tr>
                    <th scope="col">Pull request</th>
                    <th scope="col">How it was linked</th>
                    <th scope="col">Merged</th>
                    <th scope="col">Deployed</th>
                  </tr>
                </thead>
                <tbody>
                  {issue.links.map((link) => (
                    <tr key={`${link.id}-${link.evidence}`}>
                      <th scope="row">
                        <Link
                          to={{
                            pathname: "/pull-requests",
                            search: `${search ? `${search}&` : "?"}pr=${link.id}`,
                          }}
                        >
                          {link.repository}#{link.number ?? link.id}
                        </Link>{" "}
                        {link.title}
                      </th>
                      <td>
                        {evidenceLabel(link.evidence)}
                        {link.detail ? <span className="muted small"> · {link.detail}</span> : null}
                      </td>
                      <td className="cell-nowrap">{link.merged_at ? formatDateTime(link.merged_at) : link.state}</td>
                      <td className="cell-nowrap">{link.deployed_at ? formatDateTime(link.deployed_at) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>Deployments that shipped them</h3>
          {issue.deployments.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <ul className="plain-list" data-testid="issue-deployments">
              {issue.deployments.map((deployment) => (
                <li key={deployment.id}>
                  {deployment.url ? (
                    <a href={deployment.url} target="_blank" rel="noreferrer">
                      {deployment.environment} · {formatDateTime(deployment.finished_at)}
                    </a>
                  ) : (
                    `${deployment.environment} · ${formatDateTime(deployment.finished_at)}`
                  )}{" "}
                  <span className="muted small">
                    {deployment.source} {deployment.external_id}
                  </span>{" "}
                  {deployment.is_failed ? (
                    <span className="badge badge-bad">
                      Failed{deployment.failure_reason ? `: ${deployment.failure_reason}` : ""}
                    </span>
                  ) : (
                    <span className="badge badge-ok">Succeeded</span>
                  )}
                  {issue.to_production.deployment_id === deployment.id ? (
                    <span className="badge"> First to production</span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <h3>Time in each state</h3>
          {issue.time_in_state.length === 0 ? (
            <p className="muted">No state history.</p>
          ) : (
            <table className="table">
              <caption className="visually-hidden">Time in each state</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {issue.time_in_state.map((entry, index) => (
                  <tr key={`${entry.state.name ?? ""}-${index}`}>
                    <th scope="row">{stateLabel(entry.state)}</th>
                    <td>{formatDuration(entry.seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {Object.keys(issue.time_in_state_type).length > 0 ? (
            <p className="small muted">
              By type:{" "}
              {Object.entries(issue.time_in_state_type)
                .map(([type, seconds]) => `${stateTypeLabel(type)} ${formatDuration(seconds)}`)
                .join(" · ")}
            </p>
          ) : null}
          <h3>History</h3>
          <ol className="timeline" data-testid="issue-history">
            {issue.history.map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                <span>
                  {describeHistoryEntry(entry).join("; ")}
                  {entry.actor ? <span className="muted"> · {entry.actor}</span> : null}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </Drawer>
  );
}
