import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Credentials, PasswordChange, SetupStatus, TokenResponse, User } from "./types";
import { useApiClient } from "@/lib/api-client-context";
import { isApiError } from "@/lib/api-error";
import { authKeys } from "./query-keys";
import { endSession, startSession } from "./session-cache";
import { useSessionNotice, type SessionNotice } from "./session-notice";

/** Whether the first admin still has to be created. Public. */
export function useSetupStatus() {
  const client = useApiClient();
  return useQuery({
    queryKey: authKeys.setup(),
    queryFn: ({ signal }) => client.request<SetupStatus>("/api/v1/auth/setup", { auth: false, signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The signed-in user, or null. Without an access token in memory (a fresh page
 * load), the refresh cookie is exchanged for one first.
 */
export function useSession() {
  const client = useApiClient();
  return useQuery({
    queryKey: authKeys.session(),
    queryFn: async ({ signal }): Promise<User | null> => {
      if (!client.hasSession) {
        const tokens = await client.refreshSession();
        return tokens?.user ?? null;
      }
      try {
        return await client.request<User>("/api/v1/auth/me", { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}

/** The signed-in user; only for components rendered inside the member area. */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser needs a signed-in user (render it inside <AuthGate area="member">).');
  return data;
}

export function useLogin() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { setNotice } = useSessionNotice();
  return useMutation({
    mutationFn: (credentials: Credentials) =>
      client.request<TokenResponse>("/api/v1/auth/login", { method: "POST", body: credentials, auth: false }),
    onSuccess: (tokens) => {
      setNotice(null);
      startSession(client, queryClient, tokens);
    },
  });
}

export function useCreateFirstAdmin() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) =>
      client.request<TokenResponse>("/api/v1/auth/setup", { method: "POST", body: credentials, auth: false }),
    onSuccess: (tokens) => startSession(client, queryClient, tokens),
    onError: async (error) => {
      // Someone else finished the setup: the gate will send this person to sign in.
      if (isApiError(error) && error.status === 409) {
        await queryClient.invalidateQueries({ queryKey: authKeys.setup() });
      }
    },
  });
}

function useEndSession() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const { setNotice } = useSessionNotice();
  return (notice: SessionNotice) => {
    setNotice(notice);
    endSession(client, queryClient);
  };
}

export function useLogout() {
  const client = useApiClient();
  const finish = useEndSession();
  return useMutation({
    mutationFn: async () => {
      try {
        await client.request<void>("/api/v1/auth/logout", { method: "POST" });
      } catch (error) {
        // The session is forgotten here either way; a failed call must not keep someone signed in.
        if (!isApiError(error)) throw error;
      }
    },
    onSettled: () => finish("signed-out"),
  });
}

export function useChangePassword() {
  const client = useApiClient();
  const finish = useEndSession();
  return useMutation({
    mutationFn: (change: PasswordChange) =>
      client.request<void>("/api/v1/auth/password", { method: "POST", body: change }),
    // Every session is revoked by the server, this one included.
    onSuccess: () => finish("password-changed"),
  });
}
