import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useSession, useSetupStatus } from "../api";
import { resolveAuthRedirect, type AuthArea } from "../auth-redirect";

function readFrom(state: unknown): string | null {
  if (typeof state !== "object" || state === null) return null;
  const from = (state as { from?: unknown }).from;
  return typeof from === "string" ? from : null;
}

function GateMessage({ children }: { children: ReactNode }) {
  return (
    <main className="gate" id="main">
      <div className="gate-box">{children}</div>
    </main>
  );
}

/**
 * Shows its children only to the visitors allowed in `area`, and sends the
 * others to the first-run page, the sign-in page or the dashboard.
 */
export function AuthGate({ area, children }: { area: AuthArea; children: ReactNode }) {
  const setup = useSetupStatus();
  const session = useSession();
  const location = useLocation();

  if (setup.isError) {
    return (
      <GateMessage>
        <h1>Veelocity is unavailable</h1>
        <ErrorAlert error={setup.error} onRetry={() => void setup.refetch()} />
      </GateMessage>
    );
  }
  if (setup.isPending) {
    return (
      <GateMessage>
        <LoadingBlock label="Loading Veelocity…" />
      </GateMessage>
    );
  }

  const needsSetup = setup.data.needs_setup;
  if (!needsSetup && session.isError) {
    return (
      <GateMessage>
        <h1>Cannot restore your session</h1>
        <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
      </GateMessage>
    );
  }
  if (!needsSetup && session.isPending) {
    return (
      <GateMessage>
        <LoadingBlock label="Restoring your session…" />
      </GateMessage>
    );
  }

  const target = resolveAuthRedirect({
    area,
    needsSetup,
    signedIn: Boolean(session.data),
    from: readFrom(location.state),
  });
  if (target !== null) {
    const state = area === "member" && target === "/login" ? { from: `${location.pathname}${location.search}` } : null;
    return <Navigate to={target} replace state={state} />;
  }
  return <>{children}</>;
}
