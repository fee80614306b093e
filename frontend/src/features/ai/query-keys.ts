export const aiKeys = {
  all: ["ai"] as const,
  adoption: (query: Record<string, unknown>) => [...aiKeys.all, "adoption", query] as const,
  cohorts: (query: Record<string, unknown>) => [...aiKeys.all, "cohorts", query] as const,
  crossing: (query: Record<string, unknown>) => [...aiKeys.all, "crossing", query] as const,
  failures: (query: Record<string, unknown>) => [...aiKeys.all, "failures", query] as const,
  pullRequests: (query: Record<string, unknown>) => [...aiKeys.all, "pull-requests", query] as const,
};
