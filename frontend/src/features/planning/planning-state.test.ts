import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "@/lib/filters";
import { drillQuery, issueScope, readPlanningState, writePlanningState } from "./planning-state";

const today = new Date("2025-03-10T12:00:00Z");

describe("the Planning page's URL", () => {
  it("round-trips the Linear team, project, drill and open issue, keeping other parameters", () => {
    const params = writePlanningState(new URLSearchParams("window=7d"), {
      linearTeam: 2,
      project: 5,
      drill: { kind: "completed", metric: "issues-completed", period: "2025-03-03" },
      issue: 41,
    });
    expect(params.toString()).toBe(
      "window=7d&lteam=2&project=5&drill=completed%3Aissues-completed%3A2025-03-03&issue=41",
    );
    expect(readPlanningState(params)).toEqual({
      linearTeam: 2,
      project: 5,
      drill: { kind: "completed", metric: "issues-completed", period: "2025-03-03" },
      issue: 41,
    });
  });

  it.each(["cycle:everything", "completed:x:yesterday", "now:done", "nonsense"])("ignores the drill %s", (drill) => {
    expect(readPlanningState(new URLSearchParams({ drill })).drill).toBeNull();
  });

  it("reads cycle and now drills", () => {
    expect(readPlanningState(new URLSearchParams("drill=cycle:carried_over")).drill).toEqual({
      kind: "cycle",
      bucket: "carried_over",
    });
    expect(readPlanningState(new URLSearchParams("drill=now:backlog")).drill).toEqual({
      kind: "now",
      which: "backlog",
    });
  });
});

describe("the issues behind a drill", () => {
  const scope = issueScope(
    { ...DEFAULT_FILTERS, window: "90d", team: 3 },
    { linearTeam: 2, project: null, drill: null, issue: null },
    today,
  );

  it("lists the issues completed in a weekly point's period", () => {
    expect(drillQuery({ kind: "completed", metric: "issue-lead-time", period: "2025-03-03" }, scope)).toEqual({
      team_id: 3,
      repo_id: [],
      linear_team_id: 2,
      project_id: undefined,
      completed_from: "2025-03-03",
      completed_until: "2025-03-09",
      sort: "completed_at",
      order: "desc",
    });
  });

  it("lists the backlog oldest first and work in progress by last change", () => {
    expect(drillQuery({ kind: "now", which: "backlog" }, scope)).toMatchObject({
      state_type: ["triage", "backlog", "unstarted"],
      sort: "created_at",
      order: "asc",
    });
    expect(drillQuery({ kind: "now", which: "started" }, scope)).toMatchObject({ state_type: ["started"] });
  });

  it("leaves a cycle's issues to the cycle", () => {
    expect(drillQuery({ kind: "cycle", bucket: "added" }, scope)).toBeNull();
  });
});
