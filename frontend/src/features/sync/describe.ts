import { formatDateTime, formatDuration } from "@/lib/format";
import type { SyncRun, SyncStatusName } from "./types";

const STATUS_WORDS: Record<SyncStatusName, string> = {
  queued: "Waiting to start",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  budget_exhausted: "Paused: API budget used up",
};

export function statusWords(status: SyncStatusName): string {
  return STATUS_WORDS[status] ?? status;
}

export function sourceTitle(source: string): string {
  const names: Record<string, string> = { github: "GitHub", linear: "Linear", sentry: "Sentry", cursor: "Cursor" };
  return names[source] ?? source.charAt(0).toUpperCase() + source.slice(1);
}

export function streamTitle(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How far a run got: streams done of all, for a progress bar. Null when unknown. */
export function runProgress(run: SyncRun): { done: number; total: number } | null {
  if (run.streams.length === 0) return null;
  return { done: run.streams.filter((stream) => stream.done).length, total: run.streams.length };
}

/** How long the run took, or has been running. */
export function runDuration(run: SyncRun, now: Date = new Date()): string | null {
  if (!run.started_at) return null;
  const end = run.finished_at ? new Date(run.finished_at) : now;
  return formatDuration((end.getTime() - new Date(run.started_at).getTime()) / 1000);
}

/** The run's error in plain words, with when to retry when the upstream said so. */
export function runErrorWords(run: SyncRun): string | null {
  if (!run.error) return null;
  const retry = run.error.resets_at ? ` It can go on after ${formatDateTime(run.error.resets_at)}.` : "";
  return `${run.error.message}${retry}`;
}
