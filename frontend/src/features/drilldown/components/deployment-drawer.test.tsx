import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { makeUser } from "@/test/builders";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import type { Deployment, DeploymentErrors, SentryIssue } from "../api";
import { changeLabel } from "./error-impact";
import { DeploymentDrawer } from "./deployment-drawer";

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 7,
    repository_id: 1,
    repository: "acme/shop",
    source: "github_deployment",
    external_id: "7001",
    name: null,
    environment: "production",
    status: "success",
    commit_sha: "abc123def4567890",
    started_at: null,
    finished_at: "2026-03-04T14:10:00Z",
    url: null,
    is_production: true,
    is_failed: false,
    failure_reason: null,
    failure_causes: [],
    is_rework: false,
    rework_reason: null,
    recovered_at: null,
    recovery_seconds: null,
    pull_requests: [],
    median_lead_time_seconds: null,
    ...overrides,
  };
}

function issue(overrides: Partial<SentryIssue> = {}): SentryIssue {
  return {
    id: 31,
    external_id: "6000000003",
    short_id: "SHOP-1",
    project_id: 2,
    project: "shop",
    title: "TypeError: cart is undefined",
    culprit: null,
    level: "error",
    status: "resolved",
    substatus: null,
    environment: "production",
    first_seen: "2026-03-04T14:40:00Z",
    last_seen: "2026-03-05T10:00:00Z",
    resolved_at: null,
    event_count: 312,
    user_count: 4,
    first_release: "shop@1.4.0",
    first_release_deployment_id: 7,
    url: "https://sentry.example/issues/6000000003/",
    is_incident: true,
    incident_reason: "312 events in 24 h of its first event (≥ 100)",
    incident_started_at: "2026-03-04T14:40:00Z",
    ...overrides,
  };
}

function errors(overrides: Partial<DeploymentErrors> = {}): DeploymentErrors {
  const window = (start: string, end: string, events: number, newIssues: number) => ({
    start,
    end,
    error_events: events,
    new_issues: newIssues,
    new_issue_list: [],
  });
  return {
    deployment_id: 7,
    repository_id: 1,
    finished_at: "2026-03-04T14:10:00Z",
    project_ids: [2],
    failing_issues: [],
    before: window("2026-03-03T14:10:00Z", "2026-03-04T14:10:00Z", 40, 2),
    after: window("2026-03-04T14:10:00Z", "2026-03-05T14:10:00Z", 352, 3),
    ...overrides,
  };
}

describe("the deployment drawer", () => {
  it("shows the Sentry issue that failed the deployment and its errors before and after", async () => {
    const cause = {
      kind: "incident",
      description: "Incident 6000000003 “TypeError: cart is undefined” attributed: first seen in release shop@1.4.0.",
      incident_id: 3,
      incident_external_id: "6000000003",
      incident_source: "sentry",
      revert_pull_request_id: null,
      revert_pull_request_number: null,
      rolled_back_by_deployment_id: null,
    };
    renderWithProviders(<DeploymentDrawer id={7} onClose={vi.fn()} />, {
      user: makeUser(),
      routes: {
        "GET /api/v1/deployments/7": () => jsonResponse(200, deployment({ is_failed: true, failure_causes: [cause] })),
        "GET /api/v1/deployments/7/errors": () => jsonResponse(200, errors({ failing_issues: [issue()] })),
      },
    });

    const drawer = await screen.findByTestId("deployment-drawer");
    expect(within(drawer).getByText("Failed")).toBeInTheDocument();
    expect(within(drawer).getByText("Sentry")).toBeInTheDocument();
    const failing = await screen.findByTestId("deployment-failing-issues");
    expect(within(failing).getByRole("link", { name: "SHOP-1" })).toHaveAttribute(
      "href",
      "https://sentry.example/issues/6000000003/",
    );
    expect(within(failing).getByText("312 events in 24 h of its first event (≥ 100)")).toBeInTheDocument();
    const impact = screen.getByTestId("deployment-error-impact");
    const events = within(impact).getByRole("row", { name: /Error events/ });
    expect(
      within(events)
        .getAllByRole("cell")
        .map((cell) => cell.textContent),
    ).toEqual(["40", "352", "+780 %"]);
  });

  it("links a rollback to the deployment that rolled it back", async () => {
    const rollback = {
      kind: "rollback",
      description: "Rolled back by deployment 9, which went back to an earlier commit.",
      incident_id: null,
      incident_external_id: null,
      incident_source: null,
      revert_pull_request_id: null,
      revert_pull_request_number: null,
      rolled_back_by_deployment_id: 9,
    };
    renderWithProviders(<DeploymentDrawer id={7} onClose={vi.fn()} />, {
      user: makeUser(),
      path: "/dora?window=7d&deployment=7",
      routes: {
        "GET /api/v1/deployments/7": () =>
          jsonResponse(200, deployment({ is_failed: true, failure_causes: [rollback] })),
        "GET /api/v1/deployments/7/errors": () => jsonResponse(200, errors({ project_ids: [] })),
      },
    });

    const link = await screen.findByRole("link", { name: "deployment 9" });
    expect(link).toHaveAttribute("href", "/dora?window=7d&deployment=9");
    expect(await screen.findByText("No Sentry project follows this repository.")).toBeInTheDocument();
  });
});

describe("the change in errors", () => {
  it("says new when nothing came before, and rounds percentages", () => {
    expect(changeLabel(0, 0)).toBe("no change");
    expect(changeLabel(0, 4)).toBe("new");
    expect(changeLabel(40, 352)).toBe("+780 %");
    expect(changeLabel(30, 10)).toBe("−67 %");
    expect(changeLabel(100, 100.2)).toBe("no change");
  });
});
