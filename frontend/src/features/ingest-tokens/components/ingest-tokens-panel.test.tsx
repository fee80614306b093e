import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeUser } from "@/test/builders";
import { emptyResponse, errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderApp, renderWithProviders } from "@/test/render";
import type { IngestToken } from "../types";
import { IngestTokensPanel } from "./ingest-tokens-panel";

const admin = makeUser();
const SECRET = "vlc_ing_Ab3dEFghIJklMNopQRstUVwxYZ0123456789abcde";

function makeToken(overrides: Partial<IngestToken> = {}): IngestToken {
  return {
    id: 1,
    name: "Jenkins production",
    prefix: "vlc_ing_Zz9y",
    status: "active",
    created_at: "2025-02-01T10:00:00Z",
    created_by: "admin@example.com",
    expires_at: null,
    last_used_at: "2025-02-03T08:00:00Z",
    revoked_at: null,
    ...overrides,
  };
}

describe("the ingest tokens tab", () => {
  it("is an admin tab of the settings page", async () => {
    renderApp({
      path: "/settings?tab=ingest",
      user: admin,
      routes: { "GET /api/v1/settings/ingest-tokens": () => jsonResponse(200, { items: [makeToken()] }) },
    });
    expect(await screen.findByRole("tab", { name: "Ingest tokens", selected: true })).toBeInTheDocument();
    expect(await screen.findByRole("row", { name: /Jenkins production/ })).toBeInTheDocument();
  });

  it("lists tokens by prefix with their status and last use, never the token", async () => {
    renderWithProviders(<IngestTokensPanel />, {
      user: admin,
      routes: {
        "GET /api/v1/settings/ingest-tokens": () =>
          jsonResponse(200, {
            items: [
              makeToken(),
              makeToken({ id: 2, name: "Argo CD", prefix: "vlc_ing_Qq1w", status: "revoked", last_used_at: null }),
            ],
          }),
      },
    });

    const jenkins = await screen.findByRole("row", { name: /Jenkins production/ });
    expect(within(jenkins).getByText("vlc_ing_Zz9y…")).toBeInTheDocument();
    expect(within(jenkins).getByText("Active")).toBeInTheDocument();
    expect(within(jenkins).getByText("Never")).toBeInTheDocument();
    const argo = screen.getByRole("row", { name: /Argo CD/ });
    expect(within(argo).getByText("Revoked")).toBeInTheDocument();
    expect(within(argo).getByText("Never used")).toBeInTheDocument();
    expect(within(argo).queryByRole("button")).not.toBeInTheDocument();
  });

  it("shows a new token once, with a copy button and a warning", async () => {
    const { user, fake } = renderWithProviders(<IngestTokensPanel />, {
      user: admin,
      routes: {
        "GET /api/v1/settings/ingest-tokens": () => jsonResponse(200, { items: [] }),
        "POST /api/v1/settings/ingest-tokens": () =>
          jsonResponse(201, {
            ...makeToken({ id: 7, name: "GitLab deploys", prefix: SECRET.slice(0, 12), last_used_at: null }),
            token: SECRET,
          }),
      },
    });
    expect(await screen.findByText("No ingest tokens yet.")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Token name"), "  GitLab deploys ");
    await user.selectOptions(screen.getByLabelText("Expires"), "90");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByText(/It will not be shown again/)).toBeInTheDocument();
    expect(screen.getByLabelText("New ingest token")).toHaveValue(SECRET);
    expect(fake.callsTo("POST", "/api/v1/settings/ingest-tokens")[0]?.body).toEqual({
      name: "GitLab deploys",
      expires_in_days: 90,
    });
    const row = screen.getByRole("row", { name: /GitLab deploys/ });
    expect(within(row).getByText(`${SECRET.slice(0, 12)}…`)).toBeInTheDocument();
    expect(within(row).queryByText(SECRET)).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Copy token" }));
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByLabelText("New ingest token")).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it("asks for a name before creating", async () => {
    const { user, fake } = renderWithProviders(<IngestTokensPanel />, {
      user: admin,
      routes: { "GET /api/v1/settings/ingest-tokens": () => jsonResponse(200, { items: [] }) },
    });
    await screen.findByText("No ingest tokens yet.");

    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(screen.getByText("Give the token a name, e.g. the pipeline that will use it.")).toBeInTheDocument();
    expect(screen.getByLabelText("Token name")).toHaveFocus();
    expect(fake.callsTo("POST", "/api/v1/settings/ingest-tokens")).toHaveLength(0);
  });

  it("revokes a token after a confirmation", async () => {
    const { user, fake } = renderWithProviders(<IngestTokensPanel />, {
      user: admin,
      routes: {
        "GET /api/v1/settings/ingest-tokens": () => jsonResponse(200, { items: [makeToken()] }),
        "DELETE /api/v1/settings/ingest-tokens/1": () => emptyResponse(204),
      },
    });
    const row = await screen.findByRole("row", { name: /Jenkins production/ });

    await user.click(within(row).getByRole("button", { name: "Revoke Jenkins production" }));
    expect(fake.callsTo("DELETE", "/api/v1/settings/ingest-tokens/1")).toHaveLength(0);
    await user.click(within(row).getByRole("button", { name: "Yes, revoke Jenkins production" }));

    expect(await within(row).findByText("Revoked")).toBeInTheDocument();
    expect(fake.callsTo("DELETE", "/api/v1/settings/ingest-tokens/1")).toHaveLength(1);
    expect(within(row).queryByRole("button")).not.toBeInTheDocument();
  });

  it("shows the server's message when creating fails", async () => {
    const { user } = renderWithProviders(<IngestTokensPanel />, {
      user: admin,
      routes: {
        "GET /api/v1/settings/ingest-tokens": () => jsonResponse(200, { items: [] }),
        "POST /api/v1/settings/ingest-tokens": () => errorResponse(403, "forbidden", "Only admins can do this."),
      },
    });
    await screen.findByText("No ingest tokens yet.");
    await user.type(screen.getByLabelText("Token name"), "ci");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Only admins can do this.");
    expect(screen.queryByLabelText("New ingest token")).not.toBeInTheDocument();
  });
});
