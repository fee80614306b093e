import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS, filterSearch, metricParams, periodEnd, readFilters, writeFilters } from "./filters";

describe("readFilters", () => {
  it("gives the defaults for an empty URL", () => {
    expect(readFilters(new URLSearchParams())).toEqual(DEFAULT_FILTERS);
  });

  it("reads every filter", () => {
    const params = new URLSearchParams("window=90d&repo=3&repo=1&team=2&stat=p90");
    expect(readFilters(params)).toEqual({ window: "90d", repositories: [1, 3], team: 2, statistic: "p90" });
  });

  it("drops values that are not valid instead of failing", () => {
    const params = new URLSearchParams("window=2y&repo=abc&repo=-1&repo=4&team=0&stat=max");
    expect(readFilters(params)).toEqual({ ...DEFAULT_FILTERS, repositories: [4] });
  });

  it("ignores repeated repositories", () => {
    expect(readFilters(new URLSearchParams("repo=2&repo=2")).repositories).toEqual([2]);
  });
});

describe("writeFilters", () => {
  it("leaves defaults out of the URL and keeps the page's own parameters", () => {
    const params = writeFilters(new URLSearchParams("tab=audit&window=7d"), DEFAULT_FILTERS);
    expect(params.toString()).toBe("tab=audit");
  });

  it("round-trips through readFilters", () => {
    const filters = { window: "7d", repositories: [5, 9], team: 3, statistic: "mean" } as const;
    const params = writeFilters(new URLSearchParams(), { ...filters, repositories: [5, 9] });
    expect(params.toString()).toBe("window=7d&repo=5&repo=9&team=3&stat=mean");
    expect(readFilters(params)).toEqual({ ...filters, repositories: [5, 9] });
  });
});

describe("filterSearch", () => {
  it("keeps only the global filters for links to other pages", () => {
    expect(filterSearch("?window=7d&pr=12&repo=1&q=fix")).toBe("?window=7d&repo=1");
  });

  it("is empty when no filter is set", () => {
    expect(filterSearch("?pr=12")).toBe("");
  });
});

describe("metricParams", () => {
  it("turns a window into the API's days, ending today in UTC", () => {
    const params = metricParams({ ...DEFAULT_FILTERS, window: "7d" }, new Date("2025-03-10T23:30:00Z"));
    expect(params).toMatchObject({ start_date: "2025-03-04", end_date: "2025-03-10", period: "day" });
  });

  it("passes repositories, team and statistic through", () => {
    const params = metricParams(
      { window: "365d", repositories: [1, 2], team: 7, statistic: "p75" },
      new Date("2025-03-10T00:00:00Z"),
    );
    expect(params).toMatchObject({ repo_id: [1, 2], team_id: 7, statistic: "p75", period: "month" });
    expect(params.start_date).toBe("2024-03-11");
  });
});

describe("periodEnd", () => {
  it.each([
    ["2025-03-03", "day", "2025-03-03"],
    ["2025-03-03", "week", "2025-03-09"],
    ["2025-02-01", "month", "2025-02-28"],
    ["2024-02-01", "month", "2024-02-29"],
  ] as const)("ends the period starting %s (%s) on %s", (start, period, end) => {
    expect(periodEnd(start, period)).toBe(end);
  });
});
