/**
 * The global filters (window, custom range or cycle, repositories, team, statistic) live in the
 * URL's search parameters, so every view can be shared by its link and they persist across pages.
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

/** A custom range of whole UTC days, both included (ISO days, e.g. 2025-03-01). */
export interface DateRange {
  start: string;
  end: string;
}

/** The longest range the API takes, in days (its MAX_WINDOW_DAYS). */
export const MAX_RANGE_DAYS = 3 * 366;

export interface GlobalFilters {
  window: WindowKey;
  /** A custom range; when set, it replaces the window. */
  range: DateRange | null;
  /** The Linear cycle whose days the range holds, when one was picked; only with a range. */
  cycle: number | null;
  repositories: number[];
  team: number | null;
  statistic: StatisticKey;
}

export const DEFAULT_FILTERS: GlobalFilters = {
  window: "30d",
  range: null,
  cycle: null,
  repositories: [],
  team: null,
  statistic: "median",
};

/** The search parameters that hold the global filters; the others belong to the page. */
export const FILTER_PARAMS = ["window", "start", "end", "cycle", "repo", "team", "stat"] as const;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of an ISO day, or null when it is not a real day (2025-02-30). */
function dayTime(day: string): number | null {
  if (!ISO_DAY.test(day)) return null;
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(time) || isoDay(new Date(time)) !== day ? null : time;
}

/** What is wrong with a custom range, in words; null when the API will take it. */
export function rangeProblem(range: DateRange, today: Date = new Date()): string | null {
  const start = dayTime(range.start);
  const end = dayTime(range.end);
  if (start === null || end === null) return "Enter a first and a last day.";
  if (end < start) return "The last day must not be before the first day.";
  if (range.end > isoDay(today)) return "The last day cannot be in the future.";
  if ((end - start) / DAY_MS >= MAX_RANGE_DAYS) return "A range can span at most 3 years.";
  return null;
}

/** Series granularity for a custom range, like the presets': days, then weeks, then months. */
function rangePeriod(range: DateRange): Period {
  const days = ((dayTime(range.end) ?? 0) - (dayTime(range.start) ?? 0)) / DAY_MS + 1;
  if (days <= 14) return "day";
  if (days <= 120) return "week";
  return "month";
}

const rangeDayFormat = new Intl.DateTimeFormat("en", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** The window in words: "Last 30 days", or "Mar 3, 2025 – Apr 9, 2025" for a custom range. */
export function windowLabel(filters: GlobalFilters): string {
  if (filters.range === null) return WINDOWS[filters.window].label;
  const { start, end } = filters.range;
  return `${rangeDayFormat.format(dayTime(start) ?? 0)} – ${rangeDayFormat.format(dayTime(end) ?? 0)}`;
}

function isKeyOf<T extends object>(record: T, key: string | null): key is Extract<keyof T, string> {
  return key !== null && Object.prototype.hasOwnProperty.call(record, key);
}

function positiveInteger(text: string | null): number | null {
  if (text === null || !/^\d{1,9}$/.test(text)) return null;
  const value = Number.parseInt(text, 10);
  return value > 0 ? value : null;
}

function readRange(params: URLSearchParams, today: Date): DateRange | null {
  const start = params.get("start");
  const end = params.get("end");
  if (start === null || end === null) return null;
  const range = { start, end };
  return rangeProblem(range, today) === null ? range : null;
}

/** Reads the filters from the URL; anything missing or not valid falls back to its default. */
export function readFilters(params: URLSearchParams, today: Date = new Date()): GlobalFilters {
  const window = params.get("window");
  const statistic = params.get("stat");
  const repositories = [...new Set(params.getAll("repo").flatMap((item) => positiveInteger(item) ?? []))].sort(
    (a, b) => a - b,
  );
  const range = readRange(params, today);
  return {
    window: isKeyOf(WINDOWS, window) ? window : DEFAULT_FILTERS.window,
    range,
    cycle: range === null ? null : positiveInteger(params.get("cycle")),
    repositories,
    team: positiveInteger(params.get("team")),
    statistic: isKeyOf(STATISTICS, statistic) ? statistic : DEFAULT_FILTERS.statistic,
  };
}

/** Writes the filters into a copy of `params`, leaving defaults out and page parameters alone. */
export function writeFilters(params: URLSearchParams, filters: GlobalFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_PARAMS) next.delete(key);
  if (filters.range !== null) {
    next.set("start", filters.range.start);
    next.set("end", filters.range.end);
    if (filters.cycle !== null) next.set("cycle", String(filters.cycle));
  } else if (filters.window !== DEFAULT_FILTERS.window) {
    next.set("window", filters.window);
  }
  for (const id of filters.repositories) next.append("repo", String(id));
  if (filters.team !== null) next.set("team", String(filters.team));
  if (filters.statistic !== DEFAULT_FILTERS.statistic) next.set("stat", filters.statistic);
  return next;
}

/**
 * The filters after a change: a new window or range that does not name a cycle leaves the cycle,
 * since its days are no longer the window.
 */
export function changeFilters(current: GlobalFilters, change: Partial<GlobalFilters>): GlobalFilters {
  const next = { ...current, ...change };
  if (!("cycle" in change) && ("window" in change || "range" in change)) next.cycle = null;
  if (next.range === null) next.cycle = null;
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

export interface MetricParams {
  [key: string]: string | number | readonly number[] | undefined;
  start_date: string;
  end_date: string;
  period: Period;
  statistic: StatisticKey;
  repo_id: readonly number[];
  team_id: number | undefined;
}

/** The first and last day the filters cover: the custom range, or the window ending `today` (UTC). */
export function filterDays(filters: GlobalFilters, today: Date = new Date()): DateRange {
  if (filters.range !== null) return filters.range;
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const start = new Date(end.getTime() - (WINDOWS[filters.window].days - 1) * DAY_MS);
  return { start: isoDay(start), end: isoDay(end) };
}

/** The query the metric endpoints take for these filters, with `today` (UTC) as the last day. */
export function metricParams(filters: GlobalFilters, today: Date = new Date()): MetricParams {
  const { start, end } = filterDays(filters, today);
  return {
    start_date: start,
    end_date: end,
    period: filters.range === null ? WINDOWS[filters.window].period : rangePeriod(filters.range),
    statistic: filters.statistic,
    repo_id: filters.repositories,
    team_id: filters.team ?? undefined,
  };
}

/** The last day of a period that starts on `periodStart` (an ISO day), for drill-downs. */
export function periodEnd(periodStart: string, period: Period): string {
  const start = new Date(`${periodStart}T00:00:00Z`);
  if (period === "day") return periodStart;
  if (period === "week") return isoDay(new Date(start.getTime() + 6 * DAY_MS));
  return isoDay(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)));
}
