import type { MetricParams } from "@/lib/filters";

export const peopleKeys = {
  all: ["people"] as const,
  teams: () => [...peopleKeys.all, "teams"] as const,
  repositories: () => [...peopleKeys.all, "repositories"] as const,
  linearUsers: () => [...peopleKeys.all, "linear-users"] as const,
  reviewers: (params: MetricParams) => [...peopleKeys.all, "reviewers", params] as const,
  developers: (params: MetricParams) => [...peopleKeys.all, "developers", params] as const,
};
