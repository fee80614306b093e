/** Words for a PR's linked issues: their state type and how each link was found. */

const STATES: Record<string, string> = {
  triage: "triage",
  backlog: "backlog",
  unstarted: "to do",
  started: "in progress",
  completed: "done",
  canceled: "cancelled",
};

export function linkedIssueState(type: string | null): string {
  return type ? (STATES[type] ?? type) : "state unknown";
}

const EVIDENCE: Record<string, string> = {
  attachment: "its Linear attachment",
  branch: "the branch name",
  title: "the PR title",
  body: "the PR description",
};

export function linkEvidenceLabel(evidence: string): string {
  return EVIDENCE[evidence] ?? evidence;
}
