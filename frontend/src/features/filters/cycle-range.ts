import type { DateRange } from "@/lib/filters";

/** What the picker needs of a Linear cycle (GET /api/v1/cycles). */
export interface CycleDates {
  id: number;
  number: number;
  name: string | null;
  team_key: string;
  team_name: string;
  linear_team_id: number;
  starts_at: string | null;
  ends_at: string | null;
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * The whole UTC days a cycle covers, as a window: from its start's day to the day before its end
 * (a cycle ends at the instant the next begins), cut at `today` for the current cycle. Null when
 * the cycle has no dates or has not started.
 */
export function cycleRange(cycle: CycleDates, today: Date = new Date()): DateRange | null {
  if (cycle.starts_at === null || cycle.ends_at === null) return null;
  const start = Date.parse(cycle.starts_at);
  const end = Date.parse(cycle.ends_at);
  const todayDay = isoDay(today.getTime());
  if (Number.isNaN(start) || Number.isNaN(end) || isoDay(start) > todayDay) return null;
  const lastDay = isoDay(Math.max(start, end - 1));
  return { start: isoDay(start), end: lastDay < todayDay ? lastDay : todayDay };
}

const dayFormat = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });

/** "Cycle 12 · Mar 3 – Mar 16", with the cycle's own name when it has one. */
export function cycleLabel(cycle: CycleDates): string {
  const title = cycle.name ? `${cycle.name} (cycle ${cycle.number})` : `Cycle ${cycle.number}`;
  if (cycle.starts_at === null || cycle.ends_at === null) return `${title} · no dates`;
  const start = Date.parse(cycle.starts_at);
  const end = Math.max(start, Date.parse(cycle.ends_at) - 1);
  return `${title} · ${dayFormat.format(start)} – ${dayFormat.format(end)}`;
}

/** Cycles grouped by their Linear team, in the order the API lists them. */
export function cyclesByTeam<T extends CycleDates>(cycles: readonly T[]): { team: string; cycles: T[] }[] {
  const groups = new Map<number, { team: string; cycles: T[] }>();
  for (const cycle of cycles) {
    const group = groups.get(cycle.linear_team_id) ?? { team: `${cycle.team_name} (${cycle.team_key})`, cycles: [] };
    group.cycles.push(cycle);
    groups.set(cycle.linear_team_id, group);
  }
  return [...groups.values()];
}
