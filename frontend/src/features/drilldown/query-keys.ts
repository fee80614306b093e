export const drilldownKeys = {
  all: ["drilldown"] as const,
  deployments: (query: Record<string, unknown>) => [...drilldownKeys.all, "deployments", query] as const,
  incidents: (query: Record<string, unknown>) => [...drilldownKeys.all, "incidents", query] as const,
  deployment: (id: number) => [...drilldownKeys.all, "deployment", id] as const,
  deploymentErrors: (id: number) => [...drilldownKeys.all, "deployment-errors", id] as const,
};
