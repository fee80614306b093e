import { describe, expect, it } from "vitest";
import { describeThresholds, mappedByLabel, parseThresholds, sameThresholds } from "./thresholds";

describe("thresholds from the form", () => {
  it("reads whole numbers and keeps the levels in severity order", () => {
    expect(parseThresholds({ minEvents: " 50 ", minUsers: "5", levels: ["error", "fatal"] })).toEqual({
      thresholds: { min_events: 50, min_users: 5, levels: ["fatal", "error"] },
      problem: null,
    });
  });

  it("says what is wrong", () => {
    expect(parseThresholds({ minEvents: "0", minUsers: "5", levels: ["error"] }).problem).toBe(
      "Events must be a whole number, 1 or more.",
    );
    expect(parseThresholds({ minEvents: "10", minUsers: "2.5", levels: ["error"] }).problem).toBe(
      "Users must be a whole number, 1 or more.",
    );
    expect(parseThresholds({ minEvents: "10", minUsers: "2", levels: [] }).problem).toBe("Choose at least one level.");
  });

  it("says them in words and compares them whatever the order of levels", () => {
    const thresholds = { min_events: 50, min_users: 5, levels: ["fatal", "error"] as const };
    expect(describeThresholds({ ...thresholds, levels: [...thresholds.levels] })).toBe(
      "50 events or 5 users in 24 h, at fatal or error",
    );
    expect(
      sameThresholds({ ...thresholds, levels: ["fatal", "error"] }, { ...thresholds, levels: ["error", "fatal"] }),
    ).toBe(true);
    expect(sameThresholds({ ...thresholds, levels: ["error"] }, { ...thresholds, levels: ["error", "fatal"] })).toBe(
      false,
    );
    expect(
      sameThresholds({ ...thresholds, levels: ["error"] }, { ...thresholds, min_users: 6, levels: ["error"] }),
    ).toBe(false);
  });

  it("says how a project found its repository", () => {
    expect(mappedByLabel("release_commits")).toBe("by its releases' commits");
    expect(mappedByLabel(null)).toBe("not mapped");
  });
});
