import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeSettings, makeUser } from "@/test/builders";
import { errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { SourcesPanel } from "./sources-panel";

const admin = makeUser();

function region(name: string) {
  return screen.getByRole("region", { name });
}

describe("the source forms", () => {
  it("tests the connection with the unsaved values and shows the answer in words", async () => {
    const { user, fake } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "POST /api/v1/settings/sources/github/test": () =>
          jsonResponse(200, { ok: false, message: "GitHub rejected the token (401).", details: {} }),
      },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    const github = region("GitHub");
    await user.type(within(github).getByLabelText("GitHub token"), "ghp_unsaved");
    await user.click(within(github).getByRole("button", { name: /^Test connection/ }));

    expect(await within(github).findByText("GitHub rejected the token (401).")).toBeInTheDocument();
    expect(within(github).getByText("Connection failed")).toBeInTheDocument();
    const [call] = fake.callsTo("POST", "/api/v1/settings/sources/github/test");
    expect(call?.body).toMatchObject({ token: "ghp_unsaved" });
  });

  it("shows a stored secret only by its last four characters", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings()) },
    });

    await screen.findByRole("heading", { name: "GitHub" });
    const github = region("GitHub");
    expect(within(github).getByText("Configured ••••abcd")).toBeInTheDocument();
    expect(within(github).getByLabelText("GitHub token")).toHaveAttribute("type", "password");
    expect(within(github).getByLabelText("GitHub token")).toHaveValue("");
    expect(within(region("Linear")).getByText("Not saved")).toBeInTheDocument();
    expect(within(region("Greptile")).getByText("Saved ••••9xyz")).toBeInTheDocument();
  });

  it("saves without the secret fields left empty", async () => {
    const { user, fake } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "PUT /api/v1/settings/sources/github": (call) =>
          jsonResponse(200, { token: { configured: true, last4: "abcd" }, ...(call.body as object) }),
      },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    const github = region("GitHub");

    const organizations = within(github).getByLabelText("Organizations");
    await user.clear(organizations);
    await user.type(organizations, "acme, acme-labs");
    await user.type(within(github).getByLabelText("Repositories"), ", acme/web");
    await user.click(within(github).getByRole("button", { name: "Save GitHub" }));

    expect(await within(github).findByText("Saved")).toBeInTheDocument();
    expect(fake.callsTo("PUT", "/api/v1/settings/sources/github")[0]?.body).toEqual({
      organizations: ["acme", "acme-labs"],
      repositories: ["acme/api", "acme/web"],
      api_base_url: "https://api.github.com",
    });
  });

  it("sends a new secret and shows its new last four characters", async () => {
    const { user, fake } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "PUT /api/v1/settings/sources/linear": () =>
          jsonResponse(200, {
            api_key: { configured: true, last4: "7777" },
            api_url: "https://api.linear.app/graphql",
          }),
      },
    });
    await screen.findByRole("heading", { name: "Linear" });
    const linear = region("Linear");

    await user.type(within(linear).getByLabelText("Linear API key"), "lin_api_secret7777");
    await user.click(within(linear).getByRole("button", { name: "Save Linear" }));

    expect(await within(linear).findByText("Saved ••••7777")).toBeInTheDocument();
    expect(within(linear).getByLabelText("Linear API key")).toHaveValue("");
    expect(fake.callsTo("PUT", "/api/v1/settings/sources/linear")[0]?.body).toEqual({
      api_key: "lin_api_secret7777",
      api_url: "https://api.linear.app/graphql",
    });
  });

  it("clears a stored secret on save", async () => {
    const { user, fake } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "PUT /api/v1/settings/sources/greptile": () =>
          jsonResponse(200, {
            api_key: { configured: false, last4: null },
            github_token: { configured: false, last4: null },
          }),
      },
    });
    await screen.findByRole("heading", { name: "Greptile" });
    const greptile = region("Greptile");

    await user.click(within(greptile).getByRole("button", { name: "Clear Greptile API key" }));
    expect(within(greptile).getByText("Will be removed when you save.")).toBeInTheDocument();
    await user.click(within(greptile).getByRole("button", { name: "Save Greptile" }));

    expect(await within(greptile).findByText("Saved — not synced yet")).toBeInTheDocument();
    expect(fake.callsTo("PUT", "/api/v1/settings/sources/greptile")[0]?.body).toEqual({
      api_key: null,
      base_url: "https://api.greptile.com",
    });
    expect(within(greptile).queryByText(/••••/)).not.toBeInTheDocument();
  });

  it("shows the server's message when a save is refused", async () => {
    const { user } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "PUT /api/v1/settings/sources/sentry": () =>
          errorResponse(422, "validation_error", "The base URL must use https.", { requestId: "req-422" }),
      },
    });
    await screen.findByRole("heading", { name: "Sentry" });
    const sentry = region("Sentry");

    const baseUrl = within(sentry).getByLabelText("Sentry base URL");
    await user.clear(baseUrl);
    await user.type(baseUrl, "http://sentry.internal");
    await user.click(within(sentry).getByRole("button", { name: "Save Sentry" }));

    const alert = await within(sentry).findByRole("alert");
    expect(alert).toHaveTextContent("The base URL must use https.");
    expect(alert).toHaveTextContent("Request ID: req-422");
    expect(within(sentry).queryByText("Saved")).not.toBeInTheDocument();
  });

  it("is read-only for viewers", async () => {
    renderWithProviders(<SourcesPanel readOnly />, {
      user: makeUser({ role: "viewer" }),
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings()) },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    const github = region("GitHub");

    expect(within(github).getByLabelText("GitHub token")).toBeDisabled();
    expect(within(github).getByLabelText("Organizations")).toBeDisabled();
    expect(within(github).getByText("Configured ••••abcd")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Save/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Clear/ })).not.toBeInTheDocument();
  });

  it("warns and locks secret inputs when the server cannot encrypt them", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ encryption_available: false })) },
    });
    await screen.findByRole("heading", { name: "GitHub" });

    expect(screen.getByText("Secrets cannot be saved")).toBeInTheDocument();
    expect(screen.getByLabelText("GitHub token")).toBeDisabled();
    expect(screen.getByLabelText("Organizations")).toBeEnabled();
  });

  it("shows a loading error with the request id", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () =>
          errorResponse(500, "internal_error", "Something broke on our side.", { requestId: "req-500" }),
      },
    });

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Something broke on our side.");
    expect(alert).toHaveTextContent("Request ID: req-500");
  });

  it("says a source nothing reads is only saved, with no connection test", async () => {
    const { user } = renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ synced_sources: ["github"] })),
        "PUT /api/v1/settings/sources/linear": () =>
          jsonResponse(200, { api_key: { configured: true, last4: "abcd" } }),
      },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    const linear = region("Linear");
    expect(within(linear).getByRole("note")).toHaveTextContent("Veelocity does not read Linear yet");
    expect(within(linear).queryByRole("button", { name: /Test connection/ })).not.toBeInTheDocument();
    expect(within(region("Greptile")).getByText("Saved ••••9xyz")).toBeInTheDocument();
    expect(within(region("GitHub")).getByRole("button", { name: /^Test connection/ })).toBeInTheDocument();

    await user.type(within(linear).getByLabelText("Linear API key"), "lin_api_abcd");
    await user.click(within(linear).getByRole("button", { name: "Save Linear" }));
    expect(await within(linear).findByText("Saved — not synced yet")).toBeInTheDocument();
  });
});
