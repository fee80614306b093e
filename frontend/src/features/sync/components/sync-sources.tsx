import { Link } from "react-router-dom";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatAgo, formatDateTime } from "@/lib/format";
import { useCancelRun, useStartSync, useSyncStatus } from "../api";
import { runDuration, runErrorWords, sourceTitle, statusWords } from "../describe";
import type { SourceSyncStatus, SyncRun } from "../types";
import { SyncProgress } from "./sync-progress";

function RunSummary({ run }: { run: SyncRun }) {
  const error = runErrorWords(run);
  const duration = runDuration(run);
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Last run</dt>
          <dd>
            <span className={`badge run-${run.status}`}>{statusWords(run.status)}</span>{" "}
            {formatDateTime(run.finished_at ?? run.created_at)}
          </dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>
            {run.items} items with {run.requests_used} requests{duration ? ` in ${duration}` : ""}
          </dd>
        </div>
        {run.rate_limit_remaining !== null ? (
          <div>
            <dt>API calls left this hour</dt>
            <dd>{run.rate_limit_remaining}</dd>
          </div>
        ) : null}
      </dl>
      {error ? (
        <Alert variant={run.status === "budget_exhausted" ? "warning" : "error"} role="note">
          {error}
        </Alert>
      ) : null}
    </>
  );
}

function SourceCard({ source, isAdmin }: { source: SourceSyncStatus; isAdmin: boolean }) {
  const start = useStartSync();
  const cancel = useCancelRun();
  const active = source.current_run;
  return (
    <Card
      title={sourceTitle(source.source)}
      headingLevel={2}
      description={
        source.configured
          ? `Last success ${formatAgo(source.last_success_at)}${source.next_run_at ? ` · next run ${formatDateTime(source.next_run_at)}` : ""}`
          : "Not configured"
      }
      actions={
        isAdmin && source.configured ? (
          active ? (
            <Button size="sm" busy={cancel.isPending} onClick={() => cancel.mutate(active.id)}>
              Cancel
            </Button>
          ) : (
            <Button
              size="sm"
              variant="primary"
              busy={start.isPending}
              onClick={() => start.mutate(source.source)}
              aria-label={`Sync ${sourceTitle(source.source)} now`}
            >
              Sync now
            </Button>
          )
        ) : null
      }
    >
      {start.isError ? <ErrorAlert error={start.error} title="Cannot start the sync" /> : null}
      {cancel.isError ? <ErrorAlert error={cancel.error} title="Cannot cancel the sync" /> : null}
      {!source.configured ? (
        <p className="muted">
          Add its credentials in <Link to="/settings">Settings</Link> to start syncing.
        </p>
      ) : null}
      {active ? <SyncProgress run={active} /> : null}
      {source.last_run ? (
        <RunSummary run={source.last_run} />
      ) : source.configured && !active ? (
        <p className="muted">Not synced yet.</p>
      ) : null}
    </Card>
  );
}

/** Each source's state, its current run's live progress and its last run, with "Sync now". */
export function SyncSources({ isAdmin }: { isAdmin: boolean }) {
  const status = useSyncStatus();
  const startAll = useStartSync();
  if (status.isPending) return <LoadingBlock label="Loading the sync status…" lines={5} />;
  if (status.isError) {
    return (
      <ErrorAlert error={status.error} title="Cannot load the sync status" onRetry={() => void status.refetch()} />
    );
  }
  const configured = status.data.sources.filter((source) => source.configured);
  return (
    <div className="stack">
      {isAdmin && configured.length > 1 ? (
        <div>
          <Button variant="primary" busy={startAll.isPending} onClick={() => startAll.mutate(null)}>
            Sync all sources now
          </Button>
        </div>
      ) : null}
      {startAll.isError ? <ErrorAlert error={startAll.error} title="Cannot start the sync" /> : null}
      {status.data.sources.length === 0 ? <p className="empty">No sources.</p> : null}
      <div className="grid">
        {status.data.sources.map((source) => (
          <SourceCard key={source.source} source={source} isAdmin={isAdmin} />
        ))}
      </div>
    </div>
  );
}
