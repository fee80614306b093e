import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeSystemStatus, makeTokens, makeUser } from "@/test/builders";
import { errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

const signedOut = {
  "POST /api/v1/auth/refresh": () => errorResponse(401, "not_authenticated", "No session."),
};

async function fillIn(user: ReturnType<typeof renderApp>["user"], email: string, password: string) {
  await screen.findByRole("heading", { name: "Sign in" });
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("the sign-in form", () => {
  it("asks for both fields before sending anything", async () => {
    const { user, fake } = renderApp({ path: "/login", routes: signedOut });
    await screen.findByRole("heading", { name: "Sign in" });

    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(screen.getByText("Enter an email address.")).toBeInTheDocument();
    expect(screen.getByText("Enter your password.")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/auth/login")).toHaveLength(0);
  });

  it("shows a wrong password in an alert with the request id", async () => {
    const { user } = renderApp({
      path: "/login",
      routes: {
        ...signedOut,
        "POST /api/v1/auth/login": () =>
          errorResponse(401, "invalid_credentials", "Incorrect email or password.", { requestId: "req-401" }),
      },
    });

    await fillIn(user, "admin@example.com", "wrong password");

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Incorrect email or password.")).toBeInTheDocument();
    expect(within(alert).getByText("Request ID: req-401")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("tells how long to wait after too many attempts", async () => {
    const { user } = renderApp({
      path: "/login",
      routes: {
        ...signedOut,
        "POST /api/v1/auth/login": () =>
          errorResponse(429, "too_many_attempts", "Too many attempts.", { headers: { "Retry-After": "42" } }),
      },
    });

    await fillIn(user, "admin@example.com", "whatever");

    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 42 seconds.");
  });

  it("opens the page the visitor asked for after signing in", async () => {
    const viewer = makeUser({ email: "viewer@example.com", role: "viewer" });
    const { user, fake } = renderApp({
      path: "/status",
      routes: {
        ...signedOut,
        "POST /api/v1/auth/login": () => jsonResponse(200, makeTokens(viewer, "fresh")),
        "GET /api/v1/status": () => jsonResponse(200, makeSystemStatus({ version: "1.2.3" })),
      },
    });

    await fillIn(user, "viewer@example.com", "correct horse battery");

    expect(await screen.findByRole("heading", { name: "Status" })).toBeInTheDocument();
    expect(await screen.findByText("1.2.3")).toBeInTheDocument();
    expect(screen.getByText("viewer@example.com")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
    expect(fake.callsTo("GET", "/api/v1/status")[0]?.headers.get("Authorization")).toBe("Bearer fresh");
  });
});
