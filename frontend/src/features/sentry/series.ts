import type { ChartSeries } from "@/components/ui/time-series-chart";
import type { SentrySeries } from "./api";

export type SeriesField = "error_events" | "new_issues";

/** One chart series per project (most first), the rest summed as "Other projects" past `limit`,
 * all on the periods of the overall series. */
export function projectSeries(found: SentrySeries, field: SeriesField, limit = 6): ChartSeries[] {
  const periods = found.metrics[0]?.series.map((point) => point.period_start) ?? [];
  const valuesOf = (series: readonly { period_start: string; value: number | null }[]) => {
    const byPeriod = new Map(series.map((point) => [point.period_start, point.value ?? 0]));
    return periods.map((period) => byPeriod.get(period) ?? 0);
  };
  const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);
  const projects = found.projects
    .map((project) => ({ label: project.project, values: valuesOf(project[field].series) }))
    .filter((project) => total(project.values) > 0)
    .sort((a, b) => total(b.values) - total(a.values) || a.label.localeCompare(b.label));
  if (projects.length <= limit) return projects;
  const shown = projects.slice(0, limit - 1);
  const rest = projects.slice(limit - 1);
  const other = periods.map((_, index) => total(rest.map((project) => project.values[index] ?? 0)));
  return [...shown, { label: `Other projects (${rest.length})`, values: other }];
}
