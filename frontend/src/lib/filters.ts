/**
 * The global filters (window, repositories, team, statistic) live in the URL's search
 * parameters, so every view can be shared by its link and they persist across pages.
 */

export const WINDOWS = {
  "7d": { label: "Last 7 days", days: 7, period: "day" },
  "30d": { label: "Last 30 days", days: 30, period: "week" },
  "90d": { label: "Last 90 days", days: 90, period: "week" },
  "180d": { label: "Last 6 months", days: 180, period: "month" },
  "365d": { label: "Last 12 months", days: 365, period: "month" },
} as const;

export type WindowKey = keyof typeof WINDOWS;
export type Period = (typeof WINDOWS)[WindowKey]["period"];

export const STATISTICS = {
  median: "Median",
  p75: "75th percentile",
  p90: "90th percentile",
  mean: "Mean",
} as const;

export type StatisticKey = keyof typeof STATISTICS;

export interface GlobalFilters {
  window: WindowKey;
  repositories: number[];
  team: number | null;
  statistic: StatisticKey;
}

export const DEFAULT_FILTERS: GlobalFilters = { window: "30d", repositories: [], team: null, statistic: "median" };

/** The search parameters that hold the global filters; the others belong to the page. */
export const FILTER_PARAMS = ["window", "repo", "team", "stat"] as const;

function isKeyOf<T extends object>(record: T, key: string | null): key is Extract<keyof T, string> {
  return key !== null && Object.prototype.hasOwnProperty.call(record, key);
}

function positiveInteger(text: string | null): number | null {
  if (text === null || !/^\d{1,9}$/.test(text)) return null;
  const value = Number.parseInt(text, 10);
  return value > 0 ? value : null;
}

/** Reads the filters from the URL; anything missing or not valid falls back to its default. */
export function readFilters(params: URLSearchParams): GlobalFilters {
  const window = params.get("window");
  const statistic = params.get("stat");
  const repositories = [...new Set(params.getAll("repo").flatMap((item) => positiveInteger(item) ?? []))].sort(
    (a, b) => a - b,
  );
  return {
    window: isKeyOf(WINDOWS, window) ? window : DEFAULT_FILTERS.window,
    repositories,
    team: positiveInteger(params.get("team")),
    statistic: isKeyOf(STATISTICS, statistic) ? statistic : DEFAULT_FILTERS.statistic,
  };
}

/** Writes the filters into a copy of `params`, leaving defaults out and page parameters alone. */
export function writeFilters(params: URLSearchParams, filters: GlobalFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_PARAMS) next.delete(key);
  if (filters.window !== DEFAULT_FILTERS.window) next.set("window", filters.window);
  for (const id of filters.repositories) next.append("repo", String(id));
  if (filters.team !== null) next.set("team", String(filters.team));
  if (filters.statistic !== DEFAULT_FILTERS.statistic) next.set("stat", filters.statistic);
  return next;
}

/** Only the filter parameters of a search string: what links to other pages carry along. */
export function filterSearch(search: string): string {
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const [key, value] of params) {
    if ((FILTER_PARAMS as readonly string[]).includes(key)) kept.append(key, value);
  }
  const text = kept.toString();
  return text ? `?${text}` : "";
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface MetricParams {
  [key: string]: string | number | readonly number[] | undefined;
  start_date: string;
  end_date: string;
  period: Period;
  statistic: StatisticKey;
  repo_id: readonly number[];
  team_id: number | undefined;
}

/** The query the metric endpoints take for these filters, with `today` (UTC) as the last day. */
export function metricParams(filters: GlobalFilters, today: Date = new Date()): MetricParams {
  const { days, period } = WINDOWS[filters.window];
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return {
    start_date: isoDay(start),
    end_date: isoDay(end),
    period,
    statistic: filters.statistic,
    repo_id: filters.repositories,
    team_id: filters.team ?? undefined,
  };
}

/** The last day of a period that starts on `periodStart` (an ISO day), for drill-downs. */
export function periodEnd(periodStart: string, period: Period): string {
  const start = new Date(`${periodStart}T00:00:00Z`);
  if (period === "day") return periodStart;
  if (period === "week") return isoDay(new Date(start.getTime() + 6 * 86_400_000));
  return isoDay(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)));
}
