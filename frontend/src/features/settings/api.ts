import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  ConnectionTestResult,
  DeploymentPatterns,
  GithubOAuthStart,
  IncidentPatterns,
  Settings,
  SourceName,
  SourceSettingsMap,
  SourceUpdate,
} from "./types";
import { useApiClient } from "@/lib/api-client-context";
import { settingsKeys } from "./query-keys";

export function useSettings() {
  const client = useApiClient();
  return useQuery({
    queryKey: settingsKeys.detail(),
    queryFn: ({ signal }) => client.request<Settings>("/api/v1/settings", { signal }),
  });
}

export function useSaveSource<S extends SourceName>(source: S) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: SourceUpdate) =>
      client.request<SourceSettingsMap[S]>(`/api/v1/settings/sources/${source}`, { method: "PUT", body: update }),
    onSuccess: (saved) => {
      queryClient.setQueryData<Settings>(settingsKeys.detail(), (current) =>
        current ? { ...current, sources: { ...current.sources, [source]: saved } } : current,
      );
    },
  });
}

type PatternsField = "deployment_patterns" | "incident_patterns";

function useSavePatterns<T extends DeploymentPatterns | IncidentPatterns>(path: string, field: PatternsField) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patterns: string[]) =>
      client.request<T>(path, { method: "PUT", body: { patterns } satisfies DeploymentPatterns | IncidentPatterns }),
    onSuccess: (saved) => {
      queryClient.setQueryData<Settings>(settingsKeys.detail(), (current) =>
        current ? { ...current, [field]: saved.patterns } : current,
      );
    },
  });
}

export function useSaveDeploymentPatterns() {
  return useSavePatterns<DeploymentPatterns>("/api/v1/settings/deployment-patterns", "deployment_patterns");
}

export function useSaveIncidentPatterns() {
  return useSavePatterns<IncidentPatterns>("/api/v1/settings/incident-patterns", "incident_patterns");
}

/** Starts "Connect with GitHub"; the caller sends the browser to the returned URL. */
export function useStartGithubOAuth() {
  const client = useApiClient();
  return useMutation({
    mutationFn: () => client.request<GithubOAuthStart>("/api/v1/settings/sources/github/oauth", { method: "POST" }),
  });
}

/** One or two cheap upstream calls with the form's values (empty secrets use the stored ones). */
export function useTestConnection(source: SourceName) {
  const client = useApiClient();
  return useMutation({
    mutationFn: (update: SourceUpdate) =>
      client.request<ConnectionTestResult>(`/api/v1/settings/sources/${source}/test`, {
        method: "POST",
        body: update,
      }),
  });
}
