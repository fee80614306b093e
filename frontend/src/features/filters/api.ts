import { useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { filterKeys } from "./query-keys";

export function useRepositoryOptions() {
  const client = useApiClient();
  return useQuery({
    queryKey: filterKeys.repositories(),
    queryFn: ({ signal }) => client.request<Schemas["RepositoryOut"][]>("/api/v1/repositories", { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useTeamOptions() {
  const client = useApiClient();
  return useQuery({
    queryKey: filterKeys.teams(),
    queryFn: ({ signal }) => client.request<Schemas["TeamList"]>("/api/v1/teams", { signal }),
    staleTime: 60_000,
  });
}
