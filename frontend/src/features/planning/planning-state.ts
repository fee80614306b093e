import type { QueryValue } from "@/lib/api-client";
import { metricParams, periodEnd, type GlobalFilters } from "@/lib/filters";

/** The parts of a cycle's figures, each with the issues behind it. */
export const CYCLE_BUCKETS = {
  committed: "Committed at the start",
  added: "Added during",
  removed: "Removed",
  completed: "Completed",
  carried_over: "Carried over",
} as const;

export type CycleBucket = keyof typeof CYCLE_BUCKETS;

/** The issues behind a point: completed in a chart's period, a part of the cycle, or open now. */
export type Drill =
  | { kind: "completed"; metric: string; period: string }
  | { kind: "cycle"; bucket: CycleBucket }
  | { kind: "now"; which: "started" | "backlog" };

/** The Planning page's own URL parameters (the global filters are read elsewhere). */
export interface PlanningState {
  linearTeam: number | null;
  project: number | null;
  drill: Drill | null;
  issue: number | null;
}

export const PLANNING_PARAMS = ["lteam", "project", "drill", "issue"] as const;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const SLUG = /^[a-z-]{1,60}$/;

function positiveInteger(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value > 0 && Number.isSafeInteger(value) ? value : null;
}

export function readDrill(text: string | null): Drill | null {
  if (!text) return null;
  const [kind, first, second] = text.split(":");
  if (kind === "completed" && first && SLUG.test(first) && second && ISO_DAY.test(second)) {
    return { kind, metric: first, period: second };
  }
  if (kind === "cycle" && first && Object.prototype.hasOwnProperty.call(CYCLE_BUCKETS, first)) {
    return { kind, bucket: first as CycleBucket };
  }
  if (kind === "now" && (first === "started" || first === "backlog")) return { kind, which: first };
  return null;
}

export function writeDrill(drill: Drill): string {
  if (drill.kind === "completed") return `completed:${drill.metric}:${drill.period}`;
  if (drill.kind === "cycle") return `cycle:${drill.bucket}`;
  return `now:${drill.which}`;
}

export function readPlanningState(params: URLSearchParams): PlanningState {
  return {
    linearTeam: positiveInteger(params.get("lteam")),
    project: positiveInteger(params.get("project")),
    drill: readDrill(params.get("drill")),
    issue: positiveInteger(params.get("issue")),
  };
}

export function writePlanningState(params: URLSearchParams, change: Partial<PlanningState>): URLSearchParams {
  const state = { ...readPlanningState(params), ...change };
  const next = new URLSearchParams(params);
  for (const key of PLANNING_PARAMS) next.delete(key);
  if (state.linearTeam !== null) next.set("lteam", String(state.linearTeam));
  if (state.project !== null) next.set("project", String(state.project));
  if (state.drill !== null) next.set("drill", writeDrill(state.drill));
  if (state.issue !== null) next.set("issue", String(state.issue));
  return next;
}

export type Query = Record<string, QueryValue>;

/** The query every issue metric takes: the global filters, and the Linear team and project. */
export function issueScope(filters: GlobalFilters, state: PlanningState, today: Date = new Date()): Query {
  return {
    ...metricParams(filters, today),
    linear_team_id: state.linearTeam ?? undefined,
    project_id: state.project ?? undefined,
  };
}

/** The issue list behind a drill, or null when the drill's issues come with the cycle. */
export function drillQuery(drill: Drill, scope: Query): Query | null {
  const base = {
    team_id: scope.team_id,
    repo_id: scope.repo_id,
    linear_team_id: scope.linear_team_id,
    project_id: scope.project_id,
  };
  if (drill.kind === "completed") {
    const period = scope.period === "day" || scope.period === "week" ? scope.period : "month";
    return {
      ...base,
      completed_from: drill.period,
      completed_until: periodEnd(drill.period, period),
      sort: "completed_at",
      order: "desc",
    };
  }
  if (drill.kind === "now") {
    return drill.which === "started"
      ? { ...base, state_type: ["started"], sort: "updated_at", order: "desc" }
      : { ...base, state_type: ["triage", "backlog", "unstarted"], sort: "created_at", order: "asc" };
  }
  return null;
}
