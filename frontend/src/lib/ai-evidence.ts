/** What a pull request's AI facts say, in words: shared by the PR drawer and the AI impact list. */

const ASSISTED_LABELS: Record<string, string> = {
  high: "AI-assisted (high confidence)",
  low: "AI-assisted (low confidence)",
  none: "No AI evidence",
};

export function assistedLabel(assisted: string): string {
  return ASSISTED_LABELS[assisted] ?? assisted;
}

/** The badge class of an assisted level: high stands out, none stays quiet. */
export function assistedBadge(assisted: string): string {
  if (assisted === "high") return "badge badge-warning";
  if (assisted === "low") return "badge";
  return "badge badge-ok";
}

const EVIDENCE_LABELS: Record<string, string> = {
  ai_share: "AI lines (Cursor AI code tracking)",
  trailer: "Commit trailer",
  agent_author: "Opened by an AI agent",
  label: "Pull request label",
  same_day_usage: "Author used Cursor that day",
};

export function evidenceLabel(kind: string): string {
  return EVIDENCE_LABELS[kind] ?? kind;
}

export interface ReviewFacts {
  reviewed: boolean;
  review_bot: string | null;
  reviewed_at: string | null;
  reviewed_before_merge: boolean | null;
}

/** "Reviewed by greptile-apps[bot] before the merge", or why it counts as not AI-reviewed. */
export function reviewSummary(facts: ReviewFacts): string {
  if (facts.review_bot === null) return "No review bot reviewed it.";
  if (facts.reviewed_before_merge === false)
    return `Reviewed by ${facts.review_bot} after the merge (not counted as AI-reviewed).`;
  if (facts.reviewed_before_merge === null) return `Reviewed by ${facts.review_bot}; not merged yet.`;
  return `Reviewed by ${facts.review_bot} before the merge.`;
}
