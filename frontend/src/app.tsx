import { lazy, useState, type ReactNode } from "react";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { ErrorBoundary } from "@/components/error-boundary";
import { AuthGate } from "@/features/auth/components/auth-gate";
import { SessionNoticeProvider } from "@/features/auth/session-notice";
import { ApiClient } from "@/lib/api-client";
import { ApiClientProvider } from "@/lib/api-client-context";
import { apiBaseUrl } from "@/lib/config";
import { createQueryClient } from "@/lib/query-client";
import { AppShell } from "@/routes/app-shell";
import { DashboardPage } from "@/routes/dashboard-page";
import { LoginPage } from "@/routes/login-page";
import { NotFoundPage } from "@/routes/not-found-page";
import { SetupPage } from "@/routes/setup-page";

// Pages behind the sign-in load on demand to keep the first download small.
const SettingsPage = lazy(() => import("@/routes/settings-page").then((module) => ({ default: module.SettingsPage })));
const StatusPage = lazy(() => import("@/routes/status-page").then((module) => ({ default: module.StatusPage })));
const DoraPage = lazy(() => import("@/routes/dora-page").then((module) => ({ default: module.DoraPage })));
const FlowPage = lazy(() => import("@/routes/flow-page").then((module) => ({ default: module.FlowPage })));
const PullRequestsPage = lazy(() =>
  import("@/routes/pull-requests-page").then((module) => ({ default: module.PullRequestsPage })),
);
const PlanningPage = lazy(() => import("@/routes/planning-page").then((module) => ({ default: module.PlanningPage })));
const PeoplePage = lazy(() => import("@/routes/people-page").then((module) => ({ default: module.PeoplePage })));
const ProductionErrorsPage = lazy(() =>
  import("@/routes/production-errors-page").then((module) => ({ default: module.ProductionErrorsPage })),
);
const AiImpactPage = lazy(() => import("@/routes/ai-impact-page").then((module) => ({ default: module.AiImpactPage })));
const SyncPage = lazy(() => import("@/routes/sync-page").then((module) => ({ default: module.SyncPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/setup"
        element={
          <AuthGate area="setup">
            <SetupPage />
          </AuthGate>
        }
      />
      <Route
        path="/login"
        element={
          <AuthGate area="guest">
            <LoginPage />
          </AuthGate>
        }
      />
      <Route
        element={
          <AuthGate area="member">
            <AppShell />
          </AuthGate>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="dora" element={<DoraPage />} />
        <Route path="flow" element={<FlowPage />} />
        <Route path="pull-requests" element={<PullRequestsPage />} />
        <Route path="planning" element={<PlanningPage />} />
        <Route path="errors" element={<ProductionErrorsPage />} />
        <Route path="ai" element={<AiImpactPage />} />
        <Route path="people" element={<PeoplePage />} />
        <Route path="sync" element={<SyncPage />} />
        <Route path="status" element={<StatusPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export interface AppProvidersProps {
  client: ApiClient;
  queryClient: QueryClient;
  children: ReactNode;
}

/** Everything a page needs around it: the API client, the query cache and the session notice. */
export function AppProviders({ client, queryClient, children }: AppProvidersProps) {
  return (
    <ApiClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <SessionNoticeProvider>{children}</SessionNoticeProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  );
}

export function App() {
  const [client] = useState(() => new ApiClient({ baseUrl: apiBaseUrl }));
  const [queryClient] = useState(createQueryClient);
  return (
    <AppProviders client={client} queryClient={queryClient}>
      <BrowserRouter>
        <ErrorBoundary>
          <AppRoutes />
        </ErrorBoundary>
      </BrowserRouter>
    </AppProviders>
  );
}
