import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useIncidents } from "../api";
import { Paging } from "./paging";

/** The incidents behind a chart point, with the deployment each is attributed to. */
export function IncidentList({ filters, periodStart }: { filters: GlobalFilters; periodStart: string | null }) {
  const [page, setPage] = useState(1);
  const incidents = useIncidents({ filters, periodStart, page });
  if (incidents.isPending) return <LoadingBlock label="Loading incidents…" />;
  if (incidents.isError) return <ErrorAlert error={incidents.error} onRetry={() => void incidents.refetch()} />;
  const { items, total, page_size: pageSize } = incidents.data;
  if (items.length === 0) return <p className="empty">No incidents in this period.</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Incidents</caption>
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Started</th>
              <th scope="col">Recovery time</th>
              <th scope="col">Attributed to</th>
            </tr>
          </thead>
          <tbody>
            {items.map((incident) => (
              <tr key={incident.id}>
                <th scope="row">
                  {incident.url ? (
                    <a href={incident.url} target="_blank" rel="noreferrer">
                      {incident.external_id}
                    </a>
                  ) : (
                    incident.external_id
                  )}{" "}
                  {incident.title}
                  <span className="muted small"> · {incident.source}</span>
                </th>
                <td className="cell-nowrap">{formatDateTime(incident.started_at)}</td>
                <td className="cell-nowrap">
                  {incident.recovery_seconds !== null ? formatDuration(incident.recovery_seconds) : "Still open"}
                </td>
                <td>
                  {incident.deployment
                    ? `${incident.deployment.repository} deployment of ${formatDateTime(incident.deployment.finished_at)}`
                    : "No deployment"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Paging page={page} pageSize={pageSize} total={total} label="Incident pages" onPage={setPage} />
    </>
  );
}
