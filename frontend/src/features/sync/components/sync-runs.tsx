import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useSyncRuns } from "../api";
import { runDuration, runErrorWords, sourceTitle, statusWords } from "../describe";

/** The history of runs, newest first. */
export function SyncRuns({ page, onPageChange }: { page: number; onPageChange: (page: number) => void }) {
  const runs = useSyncRuns(page);
  const lastPage = runs.data ? Math.max(1, Math.ceil(runs.data.total / runs.data.page_size)) : 1;
  return (
    <Card title="Recent runs">
      {runs.isPending ? <LoadingBlock label="Loading runs…" /> : null}
      {runs.isError ? <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      {runs.data && runs.data.items.length === 0 ? <p className="empty">No runs yet.</p> : null}
      {runs.data && runs.data.items.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Source</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Items</th>
                <th scope="col">Duration</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((run) => (
                <tr key={run.id}>
                  <td className="cell-nowrap">{formatDateTime(run.started_at ?? run.created_at)}</td>
                  <td>
                    {sourceTitle(run.source)}
                    {run.job !== run.source ? (
                      <span className="muted small"> ({run.job.replace(/_/g, " ")})</span>
                    ) : null}
                  </td>
                  <td>{run.trigger}</td>
                  <td>
                    <span className={`badge run-${run.status}`}>{statusWords(run.status)}</span>
                  </td>
                  <td>{run.items}</td>
                  <td className="cell-nowrap">{runDuration(run) ?? "—"}</td>
                  <td>{runErrorWords(run) ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {lastPage > 1 ? (
        <nav className="pagination" aria-label="Runs pages">
          <Button size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
            Previous
          </Button>
          <span>
            Page {page} of {lastPage}
          </span>
          <Button size="sm" disabled={page >= lastPage} onClick={() => onPageChange(page + 1)}>
            Next
          </Button>
        </nav>
      ) : null}
    </Card>
  );
}
