import type { QueryValue } from "@/lib/api-client";
import { filterDays, type GlobalFilters } from "@/lib/filters";

export const SORT_KEYS = ["updated_at", "created_at", "merged_at", "cycle_time", "size"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type PrState = "open" | "merged" | "closed";

/** The table's own state in the URL: sort, order, state, search, stale, page cursor, open PR. */
export interface TableState {
  sort: SortKey;
  order: "asc" | "desc";
  state: PrState | null;
  q: string;
  stale: boolean;
  cursor: string | null;
  pr: number | null;
  mergedFrom: string | null;
  mergedUntil: string | null;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readTableState(params: URLSearchParams): TableState {
  const sort = params.get("sort");
  const state = params.get("state");
  const pr = Number.parseInt(params.get("pr") ?? "", 10);
  const mergedFrom = params.get("merged_from");
  const mergedUntil = params.get("merged_until");
  return {
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? "") ? (sort as SortKey) : "updated_at",
    order: params.get("order") === "asc" ? "asc" : "desc",
    state: state === "open" || state === "merged" || state === "closed" ? state : null,
    q: (params.get("q") ?? "").slice(0, 200),
    stale: params.get("stale") === "1",
    cursor: params.get("cursor"),
    pr: Number.isFinite(pr) && pr > 0 ? pr : null,
    mergedFrom: mergedFrom && ISO_DAY.test(mergedFrom) ? mergedFrom : null,
    mergedUntil: mergedUntil && ISO_DAY.test(mergedUntil) ? mergedUntil : null,
  };
}

/** Writes a change of the table's state; any change but the cursor or the open PR starts at page 1. */
export function writeTableState(params: URLSearchParams, change: Partial<TableState>): URLSearchParams {
  const next = new URLSearchParams(params);
  const merged = { ...readTableState(params), ...change };
  const resetsPaging = Object.keys(change).some((key) => key !== "cursor" && key !== "pr");
  if (resetsPaging) merged.cursor = null;
  const values: Record<string, string | null> = {
    sort: merged.sort === "updated_at" ? null : merged.sort,
    order: merged.order === "desc" ? null : merged.order,
    state: merged.state,
    q: merged.q.trim() || null,
    stale: merged.stale ? "1" : null,
    cursor: merged.cursor,
    pr: merged.pr === null ? null : String(merged.pr),
    merged_from: merged.mergedFrom,
    merged_until: merged.mergedUntil,
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/**
 * The API query for the table: its state plus the global window, repositories and team. The
 * window keeps the PRs open at some time in it (still open, or merged or closed inside it).
 */
export function listQuery(
  state: TableState,
  filters: GlobalFilters,
  pageSize = 50,
  today: Date = new Date(),
): Record<string, QueryValue> {
  const window = filterDays(filters, today);
  return {
    sort: state.sort,
    order: state.order,
    state: state.state ?? undefined,
    q: state.q.trim() || undefined,
    stale: state.stale || undefined,
    cursor: state.cursor ?? undefined,
    merged_from: state.mergedFrom ?? undefined,
    merged_until: state.mergedUntil ?? undefined,
    active_from: window.start,
    active_until: window.end,
    repo_id: filters.repositories,
    team_id: filters.team ?? undefined,
    page_size: pageSize,
  };
}
