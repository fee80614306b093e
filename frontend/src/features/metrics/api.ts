import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import type { MetricOut, Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { metricParams, type GlobalFilters } from "@/lib/filters";
import { metricsKeys, type MetricFamily } from "./query-keys";

export interface MetricRef {
  family: MetricFamily;
  slug: string;
}

export const DORA_METRICS: readonly MetricRef[] = [
  { family: "dora", slug: "deployment-frequency" },
  { family: "dora", slug: "lead-time" },
  { family: "dora", slug: "change-failure-rate" },
  { family: "dora", slug: "recovery-time" },
  { family: "dora", slug: "rework-rate" },
];

export const FLOW_HEADLINE_METRICS: readonly MetricRef[] = [
  { family: "development", slug: "pr-review-time" },
  { family: "development", slug: "cycle-time" },
  { family: "development", slug: "throughput" },
];

/** Each metric with its series, fetched in parallel; the previous numbers stay while new load. */
export function useMetrics(metrics: readonly MetricRef[], filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQueries({
    queries: metrics.map(({ family, slug }) => ({
      queryKey: metricsKeys.metric(family, slug, params),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        client.request<MetricOut>(`/api/v1/metrics/${family}/${slug}`, { query: params, signal }),
      placeholderData: keepPreviousData,
    })),
  });
}

export function useDoraSummary(filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQuery({
    queryKey: metricsKeys.doraSummary(params),
    queryFn: ({ signal }) => client.request<Schemas["DoraOut"]>("/api/v1/metrics/dora", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** One metric for each of the selection's most active repositories, in one request. */
export function useMetricByRepository(ref: MetricRef, filters: GlobalFilters, limit = 20) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQuery({
    queryKey: metricsKeys.byRepository(ref.family, ref.slug, params),
    queryFn: ({ signal }) =>
      client.request<Schemas["RepositoryBreakdownOut"]>(`/api/v1/metrics/${ref.family}/${ref.slug}/by-repository`, {
        query: { ...params, limit },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
