/**
 * Which pages a visitor may see:
 * - "setup": the first-run page, only while no user exists;
 * - "guest": the sign-in page, only when signed out;
 * - "member": everything else, only when signed in.
 */
export type AuthArea = "setup" | "guest" | "member";

export interface AuthState {
  area: AuthArea;
  needsSetup: boolean;
  signedIn: boolean;
  /** Where a signed-out visitor was heading, to return there after signing in. */
  from?: string | null;
}

/** Only paths inside the app, and not the auth pages themselves. */
export function safeReturnPath(from: unknown): string | null {
  if (typeof from !== "string") return null;
  if (!from.startsWith("/") || from.startsWith("//") || from.startsWith("/\\")) return null;
  if (from.startsWith("/login") || from.startsWith("/setup")) return null;
  return from;
}

/** The path to send the visitor to, or null when the page may be shown. */
export function resolveAuthRedirect({ area, needsSetup, signedIn, from }: AuthState): string | null {
  if (needsSetup) return area === "setup" ? null : "/setup";
  switch (area) {
    case "setup":
      return signedIn ? "/" : "/login";
    case "guest":
      return signedIn ? (safeReturnPath(from) ?? "/") : null;
    case "member":
      return signedIn ? null : "/login";
  }
}
