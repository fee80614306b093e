import { useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDateTime } from "@/lib/format";
import { useDeployments, useDeploymentsErrors } from "../api";
import { withDeployment } from "../deployment-param";
import { changeLabel } from "./error-impact";
import { Paging } from "./paging";

/** Each production deployment of the window with its Sentry errors in the 24 h before and after
 * it, and the Sentry issues that failed it. */
export function DeploymentImpactTable({ filters }: { filters: GlobalFilters }) {
  const [page, setPage] = useState(1);
  const deployments = useDeployments({ filters, periodStart: null, page });
  const items = deployments.data?.items ?? [];
  const errors = useDeploymentsErrors(items.map((deployment) => deployment.id));
  const { search } = useLocation();
  if (deployments.isPending) return <LoadingBlock label="Loading deployments…" />;
  if (deployments.isError) return <ErrorAlert error={deployments.error} onRetry={() => void deployments.refetch()} />;
  if (items.length === 0) return <p className="empty">No production deployment in this window.</p>;
  const { total, page_size: pageSize } = deployments.data;
  return (
    <>
      <div className="table-scroll">
        <table className="table" data-testid="deployment-impact">
          <caption className="visually-hidden">Errors 24 h before and after each deployment</caption>
          <thead>
            <tr>
              <th scope="col">Deployment</th>
              <th scope="col">Repository</th>
              <th scope="col">Error events before → after</th>
              <th scope="col">New issues before → after</th>
              <th scope="col">Failed by Sentry</th>
            </tr>
          </thead>
          <tbody>
            {items.map((deployment, index) => {
              const found = errors[index]?.data;
              return (
                <tr key={deployment.id} className={deployment.is_failed ? "row-failed" : undefined}>
                  <td className="cell-nowrap">
                    <Link to={{ search: withDeployment(search, deployment.id) }}>Deployment {deployment.id}</Link>
                    <br />
                    <span className="muted small">{formatDateTime(deployment.finished_at)}</span>
                  </td>
                  <td>{deployment.repository}</td>
                  {found === undefined ? (
                    <td colSpan={3} className="muted">
                      {errors[index]?.isError ? "Cannot load its errors." : "Loading…"}
                    </td>
                  ) : found.project_ids.length === 0 ? (
                    <td colSpan={3} className="muted">
                      No Sentry project follows this repository.
                    </td>
                  ) : (
                    <>
                      <td className="cell-nowrap">
                        {Math.round(found.before.error_events)} → {Math.round(found.after.error_events)}{" "}
                        <span className="muted small">
                          ({changeLabel(found.before.error_events, found.after.error_events)})
                        </span>
                      </td>
                      <td className="cell-nowrap">
                        {found.before.new_issues} → {found.after.new_issues}
                      </td>
                      <td>
                        {found.failing_issues.length === 0 ? (
                          <span className="muted">—</span>
                        ) : (
                          <ul className="plain-list">
                            {found.failing_issues.map((issue) => (
                              <li key={issue.id}>
                                <span className="badge badge-bad">{issue.short_id}</span> {issue.title}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Paging page={page} pageSize={pageSize} total={total} label="Deployment pages" onPage={setPage} />
    </>
  );
}
