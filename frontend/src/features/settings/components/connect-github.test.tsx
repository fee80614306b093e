import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { makeSettings, makeUser } from "@/test/builders";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { ConnectGithubButton } from "./connect-github";
import { SourcesPanel } from "./sources-panel";

const admin = makeUser();

describe("Connect with GitHub", () => {
  it("is offered only when the server has it configured", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings()) },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    expect(screen.queryByRole("button", { name: "Connect with GitHub" })).not.toBeInTheDocument();
  });

  it("appears in the GitHub section for admins when configured", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ oauth_available: true })),
      },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    const github = screen.getByRole("region", { name: "GitHub" });
    expect(within(github).getByRole("button", { name: "Connect with GitHub" })).toBeInTheDocument();
  });

  it("is not offered to viewers", async () => {
    renderWithProviders(<SourcesPanel readOnly />, {
      user: makeUser({ role: "viewer" }),
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ oauth_available: true })),
      },
    });
    await screen.findByRole("heading", { name: "GitHub" });
    expect(screen.queryByRole("button", { name: "Connect with GitHub" })).not.toBeInTheDocument();
  });

  it("sends the browser to the URL the server returns", async () => {
    const navigate = vi.fn();
    const authorizeUrl = "https://github.com/login/oauth/authorize?client_id=abc&state=xyz";
    const { user, fake } = renderWithProviders(<ConnectGithubButton navigate={navigate} />, {
      user: admin,
      routes: {
        "POST /api/v1/settings/sources/github/oauth": () => jsonResponse(200, { authorize_url: authorizeUrl }),
      },
    });
    await user.click(screen.getByRole("button", { name: "Connect with GitHub" }));
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(authorizeUrl));
    expect(fake.callsTo("POST", "/api/v1/settings/sources/github/oauth")).toHaveLength(1);
  });

  it("reports the outcome GitHub's return brings back", async () => {
    renderWithProviders(<SourcesPanel readOnly={false} />, {
      user: admin,
      path: "/settings?github_oauth=error&reason=state",
      routes: { "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ oauth_available: true })) },
    });
    expect(await screen.findByText("GitHub is not connected")).toBeInTheDocument();
    expect(screen.getByText(/could not be verified/)).toBeInTheDocument();
  });
});
