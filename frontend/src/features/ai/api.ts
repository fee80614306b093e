import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { metricParams, type GlobalFilters } from "@/lib/filters";
import { drillQuery, type Drill } from "./drill";
import { aiKeys } from "./query-keys";

export type Adoption = Schemas["AdoptionOut"];
export type AdoptionFigures = Schemas["AdoptionFiguresOut"];
export type Cohorts = Schemas["CohortsOut"];
export type Cohort = Schemas["CohortOut"];
export type Comparison = Schemas["ComparisonOut"];
export type AdoptionCrossing = Schemas["AdoptionCrossingOut"];
export type TeamAdoption = Schemas["TeamAdoptionOut"];
export type AiFailures = Schemas["AiFailuresOut"];
export type AiPullRequest = Schemas["AiPullRequestOut"];
export type AiPullRequestPage = Schemas["AiPullRequestPage"];

function useAiFigures<T>(name: "adoption" | "cohorts" | "failures" | "adoption-crossing", filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  const key = name === "adoption-crossing" ? aiKeys.crossing(params) : aiKeys[name](params);
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => client.request<T>(`/api/v1/ai/${name}`, { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Adoption in the filter bar's scope and window: its figures and one point per period. */
export function useAiAdoption(filters: GlobalFilters) {
  return useAiFigures<Adoption>("adoption", filters);
}

/** AI-assisted vs not and AI-reviewed vs not, each measure with its interval. */
export function useAiCohorts(filters: GlobalFilters) {
  return useAiFigures<Cohorts>("cohorts", filters);
}

/** Each team's adoption week and its PRs before and after it. */
export function useAdoptionCrossing(filters: GlobalFilters) {
  return useAiFigures<AdoptionCrossing>("adoption-crossing", filters);
}

/** AI-weighted failures beside the change failure rate. */
export function useAiFailures(filters: GlobalFilters) {
  return useAiFigures<AiFailures>("failures", filters);
}

/** The merged PRs behind a figure, with their AI evidence; "More" follows the cursor. */
export function useAiPullRequests(filters: GlobalFilters, drill: Drill) {
  const client = useApiClient();
  const query = drillQuery(filters, drill);
  return useInfiniteQuery({
    queryKey: aiKeys.pullRequests(query),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      client.request<AiPullRequestPage>("/api/v1/ai/pull-requests", {
        query: { ...query, cursor: pageParam ?? undefined },
        signal,
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
}
