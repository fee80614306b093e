import type { QueryClient } from "@tanstack/react-query";
import type { SetupStatus, TokenResponse, User } from "./types";
import type { ApiClient } from "@/lib/api-client";
import { authKeys } from "./query-keys";

export function startSession(client: ApiClient, queryClient: QueryClient, tokens: TokenResponse): void {
  client.startSession(tokens);
  queryClient.setQueryData<SetupStatus>(authKeys.setup(), { needs_setup: false });
  queryClient.setQueryData<User | null>(authKeys.session(), tokens.user);
}

/** Forgets the session locally and drops every cached answer but the auth ones. */
export function endSession(client: ApiClient, queryClient: QueryClient): void {
  client.clearSession();
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
  queryClient.setQueryData<User | null>(authKeys.session(), null);
}
