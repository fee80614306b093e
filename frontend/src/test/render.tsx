import type { ReactElement } from "react";
import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import type { User } from "@/api/models";
import { AppProviders, AppRoutes } from "@/app";
import { authKeys } from "@/features/auth/query-keys";
import { ApiClient } from "@/lib/api-client";
import { makeTokens } from "./builders";
import { createFakeFetch, jsonResponse, type RouteHandler } from "./fake-fetch";

export interface RenderOptions {
  routes?: Record<string, RouteHandler>;
  /** Starting URL of the in-memory router. */
  path?: string;
  /** Signs this user in before rendering, as after a login. */
  user?: User;
}

function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: Number.POSITIVE_INFINITY },
      mutations: { retry: false },
    },
  });
}

function setup(options: RenderOptions) {
  const fake = createFakeFetch({
    "GET /api/v1/auth/setup": () => jsonResponse(200, { needs_setup: false }),
    // An empty workspace unless a test says otherwise.
    "GET /api/v1/repositories": () => jsonResponse(200, []),
    "GET /api/v1/teams": () => jsonResponse(200, { items: [] }),
    "GET /api/v1/sync/status": () => jsonResponse(200, { demo: false, sources: [] }),
    "GET /api/v1/cycles": () => jsonResponse(200, []),
    "GET /api/v1/linear/users": () => jsonResponse(200, { items: [], developers: [] }),
    ...options.routes,
  });
  const client = new ApiClient({ baseUrl: "", fetch: fake.fetch });
  const queryClient = createTestQueryClient();
  if (options.user) {
    client.startSession(makeTokens(options.user));
    queryClient.setQueryData(authKeys.setup(), { needs_setup: false });
    queryClient.setQueryData(authKeys.session(), options.user);
  }
  return { fake, client, queryClient };
}

/** Renders the whole app (gates, shell and pages) at `path`. */
export function renderApp(options: RenderOptions = {}) {
  const { fake, client, queryClient } = setup(options);
  const user = userEvent.setup();
  const result = render(
    <AppProviders client={client} queryClient={queryClient}>
      <MemoryRouter initialEntries={[options.path ?? "/"]}>
        <AppRoutes />
      </MemoryRouter>
    </AppProviders>,
  );
  return { ...result, fake, client, queryClient, user };
}

/** Renders one component with the app's providers around it. */
export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}) {
  const { fake, client, queryClient } = setup(options);
  const user = userEvent.setup();
  const result = render(
    <AppProviders client={client} queryClient={queryClient}>
      <MemoryRouter initialEntries={[options.path ?? "/"]}>{ui}</MemoryRouter>
    </AppProviders>,
  );
  return { ...result, fake, client, queryClient, user };
}
