import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "@/lib/api-client-context";
import { ingestTokensKeys } from "./query-keys";
import type { IngestToken, IngestTokenCreate, IngestTokenCreated, IngestTokenList } from "./types";

const PATH = "/api/v1/settings/ingest-tokens";

export function useIngestTokens() {
  const client = useApiClient();
  return useQuery({
    queryKey: ingestTokensKeys.list(),
    queryFn: ({ signal }) => client.request<IngestTokenList>(PATH, { signal }),
  });
}

/** The listed part of a created token: the secret itself never goes into the cache. */
function withoutSecret({
  id,
  name,
  prefix,
  status,
  created_at,
  created_by,
  expires_at,
  last_used_at,
  revoked_at,
}: IngestTokenCreated): IngestToken {
  return { id, name, prefix, status, created_at, created_by, expires_at, last_used_at, revoked_at };
}

export function useCreateIngestToken() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: IngestTokenCreate) => client.request<IngestTokenCreated>(PATH, { method: "POST", body }),
    onSuccess: (created) => {
      queryClient.setQueryData<IngestTokenList>(ingestTokensKeys.list(), (list) =>
        list ? { items: [withoutSecret(created), ...list.items] } : list,
      );
    },
  });
}

export function useRevokeIngestToken() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => client.request<void>(`${PATH}/${id}`, { method: "DELETE" }),
    onSuccess: (_, id) => {
      const revokedAt = new Date().toISOString();
      queryClient.setQueryData<IngestTokenList>(ingestTokensKeys.list(), (list) =>
        list
          ? {
              items: list.items.map((item) =>
                item.id === id ? { ...item, status: "revoked", revoked_at: item.revoked_at ?? revokedAt } : item,
              ),
            }
          : list,
      );
    },
  });
}
