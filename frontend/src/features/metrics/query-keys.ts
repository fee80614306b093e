import type { MetricParams } from "@/lib/filters";

export type MetricFamily = "dora" | "development";

export const metricsKeys = {
  all: ["metrics"] as const,
  metric: (family: MetricFamily, slug: string, params: MetricParams) =>
    [...metricsKeys.all, family, slug, params] as const,
  byRepository: (family: MetricFamily, slug: string, params: MetricParams) =>
    [...metricsKeys.all, family, slug, "by-repository", params] as const,
  doraSummary: (params: MetricParams) => [...metricsKeys.all, "dora-summary", params] as const,
};
