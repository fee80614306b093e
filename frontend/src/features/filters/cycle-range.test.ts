import { describe, expect, it } from "vitest";
import { cycleLabel, cycleRange, cyclesByTeam, type CycleDates } from "./cycle-range";

function cycle(overrides: Partial<CycleDates> = {}): CycleDates {
  return {
    id: 1,
    number: 12,
    name: null,
    team_key: "ENG",
    team_name: "Engineering",
    linear_team_id: 1,
    starts_at: "2025-02-24T00:00:00Z",
    ends_at: "2025-03-10T00:00:00Z",
    ...overrides,
  };
}

const today = new Date("2025-03-20T09:00:00Z");

describe("cycleRange", () => {
  it("covers the days from the start to the day before the end", () => {
    expect(cycleRange(cycle(), today)).toEqual({ start: "2025-02-24", end: "2025-03-09" });
  });

  it("keeps the last day of a cycle that ends during a day", () => {
    expect(cycleRange(cycle({ ends_at: "2025-03-09T17:00:00Z" }), today)?.end).toBe("2025-03-09");
  });

  it("ends today for the current cycle", () => {
    expect(cycleRange(cycle({ starts_at: "2025-03-17T00:00:00Z", ends_at: "2025-03-31T00:00:00Z" }), today)).toEqual({
      start: "2025-03-17",
      end: "2025-03-20",
    });
  });

  it("is null for a cycle without dates or not started", () => {
    expect(cycleRange(cycle({ starts_at: null }), today)).toBeNull();
    expect(cycleRange(cycle({ starts_at: "2025-03-31T00:00:00Z", ends_at: "2025-04-14T00:00:00Z" }), today)).toBeNull();
  });
});

describe("cycleLabel", () => {
  it("names the cycle and its days", () => {
    expect(cycleLabel(cycle())).toBe("Cycle 12 · Feb 24 – Mar 9");
    expect(cycleLabel(cycle({ name: "Launch" }))).toBe("Launch (cycle 12) · Feb 24 – Mar 9");
    expect(cycleLabel(cycle({ ends_at: null }))).toBe("Cycle 12 · no dates");
  });
});

describe("cyclesByTeam", () => {
  it("groups cycles by their Linear team, keeping their order", () => {
    const groups = cyclesByTeam([
      cycle({ id: 2, number: 13 }),
      cycle({ id: 9, linear_team_id: 2, team_key: "OPS", team_name: "Operations" }),
      cycle({ id: 1 }),
    ]);
    expect(groups.map((group) => [group.team, group.cycles.map((item) => item.id)])).toEqual([
      ["Engineering (ENG)", [2, 1]],
      ["Operations (OPS)", [9]],
    ]);
  });
});
