import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "@/lib/api-client-context";
import { syncKeys } from "./query-keys";
import type { SyncRun, SyncRunPage, SyncStatus } from "./types";

/** Sync status; polled every second while a run is queued or running, else every 30 s. */
export function useSyncStatus() {
  const client = useApiClient();
  return useQuery({
    queryKey: syncKeys.status(),
    queryFn: ({ signal }) => client.request<SyncStatus>("/api/v1/sync/status", { signal }),
    refetchInterval: (query) => (query.state.data?.sources.some((source) => source.state !== "idle") ? 1_000 : 30_000),
    staleTime: 5_000,
    // Asked again whenever a page shows it: a source saved in Settings a moment ago is configured.
    refetchOnMount: "always",
  });
}

export function useSyncRuns(page: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: syncKeys.runs(null, page),
    queryFn: ({ signal }) =>
      client.request<SyncRunPage>("/api/v1/sync/runs", { query: { page, page_size: 20 }, signal }),
    refetchInterval: 5_000,
  });
}

export function useStartSync() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (source: string | null) =>
      client.request<{ runs: SyncRun[] }>("/api/v1/sync", { method: "POST", body: source ? { source } : {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.all }),
  });
}

export function useCancelRun() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: number) => client.request<SyncRun>(`/api/v1/sync/runs/${runId}/cancel`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: syncKeys.all }),
  });
}
