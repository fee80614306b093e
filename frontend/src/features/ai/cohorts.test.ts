import { describe, expect, it } from "vitest";
import { ALL_MERGED } from "./drill";
import { cohortDrill, formatDifference, formatInterval, intervalExcludesZero, measureSpec } from "./cohorts";

describe("differences", () => {
  it("carry their sign in the measure's unit; shares in points", () => {
    expect(formatDifference(7_200, "seconds")).toBe("+2 h");
    expect(formatDifference(-30, "lines")).toBe("−30 lines");
    expect(formatDifference(0.045, "ratio")).toBe("+4.5 pts");
    expect(formatDifference(null, "ratio")).toBe("—");
  });

  it("give the interval in words, and whether it excludes zero", () => {
    expect(formatInterval(-3_600, 7_200, measureSpec("review_seconds").unit)).toBe("−1 h to +2 h");
    expect(formatInterval(null, 1, "lines")).toBeNull();
    expect(intervalExcludesZero(-3_600, 7_200)).toBe(false);
    expect(intervalExcludesZero(60, 7_200)).toBe(true);
  });
});

describe("the PRs behind a cohort", () => {
  it("are each side's PRs, failed or rework ones when asked", () => {
    expect(cohortDrill("ai_assisted", true)).toEqual({ ...ALL_MERGED, assisted: "any" });
    expect(cohortDrill("ai_assisted", false, {}, true)).toEqual({
      ...ALL_MERGED,
      assisted: "none",
      failedOrRework: true,
    });
    expect(cohortDrill("ai_reviewed", false)).toEqual({ ...ALL_MERGED, reviewed: false });
  });

  it("split a team's PRs at its adoption week", () => {
    const context = { team: 3, crossedOn: "2025-03-10" };
    expect(cohortDrill("after_adoption", true, context)).toEqual({ ...ALL_MERGED, team: 3, start: "2025-03-10" });
    expect(cohortDrill("after_adoption", false, context)).toEqual({ ...ALL_MERGED, team: 3, end: "2025-03-09" });
  });
});
