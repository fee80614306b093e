import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import type { QueryValue } from "@/lib/api-client";
import { useApiClient } from "@/lib/api-client-context";
import { planningKeys } from "./query-keys";

export type Issue = Schemas["IssueOut"];
export type IssueDetail = Schemas["IssueDetailOut"];
export type IssueFlow = Schemas["IssueFlowOut"];
export type IssueWip = Schemas["IssueWipOut"];
export type CycleDetail = Schemas["CycleDetailOut"];
export type CycleIssue = Schemas["CycleIssueOut"];

type Query = Record<string, QueryValue>;

export function useLinearTeams() {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.linearTeams(),
    queryFn: ({ signal }) => client.request<Schemas["LinearTeamOut"][]>("/api/v1/linear/teams", { signal }),
    // Asked again on each visit: the first Linear sync adds teams while the app is open.
    staleTime: 0,
  });
}

export function useLinearProjects() {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.projects(),
    queryFn: ({ signal }) => client.request<Schemas["LinearProjectOut"][]>("/api/v1/linear/projects", { signal }),
    staleTime: 0,
  });
}

export function useIssueFlow(query: Query) {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.flow(query),
    queryFn: ({ signal }) => client.request<IssueFlow>("/api/v1/metrics/issues/flow", { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useIssueThroughput(query: Query) {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.throughput(query),
    queryFn: ({ signal }) =>
      client.request<Schemas["IssueThroughputOut"]>("/api/v1/metrics/issues/throughput", { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useIssueWip(query: Query) {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.wip(query),
    queryFn: ({ signal }) => client.request<IssueWip>("/api/v1/metrics/issues/wip", { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCycle(id: number | null) {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.cycle(id ?? 0),
    queryFn: ({ signal }) => client.request<CycleDetail>(`/api/v1/cycles/${id}`, { signal }),
    enabled: id !== null,
  });
}

/** Issues in keyset-paged order: each page continues from the last one's cursor. */
export function useIssues(query: Query) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: planningKeys.issues(query),
    queryFn: ({ signal, pageParam }) =>
      client.request<Schemas["IssuePage"]>("/api/v1/issues", {
        query: { ...query, cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

export function useIssue(id: number | null) {
  const client = useApiClient();
  return useQuery({
    queryKey: planningKeys.issue(id ?? 0),
    queryFn: ({ signal }) => client.request<IssueDetail>(`/api/v1/issues/${id}`, { signal }),
    enabled: id !== null,
  });
}
