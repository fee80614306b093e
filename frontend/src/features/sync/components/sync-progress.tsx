import { formatAgo } from "@/lib/format";
import { runDuration, runProgress, streamTitle } from "../describe";
import type { SyncRun } from "../types";

/** Live progress of a queued or running run: the stream it is on, items and requests so far. */
export function SyncProgress({ run }: { run: SyncRun }) {
  const progress = runProgress(run);
  const duration = runDuration(run);
  return (
    <div className="sync-progress" data-testid="sync-progress" role="status" aria-live="polite">
      <p>
        {run.status === "queued"
          ? `Waiting to start (requested ${formatAgo(run.created_at)}).`
          : `Reading ${run.current_stream ? streamTitle(run.current_stream).toLowerCase() : "data"}: ${run.items} items, ${run.requests_used} requests${duration ? `, ${duration}` : ""}.`}
      </p>
      {progress ? (
        <progress max={progress.total} value={progress.done} aria-label="Streams done">
          {progress.done} of {progress.total} streams
        </progress>
      ) : (
        <progress aria-label="Sync in progress" />
      )}
      {run.streams.length > 0 ? (
        <ul className="stream-list">
          {run.streams.map((stream) => (
            <li key={stream.name} className={stream.done ? "stream-done" : undefined}>
              {streamTitle(stream.name)}: {stream.items} items {stream.done ? "(done)" : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
