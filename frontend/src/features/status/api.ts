import { useQuery } from "@tanstack/react-query";
import type { SystemStatus } from "./types";
import { useApiClient } from "@/lib/api-client-context";
import { statusKeys } from "./query-keys";

export function useSystemStatus() {
  const client = useApiClient();
  return useQuery({
    queryKey: statusKeys.detail(),
    queryFn: ({ signal }) => client.request<SystemStatus>("/api/v1/status", { signal }),
    refetchInterval: 30_000,
  });
}
