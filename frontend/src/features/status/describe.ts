import { formatDuration } from "@/lib/format";
import type { JobStatus, SourceStatus } from "./types";

const SOURCE_TITLES: Record<string, string> = {
  github: "GitHub",
  linear: "Linear",
  sentry: "Sentry",
  cursor: "Cursor",
  greptile: "Greptile",
};

const JOB_TITLES: Record<string, string> = {
  github: "GitHub and GitHub Actions",
  fill_pr_details: "Fill PR details",
};

export function sourceTitle(source: string): string {
  return SOURCE_TITLES[source] ?? source;
}

export function jobTitle(name: string): string {
  return JOB_TITLES[name] ?? sourceTitle(name);
}

/** What a source that nothing reads says instead of a sync state. */
export function notSyncedYet(source: SourceStatus): string {
  return `Not synced yet: Veelocity does not read ${sourceTitle(source.source)} yet`;
}

/** The stored credentials of a source, in the words that fit whether it syncs. */
export function credentialsWords(source: SourceStatus): string {
  if (source.syncs) return source.configured ? "Configured" : "Not configured";
  return source.configured ? "Saved" : "Not saved";
}

export function jobInterval(job: JobStatus): string {
  return `Every ${formatDuration(job.interval_seconds)}`;
}

export type OutcomeTone = "ok" | "bad" | "neutral";

/** The job's latest outcome in plain words, and how it should look. */
export function jobOutcome(job: JobStatus): { words: string; tone: OutcomeTone } {
  if (!job.registered) {
    return { words: `Not scheduled: Veelocity does not sync ${jobTitle(job.name)} yet`, tone: "neutral" };
  }
  if (job.running_here) return { words: "Running in this process", tone: "neutral" };
  switch (job.last_status) {
    case null:
      return { words: "Not run yet", tone: "neutral" };
    case "running":
      return { words: "Running", tone: "neutral" };
    case "succeeded":
      return { words: "Succeeded", tone: "ok" };
    case "skipped":
      return { words: "Skipped: its source is not set up", tone: "neutral" };
    case "failed":
      return { words: job.last_error ? `Failed: ${job.last_error}` : "Failed", tone: "bad" };
    default:
      return { words: job.last_status, tone: "neutral" };
  }
}
