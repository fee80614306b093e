import { describe, expect, it } from "vitest";
import { assistedLabel, evidenceLabel, reviewSummary } from "./ai-evidence";

describe("AI evidence in words", () => {
  it("names the levels and kinds of evidence", () => {
    expect(assistedLabel("high")).toBe("AI-assisted (high confidence)");
    expect(assistedLabel("none")).toBe("No AI evidence");
    expect(evidenceLabel("same_day_usage")).toBe("Author used Cursor that day");
  });

  it("says which bot reviewed, and whether before the merge", () => {
    const review = { reviewed: true, review_bot: "greptile-apps[bot]", reviewed_at: null, reviewed_before_merge: true };
    expect(reviewSummary(review)).toBe("Reviewed by greptile-apps[bot] before the merge.");
    expect(reviewSummary({ ...review, reviewed: false, reviewed_before_merge: false })).toBe(
      "Reviewed by greptile-apps[bot] after the merge (not counted as AI-reviewed).",
    );
    expect(reviewSummary({ ...review, review_bot: null, reviewed: false })).toBe("No review bot reviewed it.");
  });
});
