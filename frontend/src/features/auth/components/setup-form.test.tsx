import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeTokens, makeUser } from "@/test/builders";
import { errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

const needsSetup = {
  "GET /api/v1/auth/setup": () => jsonResponse(200, { needs_setup: true }),
  "POST /api/v1/auth/refresh": () => errorResponse(401, "not_authenticated", "No session."),
};

describe("the first-run setup", () => {
  it("checks the fields before sending anything", async () => {
    const { user, fake } = renderApp({ path: "/setup", routes: needsSetup });
    await screen.findByRole("heading", { name: "Create the admin account" });

    await user.type(screen.getByLabelText("Email"), "not-an-email");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.type(screen.getByLabelText("Confirm password"), "different");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByText("Enter a valid email address, like name@example.com.")).toBeInTheDocument();
    expect(screen.getByText("Use at least 12 characters.")).toBeInTheDocument();
    expect(screen.getByText("The passwords do not match.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(fake.callsTo("POST", "/api/v1/auth/setup")).toHaveLength(0);
  });

  it("shows the server's message when it refuses the password", async () => {
    const { user } = renderApp({
      path: "/setup",
      routes: {
        ...needsSetup,
        "POST /api/v1/auth/setup": () =>
          errorResponse(422, "validation_error", "This password is too common.", { requestId: "req-123" }),
      },
    });
    await screen.findByRole("heading", { name: "Create the admin account" });

    await user.type(screen.getByLabelText("Email"), "admin@example.com");
    await user.type(screen.getByLabelText("Password"), "password1234");
    await user.type(screen.getByLabelText("Confirm password"), "password1234");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("This password is too common.")).toBeInTheDocument();
    expect(within(alert).getByText("Request ID: req-123")).toBeInTheDocument();
  });

  it("signs the new admin in and opens the dashboard", async () => {
    const admin = makeUser({ email: "first@example.com" });
    const { user, fake } = renderApp({
      path: "/setup",
      routes: {
        ...needsSetup,
        "POST /api/v1/auth/setup": () => jsonResponse(201, makeTokens(admin)),
      },
    });
    await screen.findByRole("heading", { name: "Create the admin account" });

    await user.type(screen.getByLabelText("Email"), " first@example.com ");
    await user.type(screen.getByLabelText("Password"), "a-long-enough-password");
    await user.type(screen.getByLabelText("Confirm password"), "a-long-enough-password");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { name: "No data yet" })).toBeInTheDocument();
    expect(screen.getByText("first@example.com")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/auth/setup")[0]?.body).toEqual({
      email: "first@example.com",
      password: "a-long-enough-password",
    });
  });
});
