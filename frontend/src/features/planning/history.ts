import { formatEstimate, stateLabel } from "./issue-words";

/** One history entry of an issue, as the API gives it. */
export interface HistoryEntry {
  from_state: { name: string | null; type: string | null } | null;
  to_state: { name: string | null; type: string | null } | null;
  from_cycle: { number: number | null; name: string | null } | null;
  to_cycle: { number: number | null; name: string | null } | null;
  from_estimate: number | null;
  to_estimate: number | null;
  from_assignee: string | null;
  to_assignee: string | null;
  added_labels: string[];
  removed_labels: string[];
}

function cycleName(cycle: { number: number | null; name: string | null } | null): string {
  if (cycle === null) return "no cycle";
  if (cycle.name) return cycle.name;
  return cycle.number !== null ? `cycle ${cycle.number}` : "a cycle no longer listed";
}

/** What an entry changed, one line per field ("State: Todo → In Progress (in progress)"). */
export function describeHistoryEntry(entry: HistoryEntry): string[] {
  const lines: string[] = [];
  if (entry.from_state !== null || entry.to_state !== null) {
    lines.push(
      entry.from_state === null
        ? `Created in ${stateLabel(entry.to_state)}`
        : `State: ${stateLabel(entry.from_state)} → ${stateLabel(entry.to_state)}`,
    );
  }
  if (entry.from_cycle !== null || entry.to_cycle !== null) {
    lines.push(`Cycle: ${cycleName(entry.from_cycle)} → ${cycleName(entry.to_cycle)}`);
  }
  if (entry.from_estimate !== entry.to_estimate) {
    lines.push(`Estimate: ${formatEstimate(entry.from_estimate)} → ${formatEstimate(entry.to_estimate)}`);
  }
  if (entry.from_assignee !== entry.to_assignee) {
    lines.push(`Assignee: ${entry.from_assignee ?? "nobody"} → ${entry.to_assignee ?? "nobody"}`);
  }
  if (entry.added_labels.length > 0) lines.push(`Labels added: ${entry.added_labels.join(", ")}`);
  if (entry.removed_labels.length > 0) lines.push(`Labels removed: ${entry.removed_labels.join(", ")}`);
  return lines.length > 0 ? lines : ["Updated"];
}
