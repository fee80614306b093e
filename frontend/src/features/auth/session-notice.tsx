import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "@/lib/api-client-context";
import { endSession } from "./session-cache";

export type SessionNotice = "signed-out" | "password-changed" | "expired";

export const sessionNoticeText: Record<SessionNotice, string> = {
  "signed-out": "You have signed out.",
  "password-changed": "Your password was changed. Sign in with your new password.",
  expired: "Your session has ended. Sign in again.",
};

interface SessionNoticeValue {
  notice: SessionNotice | null;
  setNotice: (notice: SessionNotice | null) => void;
}

const SessionNoticeContext = createContext<SessionNoticeValue | null>(null);

/**
 * Holds why the last session ended, for the sign-in page, and ends the
 * session in the cache when the API client reports it expired.
 */
export function SessionNoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<SessionNotice | null>(null);
  const client = useApiClient();
  const queryClient = useQueryClient();

  useEffect(
    () =>
      client.onSessionExpired(() => {
        setNotice("expired");
        endSession(client, queryClient);
      }),
    [client, queryClient],
  );

  const value = useMemo(() => ({ notice, setNotice }), [notice]);
  return <SessionNoticeContext.Provider value={value}>{children}</SessionNoticeContext.Provider>;
}

export function useSessionNotice(): SessionNoticeValue {
  const value = useContext(SessionNoticeContext);
  if (value === null) throw new Error("useSessionNotice must be used inside <SessionNoticeProvider>.");
  return value;
}
