import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeSettings, makeUser } from "@/test/builders";
import { emptyResponse, errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

const admin = makeUser();
const viewer = makeUser({ id: 2, email: "viewer@example.com", role: "viewer" });

describe("the settings page", () => {
  it("shows viewers a read-only page without the admin tabs", async () => {
    renderApp({
      path: "/settings",
      user: viewer,
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings()) },
    });

    expect(await screen.findByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
    expect(screen.getByText("Only admins can change settings.")).toBeInTheDocument();
    const tabs = screen.getAllByRole("tab").map((tab) => tab.textContent);
    expect(tabs).toEqual(["Sources", "Deployment patterns", "Incident patterns", "Sentry", "Account"]);
    expect(await screen.findByLabelText("GitHub token")).toBeDisabled();
  });

  it("lets an admin add a user", async () => {
    const created = makeUser({ id: 3, email: "new@example.com", role: "viewer" });
    const { user, fake } = renderApp({
      path: "/settings?tab=users",
      user: admin,
      routes: {
        "GET /api/v1/users": () => jsonResponse(200, { items: [admin] }),
        "POST /api/v1/users": () => jsonResponse(201, created),
      },
    });
    expect(await screen.findByRole("tab", { name: "Users", selected: true })).toBeInTheDocument();
    await screen.findByText(/admin@example.com/, { selector: "th" });

    await user.type(screen.getByLabelText("New user email"), "new@example.com");
    await user.type(screen.getByLabelText("New user password"), "a-long-enough-password");
    await user.selectOptions(screen.getByLabelText("Role"), "viewer");
    await user.click(screen.getByRole("button", { name: "Add user" }));

    expect(await screen.findByText("Added new@example.com.")).toBeInTheDocument();
    const row = screen.getByRole("row", { name: /new@example.com/ });
    expect(within(row).getByText("Viewer")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/users")[0]?.body).toEqual({
      email: "new@example.com",
      password: "a-long-enough-password",
      role: "viewer",
    });
  });

  it("shows a conflict when the email is taken", async () => {
    const { user } = renderApp({
      path: "/settings?tab=users",
      user: admin,
      routes: {
        "GET /api/v1/users": () => jsonResponse(200, { items: [admin] }),
        "POST /api/v1/users": () => errorResponse(409, "conflict", "A user with this email already exists."),
      },
    });
    await screen.findByRole("tab", { name: "Users", selected: true });

    await user.type(screen.getByLabelText("New user email"), "admin@example.com");
    await user.type(screen.getByLabelText("New user password"), "a-long-enough-password");
    await user.click(screen.getByRole("button", { name: "Add user" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("A user with this email already exists.");
  });

  it("deactivates another user but never the current one", async () => {
    const other = makeUser({ id: 5, email: "other@example.com", role: "viewer" });
    const { user, fake } = renderApp({
      path: "/settings?tab=users",
      user: admin,
      routes: {
        "GET /api/v1/users": () => jsonResponse(200, { items: [admin, other] }),
        "PATCH /api/v1/users/5": () => jsonResponse(200, { ...other, is_active: false }),
      },
    });
    const row = await screen.findByRole("row", { name: /other@example.com/ });
    const ownRow = screen.getByRole("row", { name: /admin@example.com/ });
    expect(within(ownRow).queryByRole("button")).not.toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Deactivate other@example.com" }));

    expect(await within(row).findByText("Inactive")).toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "Activate other@example.com" })).toBeInTheDocument();
    expect(fake.callsTo("PATCH", "/api/v1/users/5")[0]?.body).toEqual({ is_active: false });
  });

  it("pages through the audit log", async () => {
    const entry = (id: number) => ({
      id,
      at: "2025-02-01T10:00:00Z",
      actor_email: "admin@example.com",
      action: id === 1 ? "auth.login" : "settings.update",
      client_address: "127.0.0.1",
      target: null,
      details: { source: "github" },
    });
    const { user, fake } = renderApp({
      path: "/settings?tab=audit",
      user: admin,
      routes: {
        "GET /api/v1/audit": (call) => {
          const page = Number(call.url.searchParams.get("page"));
          return jsonResponse(200, { items: [entry(page)], page, page_size: 50, total: 51 });
        },
      },
    });

    expect(await screen.findByText("auth.login")).toBeInTheDocument();
    expect(screen.getByText("Page 1 of 2 (51 entries)")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Next" }));

    expect(await screen.findByText("settings.update")).toBeInTheDocument();
    expect(fake.callsTo("GET", "/api/v1/audit")[1]?.url.search).toBe("?page=2&page_size=50");
  });

  it("signs out after a password change and says why", async () => {
    const { user, fake } = renderApp({
      path: "/settings?tab=account",
      user: admin,
      routes: { "POST /api/v1/auth/password": () => emptyResponse(204) },
    });
    await screen.findByRole("heading", { name: "Change password" });

    await user.type(screen.getByLabelText("Current password"), "the-old-password");
    await user.type(screen.getByLabelText("New password"), "the-new-password-1");
    await user.type(screen.getByLabelText("Confirm new password"), "the-new-password-1");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByText("Your password was changed. Sign in with your new password.")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/auth/password")[0]?.body).toEqual({
      current_password: "the-old-password",
      new_password: "the-new-password-1",
    });
  });
});
