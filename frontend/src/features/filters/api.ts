import { useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import type { CycleDates } from "./cycle-range";
import { filterKeys } from "./query-keys";

/** What the cycle picker reads of each cycle (GET /api/v1/cycles). */
export type CycleOption = CycleDates & { status: string };

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

/** Linear cycles for the cycle picker; none until Linear has synced. */
export function useCycleOptions() {
  const client = useApiClient();
  return useQuery({
    queryKey: filterKeys.cycles(),
    queryFn: ({ signal }) => client.request<CycleOption[]>("/api/v1/cycles", { signal }),
    // Asked again on each page: the first Linear sync adds cycles while the app is open.
    staleTime: 0,
  });
}
