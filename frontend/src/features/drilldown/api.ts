import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { metricParams, type GlobalFilters } from "@/lib/filters";
import { drilldownKeys } from "./query-keys";

export type Deployment = Schemas["DeploymentPage"]["items"][number];
export type Incident = Schemas["IncidentPage"]["items"][number];
export type DeploymentErrors = Schemas["DeploymentErrorsOut"];
export type SentryIssue = Schemas["SentryIssueOut"];

export interface PointQuery {
  filters: GlobalFilters;
  periodStart: string | null;
  page: number;
  failed?: boolean;
  rework?: boolean;
}

function query({ filters, periodStart, page }: PointQuery) {
  return { ...metricParams(filters), period_start: periodStart ?? undefined, page, page_size: 20 };
}

export function useDeployments(point: PointQuery) {
  const client = useApiClient();
  const params = { ...query(point), failed: point.failed, rework: point.rework };
  return useQuery({
    queryKey: drilldownKeys.deployments(params),
    queryFn: ({ signal }) =>
      client.request<Schemas["DeploymentPage"]>("/api/v1/deployments", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useIncidents(point: PointQuery) {
  const client = useApiClient();
  const params = query(point);
  return useQuery({
    queryKey: drilldownKeys.incidents(params),
    queryFn: ({ signal }) => client.request<Schemas["IncidentPage"]>("/api/v1/incidents", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** One deployment by id, whatever its window or environment (the drawer, links to it). */
export function useDeployment(id: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: drilldownKeys.deployment(id),
    queryFn: ({ signal }) => client.request<Deployment>(`/api/v1/deployments/${id}`, { signal }),
  });
}

/** The Sentry issues that failed a deployment, and its errors in the 24 h before and after. */
export function useDeploymentErrors(id: number) {
  const client = useApiClient();
  return useQuery({
    queryKey: drilldownKeys.deploymentErrors(id),
    queryFn: ({ signal }) => client.request<DeploymentErrors>(`/api/v1/deployments/${id}/errors`, { signal }),
  });
}

/** The error impact of each deployment of a page, fetched in parallel. */
export function useDeploymentsErrors(ids: readonly number[]) {
  const client = useApiClient();
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: drilldownKeys.deploymentErrors(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        client.request<DeploymentErrors>(`/api/v1/deployments/${id}/errors`, { signal }),
    })),
  });
}
