import { useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useDeployments } from "../api";
import { withDeployment } from "../deployment-param";
import { FailureCauses } from "./failure-causes";
import { Paging } from "./paging";

export interface DeploymentListProps {
  filters: GlobalFilters;
  periodStart: string | null;
  failed?: boolean;
  rework?: boolean;
}

/** The deployments behind a chart point; a failed one says why it counted as failed. Each links
 * to its drawer (its Sentry errors, and the deployment a rollback went back with). */
export function DeploymentList({ filters, periodStart, failed, rework }: DeploymentListProps) {
  const [page, setPage] = useState(1);
  const deployments = useDeployments({ filters, periodStart, page, failed, rework });
  const { search } = useLocation();
  if (deployments.isPending) return <LoadingBlock label="Loading deployments…" />;
  if (deployments.isError) return <ErrorAlert error={deployments.error} onRetry={() => void deployments.refetch()} />;
  const { items, total, page_size: pageSize } = deployments.data;
  if (items.length === 0) {
    const kind = failed ? "failed deployments" : rework ? "rework deployments" : "deployments";
    return <p className="empty">No {kind} in this period.</p>;
  }
  return (
    <>
      <p className="muted small">
        {total} {total === 1 ? "deployment" : "deployments"}
      </p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Deployments</caption>
          <thead>
            <tr>
              <th scope="col">Finished</th>
              <th scope="col">Repository</th>
              <th scope="col">Result</th>
              <th scope="col">Shipped</th>
              <th scope="col">Lead time (median)</th>
            </tr>
          </thead>
          <tbody>
            {items.map((deployment) => (
              <tr key={deployment.id} className={deployment.is_failed ? "row-failed" : undefined}>
                <td className="cell-nowrap">
                  {deployment.url ? (
                    <a href={deployment.url} target="_blank" rel="noreferrer">
                      {formatDateTime(deployment.finished_at)}
                    </a>
                  ) : (
                    formatDateTime(deployment.finished_at)
                  )}
                  <br />
                  <Link className="small" to={{ search: withDeployment(search, deployment.id) }}>
                    Deployment {deployment.id}
                  </Link>
                </td>
                <td>
                  {deployment.repository}
                  <span className="muted small"> · {deployment.environment}</span>
                </td>
                <td>
                  {deployment.is_failed ? (
                    <>
                      <span className="badge badge-bad">Failed</span>
                      <FailureCauses causes={deployment.failure_causes} />
                      {deployment.recovery_seconds !== null ? (
                        <span className="muted small">Recovered in {formatDuration(deployment.recovery_seconds)}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="badge badge-ok">Succeeded</span>
                  )}
                  {deployment.is_rework ? (
                    <p className="small">Rework: {deployment.rework_reason ?? "ships a revert or hotfix"}</p>
                  ) : null}
                </td>
                <td>
                  {deployment.pull_requests.length === 0 ? (
                    <span className="muted">No PR linked</span>
                  ) : (
                    <ul className="plain-list">
                      {deployment.pull_requests.slice(0, 5).map((pr) => (
                        <li key={pr.id}>
                          {pr.url ? (
                            <a href={pr.url} target="_blank" rel="noreferrer">
                              #{pr.number ?? pr.id}
                            </a>
                          ) : (
                            `#${pr.number ?? pr.id}`
                          )}{" "}
                          {pr.title}
                        </li>
                      ))}
                      {deployment.pull_requests.length > 5 ? (
                        <li className="muted">and {deployment.pull_requests.length - 5} more</li>
                      ) : null}
                    </ul>
                  )}
                </td>
                <td className="cell-nowrap">
                  {deployment.median_lead_time_seconds !== null
                    ? formatDuration(deployment.median_lead_time_seconds)
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Paging page={page} pageSize={pageSize} total={total} label="Deployment pages" onPage={setPage} />
    </>
  );
}
