import { describe, expect, it } from "vitest";
import type { MetricOut } from "@/api/models";
import type { SentrySeries } from "./api";
import { projectSeries } from "./series";

const PERIODS = ["2026-03-02", "2026-03-09", "2026-03-16"];

function metric(slug: string, values: readonly (number | null)[], periods = PERIODS): MetricOut {
  return {
    slug,
    title: slug,
    unit: "count",
    better: "lower",
    value: values.reduce<number>((sum, value) => sum + (value ?? 0), 0),
    level: null,
    sample_size: 0,
    series: periods.map((period_start, index) => ({ period_start, value: values[index] ?? null, sample_size: 0 })),
    previous: { value: null, sample_size: 0 },
    trend: { direction: "flat", change_percent: null },
    details: {},
  } as MetricOut;
}

function found(projects: Record<string, readonly (number | null)[]>): SentrySeries {
  return {
    window: { start: "2026-03-02", end: "2026-03-22", period: "week" },
    metrics: [metric("sentry-error-events", [0, 0, 0]), metric("sentry-new-issues", [0, 0, 0])],
    projects: Object.entries(projects).map(([project, values], index) => ({
      project_id: index + 1,
      project,
      repository_id: null,
      error_events: metric("sentry-error-events", values),
      new_issues: metric("sentry-new-issues", [1, 0, 0]),
    })),
  } as unknown as SentrySeries;
}

describe("error series by project", () => {
  it("gives each project its values on the overall periods, most errors first", () => {
    const series = projectSeries(found({ web: [1, 2, 3], api: [10, null, 5] }), "error_events");
    expect(series).toEqual([
      { label: "api", values: [10, 0, 5] },
      { label: "web", values: [1, 2, 3] },
    ]);
  });

  it("leaves out projects without errors in the window", () => {
    const series = projectSeries(found({ quiet: [0, 0, 0], api: [1, 0, 0] }), "error_events");
    expect(series.map((s) => s.label)).toEqual(["api"]);
  });

  it("sums the projects past the limit as other projects", () => {
    const series = projectSeries(found({ a: [9, 0, 0], b: [5, 0, 0], c: [2, 1, 0], d: [1, 1, 1] }), "error_events", 3);
    expect(series).toEqual([
      { label: "a", values: [9, 0, 0] },
      { label: "b", values: [5, 0, 0] },
      { label: "Other projects (2)", values: [3, 2, 1] },
    ]);
  });
});
