/** Words for Linear's state types and link evidence, as people read them. */

const STATE_TYPES: Record<string, string> = {
  triage: "Triage",
  backlog: "Backlog",
  unstarted: "To do",
  started: "In progress",
  completed: "Done",
  canceled: "Cancelled",
};

export function stateTypeLabel(type: string | null | undefined): string {
  return type ? (STATE_TYPES[type] ?? type) : "Unknown";
}

/** "In Review (in progress)": the team's own state name with its type. */
export function stateLabel(state: { name: string | null; type: string | null } | null): string {
  if (state === null) return "—";
  const type = stateTypeLabel(state.type);
  if (state.name === null) return `${type} (a state Linear no longer lists)`;
  return state.name.toLowerCase() === type.toLowerCase() ? state.name : `${state.name} (${type.toLowerCase()})`;
}

const EVIDENCE: Record<string, string> = {
  attachment: "Linear attachment",
  branch: "Branch name",
  title: "PR title",
  body: "PR description",
};

/** How a link between an issue and a pull request was found. */
export function evidenceLabel(evidence: string): string {
  return EVIDENCE[evidence] ?? evidence;
}

export function formatEstimate(points: number | null | undefined): string {
  if (points === null || points === undefined) return "—";
  const rounded = Math.round(points * 10) / 10;
  return `${rounded} ${rounded === 1 ? "point" : "points"}`;
}
