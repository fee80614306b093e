import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeTokens, makeUser } from "@/test/builders";
import { emptyResponse, errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

const admin = makeUser();

describe("where the app sends a visitor", () => {
  it("opens the first-run page from any address while no user exists", async () => {
    const { fake } = renderApp({
      path: "/settings",
      routes: {
        "GET /api/v1/auth/setup": () => jsonResponse(200, { needs_setup: true }),
        "POST /api/v1/auth/refresh": () => errorResponse(401, "not_authenticated", "No session."),
      },
    });

    expect(await screen.findByRole("heading", { name: "Create the admin account" })).toBeInTheDocument();
    expect(fake.callsTo("GET", "/api/v1/settings")).toHaveLength(0);
  });

  it("sends a signed-out visitor to the sign-in page", async () => {
    renderApp({
      path: "/settings",
      routes: { "POST /api/v1/auth/refresh": () => errorResponse(401, "not_authenticated", "No session.") },
    });

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("restores the session from the refresh cookie on load", async () => {
    renderApp({
      path: "/",
      routes: { "POST /api/v1/auth/refresh": () => jsonResponse(200, makeTokens(admin)) },
    });

    expect(await screen.findByRole("heading", { name: "No data yet" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/settings");
    expect(screen.getByText("admin@example.com")).toBeInTheDocument();
  });

  it("keeps a signed-in user away from the sign-in and setup pages", async () => {
    renderApp({ path: "/setup", user: admin });

    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
  });

  it("shows the server's message when it cannot be reached", async () => {
    renderApp({
      path: "/",
      routes: {
        "GET /api/v1/auth/setup": () =>
          errorResponse(503, "unavailable", "The database is not reachable.", { requestId: "req-503" }),
      },
    });

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The database is not reachable.")).toBeInTheDocument();
    expect(within(alert).getByText("Request ID: req-503")).toBeInTheDocument();
  });

  it("returns to sign-in with a notice when the session cannot be refreshed", async () => {
    const { user } = renderApp({
      path: "/",
      user: admin,
      routes: {
        "GET /api/v1/status": () => errorResponse(401, "token_expired", "Your session has expired."),
        "POST /api/v1/auth/refresh": () => errorResponse(401, "invalid_refresh_token", "Sign in again."),
      },
    });
    await screen.findByRole("heading", { name: "Dashboard" });

    await user.click(screen.getByRole("link", { name: "Status" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByText("Your session has ended. Sign in again.")).toBeInTheDocument();
  });

  it("signs out and shows the sign-in page", async () => {
    const { user, fake } = renderApp({
      path: "/",
      user: admin,
      routes: { "POST /api/v1/auth/logout": () => emptyResponse(204) },
    });
    await screen.findByRole("heading", { name: "Dashboard" });

    await user.click(screen.getByRole("button", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByText("You have signed out.")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/auth/logout")[0]?.headers.get("Authorization")).toBe("Bearer access-1");
  });
});
