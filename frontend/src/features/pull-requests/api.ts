import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import type { QueryValue } from "@/lib/api-client";
import { pullRequestKeys } from "./query-keys";

export type PullRequest = Schemas["PullRequestOut"];
export type PullRequestDetail = Schemas["PullRequestDetailOut"];

export function usePullRequests(query: Record<string, QueryValue>) {
  const client = useApiClient();
  return useQuery({
    queryKey: pullRequestKeys.list(query),
    queryFn: ({ signal }) => client.request<Schemas["PullRequestPage"]>("/api/v1/github/prs", { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePullRequest(id: number | null) {
  const client = useApiClient();
  return useQuery({
    queryKey: pullRequestKeys.detail(id ?? 0),
    queryFn: ({ signal }) => client.request<PullRequestDetail>(`/api/v1/github/prs/${id}`, { signal }),
    enabled: id !== null,
  });
}
