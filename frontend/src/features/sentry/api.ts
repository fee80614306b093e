import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Schemas } from "@/api/models";
import { useApiClient } from "@/lib/api-client-context";
import { filterDays, metricParams, type GlobalFilters } from "@/lib/filters";
import { sentryKeys } from "./query-keys";

export type SentrySeries = Schemas["SentrySeriesOut"];
export type SentryIssue = Schemas["SentryIssueOut"];
export type SentryIssuePage = Schemas["SentryIssuePage"];
export type SentryProject = Schemas["SentryProjectOut"];
export type Thresholds = Schemas["ThresholdsIn"];
export type IncidentPreview = Schemas["IncidentPreviewOut"];
export type PreviewEntry = Schemas["PreviewEntryOut"];
export type ThresholdsInUse = Schemas["ThresholdsOut"];
export type IssueLevel = Thresholds["levels"][number];

/** Error events and new issues per period, in all and per project, for the filter bar's scope. */
export function useSentrySeries(filters: GlobalFilters) {
  const client = useApiClient();
  const params = metricParams(filters);
  return useQuery({
    queryKey: sentryKeys.series(params),
    queryFn: ({ signal }) => client.request<SentrySeries>("/api/v1/metrics/sentry", { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The issue list's query: issues seen in the window, of the chosen repositories' projects. */
export function issueQuery(filters: GlobalFilters, incident: boolean, today: Date = new Date()) {
  const { start, end } = filterDays(filters, today);
  return { incident, repo_id: filters.repositories, start_date: start, end_date: end, page_size: 25 };
}

/** Sentry issues that are (or are not) incidents, each with why; "More" follows the cursor. */
export function useSentryIssues(filters: GlobalFilters, incident: boolean) {
  const client = useApiClient();
  const query = issueQuery(filters, incident);
  return useInfiniteQuery({
    queryKey: sentryKeys.issues(query),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      client.request<SentryIssuePage>("/api/v1/sentry/issues", {
        query: { ...query, cursor: pageParam ?? undefined },
        signal,
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useSentryProjects() {
  const client = useApiClient();
  return useQuery({
    queryKey: sentryKeys.projects(),
    queryFn: ({ signal }) =>
      client.request<Schemas["SentryProjectList"]>("/api/v1/sentry/projects", { signal }).then((list) => list.items),
  });
}

export function useRepositoryChoices() {
  const client = useApiClient();
  return useQuery({
    queryKey: sentryKeys.repositories(),
    queryFn: ({ signal }) => client.request<Schemas["RepositoryOut"][]>("/api/v1/repositories", { signal }),
  });
}

/** Choose a project's repository (a number), none (null), or "auto" to let syncs find it again. */
export function useMapProject() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ projectId, repositoryId }: { projectId: number; repositoryId: number | null | "auto" }) =>
      repositoryId === "auto"
        ? client.request<SentryProject>(`/api/v1/sentry/projects/${projectId}/repository`, { method: "DELETE" })
        : client.request<SentryProject>(`/api/v1/sentry/projects/${projectId}/repository`, {
            method: "PUT",
            body: { repository_id: repositoryId } satisfies Schemas["RepositoryChoice"],
          }),
    onSuccess: (saved) => {
      queryClient.setQueryData<SentryProject[]>(sentryKeys.projects(), (current) =>
        current?.map((project) => (project.id === saved.id ? saved : project)),
      );
      // Incidents were attributed again: every other list and figure may have moved.
      const projects = sentryKeys.projects();
      void queryClient.invalidateQueries({
        predicate: (query) => !(query.queryKey[0] === projects[0] && query.queryKey[1] === projects[1]),
      });
    },
  });
}

/** The thresholds in use: saved in Settings, or the server configuration's. */
export function useThresholds() {
  const client = useApiClient();
  return useQuery({
    queryKey: sentryKeys.thresholds(),
    queryFn: ({ signal }) => client.request<ThresholdsInUse>("/api/v1/sentry/thresholds", { signal }),
  });
}

/** Save thresholds (or null: forget them, the configuration's apply). Incidents are decided
 * again at once, so every other figure may move. */
export function useSaveThresholds() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (thresholds: Thresholds | null) =>
      thresholds === null
        ? client.request<ThresholdsInUse>("/api/v1/sentry/thresholds", { method: "DELETE" })
        : client.request<ThresholdsInUse>("/api/v1/sentry/thresholds", { method: "PUT", body: thresholds }),
    onSuccess: (saved) => {
      queryClient.setQueryData(sentryKeys.thresholds(), saved);
      const kept = sentryKeys.thresholds();
      void queryClient.invalidateQueries({
        predicate: (query) => !(query.queryKey[0] === kept[0] && query.queryKey[1] === kept[1]),
      });
    },
  });
}

/** Which stored issues other thresholds would make incidents; nothing is saved. */
export function usePreviewThresholds() {
  const client = useApiClient();
  return useMutation({
    mutationFn: (thresholds: Thresholds) =>
      client.request<IncidentPreview>("/api/v1/sentry/incident-preview", { method: "POST", body: thresholds }),
  });
}
