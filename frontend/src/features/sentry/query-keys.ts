export const sentryKeys = {
  all: ["sentry"] as const,
  series: (query: Record<string, unknown>) => [...sentryKeys.all, "series", query] as const,
  issues: (query: Record<string, unknown>) => [...sentryKeys.all, "issues", query] as const,
  projects: () => [...sentryKeys.all, "projects"] as const,
  repositories: () => [...sentryKeys.all, "repositories"] as const,
  thresholds: () => [...sentryKeys.all, "thresholds"] as const,
};
