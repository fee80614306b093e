import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditPage } from "./types";
import { useApiClient } from "@/lib/api-client-context";
import { auditKeys } from "./query-keys";

export const AUDIT_PAGE_SIZE = 50;

export function useAuditPage(page: number, pageSize: number = AUDIT_PAGE_SIZE) {
  const client = useApiClient();
  return useQuery({
    queryKey: auditKeys.page(page, pageSize),
    queryFn: ({ signal }) =>
      client.request<AuditPage>("/api/v1/audit", { query: { page, page_size: pageSize }, signal }),
    placeholderData: keepPreviousData,
  });
}
