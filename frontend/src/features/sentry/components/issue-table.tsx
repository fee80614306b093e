import type { ReactNode } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDateTime } from "@/lib/format";
import { useSentryIssues } from "../api";

export interface SentryIssueTableProps {
  filters: GlobalFilters;
  /** true: the issues that became incidents; false: the ones that did not cross the thresholds. */
  incident: boolean;
  /** A link to a deployment (its drawer), given by the page. */
  deploymentLink: (id: number) => ReactNode;
}

/** Sentry issues seen in the window, each with why it is (or is not) an incident. */
export function SentryIssueTable({ filters, incident, deploymentLink }: SentryIssueTableProps) {
  const issues = useSentryIssues(filters, incident);
  if (issues.isPending) return <LoadingBlock label="Loading Sentry issues…" lines={4} />;
  if (issues.isError) return <ErrorAlert error={issues.error} onRetry={() => void issues.refetch()} />;
  const items = issues.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <p className="empty">
        {incident ? "No Sentry issue became an incident in this window." : "No other Sentry issue in this window."}
      </p>
    );
  }
  return (
    <>
      <div className="table-scroll">
        <table className="table" data-testid={incident ? "sentry-incidents" : "sentry-non-incidents"}>
          <caption className="visually-hidden">
            {incident ? "Sentry issues that became incidents" : "Sentry issues below the thresholds"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Issue</th>
              <th scope="col">Project</th>
              <th scope="col">First seen</th>
              <th scope="col">Events · users</th>
              <th scope="col">{incident ? "Why an incident" : "Why not"}</th>
              <th scope="col">First release</th>
            </tr>
          </thead>
          <tbody>
            {items.map((issue) => (
              <tr key={issue.id}>
                <td>
                  {issue.url ? (
                    <a href={issue.url} target="_blank" rel="noreferrer">
                      {issue.short_id}
                    </a>
                  ) : (
                    issue.short_id
                  )}{" "}
                  {issue.title}
                  <br />
                  <span className="muted small">
                    {issue.level} · {issue.status}
                    {issue.substatus ? ` (${issue.substatus})` : ""}
                    {issue.environment ? ` · ${issue.environment}` : ""}
                  </span>
                </td>
                <td>{issue.project}</td>
                <td className="cell-nowrap">{formatDateTime(issue.first_seen)}</td>
                <td className="cell-nowrap">
                  {issue.event_count.toLocaleString("en")} · {issue.user_count.toLocaleString("en")}
                </td>
                <td>{issue.incident_reason ?? <span className="muted">Not judged yet</span>}</td>
                <td>
                  {issue.first_release ? <span className="small">{issue.first_release.slice(0, 24)}</span> : "—"}
                  {issue.first_release_deployment_id !== null ? (
                    <>
                      <br />
                      {deploymentLink(issue.first_release_deployment_id)}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {issues.hasNextPage ? (
        <Button size="sm" busy={issues.isFetchingNextPage} onClick={() => void issues.fetchNextPage()}>
          More issues
        </Button>
      ) : null}
    </>
  );
}
