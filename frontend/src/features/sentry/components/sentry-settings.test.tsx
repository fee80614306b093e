import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeUser } from "@/test/builders";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import type { SentryIssue, SentryProject } from "../api";
import { SentrySettings } from "./sentry-settings";

function project(overrides: Partial<SentryProject> = {}): SentryProject {
  return {
    id: 4,
    external_id: "4500017",
    slug: "shop",
    name: "Shop",
    platform: "python",
    repository_id: 2,
    repository: "acme/shop",
    mapped_by: "name",
    issues: 40,
    incidents: 3,
    ...overrides,
  };
}

const REPOSITORIES = [
  { id: 2, full_name: "acme/shop" },
  { id: 3, full_name: "acme/storefront" },
].map((repository) => ({
  ...repository,
  default_branch: "main",
  url: null,
  pull_request_count: 0,
  deployment_count: 0,
  last_activity_at: null,
}));

const ISSUE: SentryIssue = {
  id: 31,
  external_id: "6000000003",
  short_id: "SHOP-1",
  project_id: 4,
  project: "shop",
  title: "KeyError: 'cart'",
  culprit: null,
  level: "error",
  status: "unresolved",
  substatus: "ongoing",
  environment: "production",
  first_seen: "2026-03-04T14:40:00Z",
  last_seen: "2026-03-05T10:00:00Z",
  resolved_at: null,
  event_count: 60,
  user_count: 3,
  first_release: null,
  first_release_deployment_id: null,
  url: null,
  is_incident: false,
  incident_reason: "at most 60 events and 3 users in 24 h of its first event (below 100 events and 10 users)",
  incident_started_at: null,
};

describe("Settings → Sentry", () => {
  it("shows how each project found its repository and saves a chosen one", async () => {
    const { fake, user } = renderWithProviders(<SentrySettings readOnly={false} />, {
      user: makeUser(),
      routes: {
        "GET /api/v1/sentry/projects": () => jsonResponse(200, { items: [project()] }),
        "GET /api/v1/repositories": () => jsonResponse(200, REPOSITORIES),
        "GET /api/v1/sentry/thresholds": () =>
          jsonResponse(200, { min_events: 100, min_users: 10, levels: ["fatal", "error"], saved: false }),
        "PUT /api/v1/sentry/projects/4/repository": () =>
          jsonResponse(200, project({ repository_id: 3, repository: "acme/storefront", mapped_by: "chosen" })),
      },
    });

    const table = await screen.findByTestId("sentry-projects");
    const row = within(table).getByRole("row", { name: /shop/ });
    expect(within(row).getByText("by name")).toBeInTheDocument();
    await user.selectOptions(within(row).getByLabelText("Repository of shop"), "acme/storefront");

    expect(await within(row).findByText("chosen by an admin")).toBeInTheDocument();
    expect(fake.callsTo("PUT", "/api/v1/sentry/projects/4/repository")[0]?.body).toEqual({ repository_id: 3 });
    expect(within(row).getByRole("button", { name: /Find it automatically/ })).toBeInTheDocument();
  });

  it("previews which stored issues other thresholds would make incidents, then saves them", async () => {
    const inUse = { min_events: 100, min_users: 10, levels: ["fatal", "error"], saved: false };
    const { fake, user } = renderWithProviders(<SentrySettings readOnly={false} />, {
      user: makeUser(),
      routes: {
        "GET /api/v1/sentry/projects": () => jsonResponse(200, { items: [] }),
        "GET /api/v1/sentry/thresholds": () => jsonResponse(200, inUse),
        "POST /api/v1/sentry/incident-preview": (call) =>
          jsonResponse(200, {
            thresholds: call.body,
            incidents: 4,
            incidents_now: 3,
            becoming_total: 1,
            becoming: [{ issue: ISSUE, reason: "60 events in 24 h of its first event (≥ 50)" }],
            leaving_total: 0,
            leaving: [],
          }),
        "PUT /api/v1/sentry/thresholds": (call) => jsonResponse(200, { ...(call.body as object), saved: true }),
      },
    });

    expect(await screen.findByTestId("thresholds-in-use")).toHaveTextContent(
      "In use: 100 events or 10 users in 24 h, at fatal or error (from the server's configuration",
    );
    expect(screen.queryByRole("button", { name: "Save thresholds" })).not.toBeInTheDocument();
    const events = screen.getByLabelText("Events in 24 h");
    await user.clear(events);
    await user.type(events, "50");
    await user.click(screen.getByRole("button", { name: "Preview" }));

    const preview = await screen.findByTestId("threshold-preview");
    expect(within(preview).getByText("4 incidents with these thresholds")).toBeInTheDocument();
    expect(within(preview).getByText("60 events in 24 h of its first event (≥ 50)")).toBeInTheDocument();
    expect(fake.callsTo("POST", "/api/v1/sentry/incident-preview")[0]?.body).toEqual({
      min_events: 50,
      min_users: 10,
      levels: ["fatal", "error"],
    });
    expect(fake.callsTo("PUT", "/api/v1/sentry/thresholds")).toHaveLength(0);

    // Changing the form again hides Save until that is previewed too.
    await user.type(events, "0");
    expect(screen.queryByRole("button", { name: "Save thresholds" })).not.toBeInTheDocument();
    await user.clear(events);
    await user.type(events, "50");
    await user.click(screen.getByRole("button", { name: "Save thresholds" }));

    expect(await screen.findByText(/saved in Settings/)).toBeInTheDocument();
    expect(screen.getByTestId("thresholds-in-use")).toHaveTextContent("In use: 50 events or 10 users in 24 h");
    expect(fake.callsTo("PUT", "/api/v1/sentry/thresholds")[0]?.body).toEqual({
      min_events: 50,
      min_users: 10,
      levels: ["fatal", "error"],
    });
    expect(screen.getByRole("button", { name: "Use the server's configuration" })).toBeInTheDocument();
  });

  it("shows viewers the mapping and the thresholds in use, without controls", async () => {
    renderWithProviders(<SentrySettings readOnly />, {
      user: makeUser({ role: "viewer" }),
      routes: {
        "GET /api/v1/sentry/projects": () => jsonResponse(200, { items: [project()] }),
        "GET /api/v1/repositories": () => jsonResponse(200, REPOSITORIES),
        "GET /api/v1/sentry/thresholds": () =>
          jsonResponse(200, { min_events: 50, min_users: 10, levels: ["error"], saved: true }),
      },
    });
    const table = await screen.findByTestId("sentry-projects");
    expect(within(table).getByText("acme/shop")).toBeInTheDocument();
    expect(within(table).queryByRole("combobox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Preview" })).not.toBeInTheDocument();
    expect(await screen.findByTestId("thresholds-in-use")).toHaveTextContent(
      "In use: 50 events or 10 users in 24 h, at error (saved in Settings)",
    );
  });
});
