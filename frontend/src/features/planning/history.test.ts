import { describe, expect, it } from "vitest";
import { describeHistoryEntry, type HistoryEntry } from "./history";

function entry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    from_state: null,
    to_state: null,
    from_cycle: null,
    to_cycle: null,
    from_estimate: null,
    to_estimate: null,
    from_assignee: null,
    to_assignee: null,
    added_labels: [],
    removed_labels: [],
    ...overrides,
  };
}

describe("describeHistoryEntry", () => {
  it("says what a state change, cycle move, estimate and assignee change were", () => {
    expect(
      describeHistoryEntry(
        entry({
          from_state: { name: "Todo", type: "unstarted" },
          to_state: { name: "In Progress", type: "started" },
          from_cycle: { number: 11, name: null },
          to_cycle: { number: 12, name: null },
          from_estimate: 2,
          to_estimate: 3,
          to_assignee: "ada",
        }),
      ),
    ).toEqual([
      "State: Todo (to do) → In Progress",
      "Cycle: cycle 11 → cycle 12",
      "Estimate: 2 points → 3 points",
      "Assignee: nobody → ada",
    ]);
  });

  it("names the creation state and a state Linear no longer lists", () => {
    expect(describeHistoryEntry(entry({ to_state: { name: "Triage", type: "triage" } }))).toEqual([
      "Created in Triage",
    ]);
    expect(
      describeHistoryEntry(
        entry({ from_state: { name: null, type: "started" }, to_state: { name: "Done", type: "completed" } }),
      ),
    ).toEqual(["State: In progress (a state Linear no longer lists) → Done"]);
  });

  it("lists label changes", () => {
    expect(describeHistoryEntry(entry({ added_labels: ["incident"], removed_labels: ["bug"] }))).toEqual([
      "Labels added: incident",
      "Labels removed: bug",
    ]);
  });
});
