import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "@/lib/filters";
import { listQuery, readTableState, writeTableState } from "./list-query";

describe("the pull-request table's URL state", () => {
  it("has sensible defaults", () => {
    expect(readTableState(new URLSearchParams())).toMatchObject({ sort: "updated_at", order: "desc", state: null });
  });

  it("refuses unknown values", () => {
    const state = readTableState(new URLSearchParams("sort=title&state=weird&pr=-3&merged_from=yesterday"));
    expect(state).toMatchObject({ sort: "updated_at", state: null, pr: null, mergedFrom: null });
  });

  it("goes back to the first page when the filter changes, but not when a PR opens", () => {
    const start = new URLSearchParams("cursor=abc&window=7d");
    expect(writeTableState(start, { state: "open" }).toString()).toBe("window=7d&state=open");
    expect(writeTableState(start, { pr: 4 }).get("cursor")).toBe("abc");
  });

  it("sends the global repositories and team with the table's filters", () => {
    const state = readTableState(new URLSearchParams("state=merged&q=fix&stale=1"));
    const query = listQuery(state, { ...DEFAULT_FILTERS, repositories: [2], team: 5 });
    expect(query).toMatchObject({ state: "merged", q: "fix", stale: true, repo_id: [2], team_id: 5 });
  });

  it("sends the window's days, preset or custom, as the PRs' active range", () => {
    const state = readTableState(new URLSearchParams());
    const today = new Date("2025-03-10T08:00:00Z");
    expect(listQuery(state, { ...DEFAULT_FILTERS, window: "7d" }, 50, today)).toMatchObject({
      active_from: "2025-03-04",
      active_until: "2025-03-10",
    });
    const range = { start: "2024-11-01", end: "2024-12-31" };
    expect(listQuery(state, { ...DEFAULT_FILTERS, range }, 50, today)).toMatchObject({
      active_from: "2024-11-01",
      active_until: "2024-12-31",
    });
  });
});
