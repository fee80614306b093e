import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { metricParams, type GlobalFilters } from "@/lib/filters";
import { peopleKeys } from "./query-keys";

export type Team = Schemas["TeamOut"];
export type TeamInput = Schemas["TeamIn"];

export function useTeams() {
  const client = useApiClient();
  return useQuery({
    queryKey: peopleKeys.teams(),
    queryFn: ({ signal }) => client.request<Schemas["TeamList"]>("/api/v1/teams", { signal }),
  });
}

export function useKnownRepositories() {
  const client = useApiClient();
  return useQuery({
    queryKey: peopleKeys.repositories(),
    queryFn: ({ signal }) => client.request<Schemas["RepositoryOut"][]>("/api/v1/repositories", { signal }),
    staleTime: 5 * 60_000,
  });
}

/** Creates (no id) or replaces (id) a team. Every cached view may depend on teams: refresh all. */
export function useSaveTeam() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, team }: { id: number | null; team: TeamInput }) =>
      id === null
        ? client.request<Team>("/api/v1/teams", { method: "POST", body: team })
        : client.request<Team>(`/api/v1/teams/${id}`, { method: "PUT", body: team }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useDeleteTeam() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => client.request<void>(`/api/v1/teams/${id}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useReviewers(filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQuery({
    queryKey: peopleKeys.reviewers(params),
    queryFn: ({ signal }) =>
      client.request<Schemas["ReviewersOut"]>("/api/v1/metrics/reviewers", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDevelopers(filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQuery({
    queryKey: peopleKeys.developers(params),
    queryFn: ({ signal }) =>
      client.request<Schemas["DevelopersOut"]>("/api/v1/metrics/developers", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export type LinearUser = Schemas["LinearUserOut"];
export type LinearUserList = Schemas["LinearUserList"];

export function useLinearUsers() {
  const client = useApiClient();
  return useQuery({
    queryKey: peopleKeys.linearUsers(),
    queryFn: ({ signal }) => client.request<LinearUserList>("/api/v1/linear/users", { signal }),
  });
}

/** Who a Linear user is: matched by e-mail again ("email"), nobody (null), or a developer's id. */
export type LinearUserChoice = "email" | number | null;

/** Records an admin's choice; issue figures by person depend on it, so every cached view refreshes. */
export function useChooseLinearDeveloper() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, choice }: { userId: number; choice: LinearUserChoice }) =>
      choice === "email"
        ? client.request<LinearUser>(`/api/v1/linear/users/${userId}/developer`, { method: "DELETE" })
        : client.request<LinearUser>(`/api/v1/linear/users/${userId}/developer`, {
            method: "PUT",
            body: { developer_id: choice },
          }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
