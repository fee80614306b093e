export const drilldownKeys = {
  all: ["drilldown"] as const,
  deployments: (query: Record<string, unknown>) => [...drilldownKeys.all, "deployments", query] as const,
  incidents: (query: Record<string, unknown>) => [...drilldownKeys.all, "incidents", query] as const,
};
