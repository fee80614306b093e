import type { PullRequestDetail } from "./api";

export interface TimelineEntry {
  at: string;
  title: string;
  actor: string | null;
}

const EVENT_TITLES: Record<string, string> = {
  review_requested: "Review requested",
  ready_for_review: "Marked ready for review",
  comment: "Commented",
  review_comment: "Commented on the diff",
};

const REVIEW_TITLES: Record<string, string> = {
  APPROVED: "Approved",
  CHANGES_REQUESTED: "Requested changes",
  COMMENTED: "Reviewed with comments",
  DISMISSED: "Review dismissed",
};

/** The PR's life in time order: first commit, opened, reviews and comments, merged, deployed. */
export function buildTimeline(pr: PullRequestDetail): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (pr.first_commit_at) entries.push({ at: pr.first_commit_at, title: "First commit", actor: pr.author });
  entries.push({
    at: pr.opened_at ?? pr.created_at,
    title: pr.is_draft ? "Opened as draft" : "Opened",
    actor: pr.author,
  });
  for (const event of pr.timeline) {
    let title = EVENT_TITLES[event.kind] ?? event.kind.replace(/_/g, " ");
    if (event.kind === "review") title = REVIEW_TITLES[event.state ?? ""] ?? "Reviewed";
    if (event.kind === "review_requested" && event.subject) title = `Review requested from ${event.subject}`;
    entries.push({ at: event.at, title, actor: event.actor });
  }
  if (pr.merged_at) entries.push({ at: pr.merged_at, title: "Merged", actor: null });
  if (pr.deployment) {
    const where = pr.deployment.environment;
    const failed = pr.deployment.is_failed ? ` (counted as failed: ${pr.deployment.failure_reason ?? "failed"})` : "";
    entries.push({ at: pr.deployment.finished_at, title: `Deployed to ${where}${failed}`, actor: null });
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
