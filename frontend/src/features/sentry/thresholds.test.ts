import { describe, expect, it } from "vitest";
import { mappedByLabel, parseThresholds, thresholdSettings } from "./thresholds";

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

  it("names the settings that would keep them", () => {
    expect(thresholdSettings({ min_events: 50, min_users: 5, levels: ["fatal", "error"] })).toBe(
      "SENTRY_INCIDENT_MIN_EVENTS=50\nSENTRY_INCIDENT_MIN_USERS=5\nSENTRY_INCIDENT_LEVELS=fatal,error",
    );
  });

  it("says how a project found its repository", () => {
    expect(mappedByLabel("release_commits")).toBe("by its releases' commits");
    expect(mappedByLabel(null)).toBe("not mapped");
  });
});
