import { describe, expect, it } from "vitest";
import {
  changeFilters,
  DEFAULT_FILTERS,
  filterSearch,
  metricParams,
  periodEnd,
  rangeProblem,
  readFilters,
  windowLabel,
  writeFilters,
} from "./filters";

describe("readFilters", () => {
  it("gives the defaults for an empty URL", () => {
    expect(readFilters(new URLSearchParams())).toEqual(DEFAULT_FILTERS);
  });

  it("reads every filter", () => {
    const params = new URLSearchParams("window=90d&repo=3&repo=1&team=2&stat=p90");
    expect(readFilters(params)).toEqual({
      window: "90d",
      range: null,
      cycle: null,
      repositories: [1, 3],
      team: 2,
      statistic: "p90",
    });
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
    const filters = {
      window: "7d",
      range: null,
      cycle: null,
      repositories: [5, 9],
      team: 3,
      statistic: "mean",
    } as const;
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
      { window: "365d", range: null, cycle: null, repositories: [1, 2], team: 7, statistic: "p75" },
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

describe("a custom range", () => {
  const today = new Date("2025-03-10T12:00:00Z");

  it("is read from start and end, and replaces the window", () => {
    const filters = readFilters(new URLSearchParams("window=7d&start=2025-01-06&end=2025-02-02"), today);
    expect(filters.range).toEqual({ start: "2025-01-06", end: "2025-02-02" });
    expect(metricParams(filters, today)).toMatchObject({
      start_date: "2025-01-06",
      end_date: "2025-02-02",
      period: "week",
    });
    expect(windowLabel(filters)).toBe("Jan 6, 2025 – Feb 2, 2025");
  });

  it("picks days, weeks or months by its length", () => {
    const period = (start: string, end: string) =>
      metricParams({ ...DEFAULT_FILTERS, range: { start, end } }, today).period;
    expect(period("2025-03-01", "2025-03-10")).toBe("day");
    expect(period("2025-01-01", "2025-03-10")).toBe("week");
    expect(period("2023-01-01", "2025-03-10")).toBe("month");
  });

  it("is written as start and end, without the window, and carried to other pages", () => {
    const params = writeFilters(new URLSearchParams("window=90d&pr=3"), {
      ...DEFAULT_FILTERS,
      range: { start: "2025-01-06", end: "2025-02-02" },
    });
    expect(params.toString()).toBe("pr=3&start=2025-01-06&end=2025-02-02");
    expect(filterSearch(`?${params.toString()}`)).toBe("?start=2025-01-06&end=2025-02-02");
  });

  it.each([
    [{ start: "2025-02-10", end: "2025-02-01" }, "The last day must not be before the first day."],
    [{ start: "2025-03-01", end: "2025-03-11" }, "The last day cannot be in the future."],
    [{ start: "2022-03-01", end: "2025-03-10" }, "A range can span at most 3 years."],
    [{ start: "2025-02-30", end: "2025-03-01" }, "Enter a first and a last day."],
    [{ start: "", end: "2025-03-01" }, "Enter a first and a last day."],
  ])("refuses %o: %s", (range, problem) => {
    expect(rangeProblem(range, today)).toBe(problem);
  });

  it("takes a range of exactly the API's longest window, ending today", () => {
    expect(rangeProblem({ start: "2022-03-09", end: "2025-03-10" }, today)).toBeNull();
  });

  it("falls back to the window when the URL's range is not valid", () => {
    const filters = readFilters(new URLSearchParams("window=7d&start=2025-03-05&end=2025-03-01"), today);
    expect(filters.range).toBeNull();
    expect(filters.window).toBe("7d");
  });
});

describe("a cycle's window", () => {
  const today = new Date("2025-03-10T12:00:00Z");
  const sprint = { ...DEFAULT_FILTERS, range: { start: "2025-02-24", end: "2025-03-09" }, cycle: 4 };

  it("is written with its range and carried to other pages", () => {
    const params = writeFilters(new URLSearchParams("tab=cycle"), sprint);
    expect(params.toString()).toBe("tab=cycle&start=2025-02-24&end=2025-03-09&cycle=4");
    expect(filterSearch(`?${params.toString()}`)).toBe("?start=2025-02-24&end=2025-03-09&cycle=4");
    expect(readFilters(params, today)).toEqual(sprint);
  });

  it("is ignored without a range", () => {
    expect(readFilters(new URLSearchParams("cycle=4"), today).cycle).toBeNull();
  });

  it("is dropped when the window or range changes", () => {
    expect(changeFilters(sprint, { window: "7d", range: null }).cycle).toBeNull();
    expect(changeFilters(sprint, { range: { start: "2025-03-01", end: "2025-03-02" } }).cycle).toBeNull();
  });

  it("stays when another filter changes", () => {
    expect(changeFilters(sprint, { team: 2 })).toEqual({ ...sprint, team: 2 });
  });
});
