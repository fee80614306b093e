/** Words, units and drill-downs of the cohort comparisons; pure, so they are unit-tested. */
import { formatMetricValue } from "@/lib/format";
import { ALL_MERGED, type Drill } from "./drill";

export interface MeasureSpec {
  label: string;
  unit: "seconds" | "lines" | "ratio";
  /** A smaller value is better (every measure here, but said once). */
  lowerIsBetter: boolean;
}

const MEASURES: Record<string, MeasureSpec> = {
  pickup_seconds: { label: "Pickup time (median)", unit: "seconds", lowerIsBetter: true },
  review_seconds: { label: "Review time (median)", unit: "seconds", lowerIsBetter: true },
  cycle_seconds: { label: "Cycle time (median)", unit: "seconds", lowerIsBetter: true },
  size: { label: "Size (median)", unit: "lines", lowerIsBetter: true },
  failed_or_rework_share: { label: "Failed or rework share", unit: "ratio", lowerIsBetter: true },
};

export function measureSpec(measure: string): MeasureSpec {
  return MEASURES[measure] ?? { label: measure, unit: "lines", lowerIsBetter: true };
}

export interface CohortWords {
  title: string;
  ai: string;
  other: string;
}

const COHORTS: Record<string, CohortWords> = {
  ai_assisted: { title: "AI-assisted vs not", ai: "AI-assisted", other: "Not AI-assisted" },
  ai_reviewed: { title: "AI-reviewed vs not", ai: "AI-reviewed", other: "Not AI-reviewed" },
  after_adoption: { title: "After adoption vs before", ai: "After", other: "Before" },
};

export function cohortWords(name: string): CohortWords {
  return COHORTS[name] ?? { title: name, ai: "AI group", other: "Other group" };
}

/** A difference with its sign: "+2 h 5 min", "−12 lines", "+4.5 pts" (a share, in points). */
export function formatDifference(value: number | null | undefined, unit: MeasureSpec["unit"]): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  const size = Math.abs(value);
  if (unit === "ratio") return `${sign}${formatMetricValue(size * 100, "number")} pts`;
  return `${sign}${formatMetricValue(size, unit)}`;
}

/** The comparison's interval in words, e.g. "−3 h to +1 h"; null when there is none. */
export function formatInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  unit: MeasureSpec["unit"],
): string | null {
  if (low === null || low === undefined || high === null || high === undefined) return null;
  return `${formatDifference(low, unit)} to ${formatDifference(high, unit)}`;
}

/** Whether an interval lies wholly on one side of zero: the groups differ in this window. */
export function intervalExcludesZero(low: number | null | undefined, high: number | null | undefined): boolean {
  if (low === null || low === undefined || high === null || high === undefined) return false;
  return low > 0 || high < 0;
}

function dayBefore(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

export interface CohortContext {
  /** For after_adoption: the team and the Monday of its adoption week. */
  team?: number;
  crossedOn?: string;
}

/** The PRs of one side of a cohort (`ai` true: the AI group), optionally only failed or rework ones. */
export function cohortDrill(
  name: string,
  ai: boolean,
  context: CohortContext = {},
  failed: boolean | null = null,
): Drill {
  const drill: Drill = { ...ALL_MERGED, failedOrRework: failed };
  if (name === "ai_assisted") return { ...drill, assisted: ai ? "any" : "none" };
  if (name === "ai_reviewed") return { ...drill, reviewed: ai };
  if (name === "after_adoption" && context.crossedOn !== undefined) {
    const team = context.team ?? null;
    return ai ? { ...drill, team, start: context.crossedOn } : { ...drill, team, end: dayBefore(context.crossedOn) };
  }
  return drill;
}
