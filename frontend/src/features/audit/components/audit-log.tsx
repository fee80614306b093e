import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useAuditPage } from "../api";

function formatDetailValue(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="details-list">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{formatDetailValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface AuditLogProps {
  page: number;
  onPageChange: (page: number) => void;
}

/** Who did what, newest first, one page at a time. */
export function AuditLog({ page, onPageChange }: AuditLogProps) {
  const audit = useAuditPage(page);
  const data = audit.data;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;

  return (
    <Card title="Audit log" description="Sign-ins, setting changes and user changes.">
      {audit.isPending ? <LoadingBlock label="Loading the audit log…" lines={5} /> : null}
      {audit.isError ? (
        <ErrorAlert error={audit.error} title="Cannot load the audit log" onRetry={() => void audit.refetch()} />
      ) : null}
      {data && data.items.length === 0 ? <p className="empty">No entries yet.</p> : null}
      {data && data.items.length > 0 ? (
        <>
          <div className="table-scroll" aria-busy={audit.isPlaceholderData || undefined}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">From</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td className="cell-nowrap">{formatDateTime(entry.at)}</td>
                    <td>{entry.actor_email ?? <span className="muted">system</span>}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>{entry.target ?? <span className="muted">—</span>}</td>
                    <td className="cell-nowrap">{entry.client_address}</td>
                    <td>
                      <Details details={entry.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pagination" aria-label="Audit log pages">
            <Button size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
              Previous
            </Button>
            <span>
              Page {data.page} of {pageCount} ({data.total} {data.total === 1 ? "entry" : "entries"})
            </span>
            <Button
              size="sm"
              disabled={page >= pageCount || audit.isPlaceholderData}
              onClick={() => onPageChange(page + 1)}
            >
              Next
            </Button>
          </nav>
        </>
      ) : null}
    </Card>
  );
}
