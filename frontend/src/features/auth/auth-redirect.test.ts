import { describe, expect, it } from "vitest";
import { resolveAuthRedirect, safeReturnPath, type AuthState } from "./auth-redirect";

describe("resolveAuthRedirect", () => {
  const cases: [string, AuthState, string | null][] = [
    ["sends everyone to setup while no user exists", { area: "member", needsSetup: true, signedIn: false }, "/setup"],
    [
      "sends the sign-in page to setup while no user exists",
      { area: "guest", needsSetup: true, signedIn: false },
      "/setup",
    ],
    ["shows setup while no user exists", { area: "setup", needsSetup: true, signedIn: false }, null],
    ["sends setup to sign-in once done", { area: "setup", needsSetup: false, signedIn: false }, "/login"],
    ["sends setup to the dashboard when signed in", { area: "setup", needsSetup: false, signedIn: true }, "/"],
    ["sends a signed-out visitor to sign in", { area: "member", needsSetup: false, signedIn: false }, "/login"],
    ["shows app pages to a signed-in user", { area: "member", needsSetup: false, signedIn: true }, null],
    ["shows sign-in to a signed-out visitor", { area: "guest", needsSetup: false, signedIn: false }, null],
    ["sends a signed-in user from sign-in to the dashboard", { area: "guest", needsSetup: false, signedIn: true }, "/"],
    [
      "returns a signed-in user to where they were heading",
      { area: "guest", needsSetup: false, signedIn: true, from: "/settings?tab=users" },
      "/settings?tab=users",
    ],
    [
      "ignores a return path to another site",
      { area: "guest", needsSetup: false, signedIn: true, from: "//evil.example.com" },
      "/",
    ],
  ];

  it.each(cases)("%s", (_name, state, expected) => {
    expect(resolveAuthRedirect(state)).toBe(expected);
  });
});

describe("safeReturnPath", () => {
  it.each([
    ["/status", "/status"],
    ["https://evil.example.com", null],
    ["/\\evil.example.com", null],
    ["/login", null],
    [42, null],
  ])("reads %j as %j", (from, expected) => {
    expect(safeReturnPath(from)).toBe(expected);
  });
});
