/**
 * Which merged PRs are behind a figure of the AI impact page: the list the page opens when a
 * number is clicked. It lives in one URL parameter (`prs`) so the list can be shared by link.
 */
import { metricParams, type GlobalFilters } from "@/lib/filters";
import { formatDay } from "@/lib/format";

export type AssistedFilter = "high" | "low" | "none" | "any";

export interface Drill {
  assisted: AssistedFilter | null;
  reviewed: boolean | null;
  failedOrRework: boolean | null;
  /** A part of the window (a period, or before/after an adoption week), ISO days. */
  start: string | null;
  end: string | null;
  /** A team instead of the filter bar's scope (before/after a team's adoption). */
  team: number | null;
}

export const DRILL_PARAM = "prs";

export const ALL_MERGED: Drill = {
  assisted: null,
  reviewed: null,
  failedOrRework: null,
  start: null,
  end: null,
  team: null,
};

const ASSISTED = new Set<string>(["high", "low", "none", "any"]);
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function flag(value: boolean | null): string | null {
  return value === null ? null : String(value);
}

/** The drill as the `prs` parameter's value, e.g. "assisted:any;failed:true". */
export function writeDrill(drill: Drill): string {
  const parts: [string, string | null][] = [
    ["assisted", drill.assisted],
    ["reviewed", flag(drill.reviewed)],
    ["failed", flag(drill.failedOrRework)],
    ["from", drill.start],
    ["until", drill.end],
    ["team", drill.team === null ? null : String(drill.team)],
  ];
  const written = parts.filter(([, value]) => value !== null).map(([key, value]) => `${key}:${value}`);
  return written.length > 0 ? written.join(";") : "all";
}

function readFlag(value: string | undefined): boolean | null {
  if (value === "true") return true;
  if (value === "false") return false;
  return null;
}

/** The drill in the `prs` parameter, or null when no list is open. Unknown parts are ignored. */
export function readDrill(params: URLSearchParams): Drill | null {
  const raw = params.get(DRILL_PARAM);
  if (raw === null) return null;
  const parts = new Map<string, string>();
  for (const part of raw.split(";")) {
    const at = part.indexOf(":");
    if (at > 0) parts.set(part.slice(0, at), part.slice(at + 1));
  }
  const assisted = parts.get("assisted");
  const day = (key: string) => {
    const value = parts.get(key);
    return value !== undefined && ISO_DAY.test(value) ? value : null;
  };
  const team = parts.get("team");
  return {
    assisted: assisted !== undefined && ASSISTED.has(assisted) ? (assisted as AssistedFilter) : null,
    reviewed: readFlag(parts.get("reviewed")),
    failedOrRework: readFlag(parts.get("failed")),
    start: day("from"),
    end: day("until"),
    team: team !== undefined && /^\d{1,9}$/.test(team) && Number(team) > 0 ? Number(team) : null,
  };
}

function later(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

function earlier(a: string, b: string | null): string {
  return b !== null && b < a ? b : a;
}

/** The pull-request list's query: the filters' scope and window, narrowed by the drill (never widened). */
export function drillQuery(filters: GlobalFilters, drill: Drill, today: Date = new Date()) {
  const params = metricParams(filters, today);
  return {
    ...params,
    start_date: later(params.start_date, drill.start),
    end_date: earlier(params.end_date, drill.end),
    team_id: drill.team ?? params.team_id,
    assisted: drill.assisted ?? undefined,
    reviewed: drill.reviewed ?? undefined,
    failed_or_rework: drill.failedOrRework ?? undefined,
    page_size: 25,
  };
}

const ASSISTED_WORDS: Record<AssistedFilter, string> = {
  any: "AI-assisted",
  high: "AI-assisted (high confidence)",
  low: "AI-assisted (low confidence)",
  none: "not AI-assisted",
};

/** The list's title in words, e.g. "Merged PRs AI-assisted, shipped in a failed or rework deployment". */
export function describeDrill(drill: Drill): string {
  const parts: string[] = [];
  if (drill.assisted !== null) parts.push(ASSISTED_WORDS[drill.assisted]);
  if (drill.reviewed !== null) parts.push(drill.reviewed ? "AI-reviewed before the merge" : "not AI-reviewed");
  if (drill.failedOrRework !== null) {
    parts.push(drill.failedOrRework ? "shipped in a failed or rework deployment" : "shipped in a sound deployment");
  }
  if (drill.start !== null && drill.end !== null)
    parts.push(`merged ${formatDay(drill.start)} – ${formatDay(drill.end)}`);
  else if (drill.start !== null) parts.push(`merged from ${formatDay(drill.start)}`);
  else if (drill.end !== null) parts.push(`merged until ${formatDay(drill.end)}`);
  if (drill.team !== null) parts.push("by the team's people");
  return parts.length > 0 ? `Merged PRs ${parts.join(", ")}` : "Merged PRs";
}
