import type { QueryValue } from "@/lib/api-client";

type Query = Record<string, QueryValue>;

export const planningKeys = {
  all: ["planning"] as const,
  linearTeams: () => [...planningKeys.all, "linear-teams"] as const,
  projects: () => [...planningKeys.all, "projects"] as const,
  flow: (query: Query) => [...planningKeys.all, "flow", query] as const,
  throughput: (query: Query) => [...planningKeys.all, "throughput", query] as const,
  wip: (query: Query) => [...planningKeys.all, "wip", query] as const,
  cycle: (id: number) => [...planningKeys.all, "cycle", id] as const,
  issues: (query: Query) => [...planningKeys.all, "issues", query] as const,
  issue: (id: number) => [...planningKeys.all, "issue", id] as const,
};
