import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { MetricOut, Schemas } from "@/api/models";
import { makeUser } from "@/test/builders";
import { jsonResponse, type RecordedCall } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

function metric(slug: string, unit: string, value: number): MetricOut {
  return {
    slug,
    title: slug,
    unit,
    better: "lower",
    value,
    sample_size: 4,
    level: null,
    previous: { value: null, sample_size: 0 },
    trend: { change: null, change_percent: null, direction: "same" },
    details: {},
    series: [{ period_start: "2025-02-24", value, sample_size: 4 }],
  };
}

const window = { start: "2025-02-24", end: "2025-03-09", period: "week", statistic: "median" };

const state = (name: string, type: string) => ({ name, type });

const cycle: Schemas["CycleOut"] = {
  id: 4,
  linear_team_id: 1,
  team_key: "ENG",
  team_name: "Engineering",
  number: 12,
  name: null,
  starts_at: "2025-02-24T00:00:00Z",
  ends_at: "2025-03-10T00:00:00Z",
  completed_at: "2025-03-10T00:00:00Z",
  status: "past",
};

const auditLog = {
  id: 31,
  identifier: "ENG-7",
  title: "Add audit log",
  url: null,
  estimate: 3,
  state: state("Done", "completed"),
};

const issue: Schemas["IssueDetailOut"] = {
  ...auditLog,
  url: "https://linear.example/eng-7",
  linear_team_id: 1,
  team_key: "ENG",
  project_id: null,
  project: null,
  cycle_id: 4,
  cycle_number: 12,
  assignee_id: 2,
  assignee: "Ada Lovelace",
  priority: 2,
  labels: ["feature"],
  created_at: "2025-02-20T09:00:00Z",
  updated_at: "2025-03-05T09:00:00Z",
  started_at: "2025-02-25T09:00:00Z",
  completed_at: "2025-03-04T09:00:00Z",
  is_canceled: false,
  lead_seconds: 1_036_800,
  cycle_seconds: 604_800,
  deployed_at: "2025-03-05T10:00:00Z",
  to_production_seconds: 694_800,
  linked_pull_requests: 1,
  history: [
    {
      at: "2025-02-25T09:00:00Z",
      actor: "Ada Lovelace",
      from_state: state("Todo", "unstarted"),
      to_state: state("In Progress", "started"),
      from_cycle: null,
      to_cycle: null,
      from_estimate: null,
      to_estimate: null,
      from_assignee: null,
      to_assignee: null,
      added_labels: [],
      removed_labels: [],
    },
  ],
  time_in_state: [{ state: state("In Progress", "started"), seconds: 604_800 }],
  time_in_state_type: { started: 604_800 },
  links: [
    {
      id: 90,
      number: 12,
      title: "Audit log",
      repository: "acme/api",
      url: null,
      state: "merged",
      merged_at: "2025-03-04T08:00:00Z",
      deployed_at: "2025-03-05T10:00:00Z",
      evidence: "branch",
      detail: "ada/eng-7-add-audit-log",
    },
  ],
  deployments: [
    {
      id: 70,
      source: "github",
      external_id: "deploy-70",
      environment: "production",
      status: "success",
      started_at: null,
      finished_at: "2025-03-05T10:00:00Z",
      url: "https://ci.example/deploy/70",
      is_failed: false,
      failure_reason: null,
      is_rework: false,
      rework_reason: null,
    },
  ],
  to_production: {
    total_seconds: 694_800,
    before_pr_seconds: 3_600,
    pr_cycle_seconds: 600_000,
    deploy_seconds: 91_200,
    deployed_at: "2025-03-05T10:00:00Z",
    deployment_id: 70,
  },
};

const routes = {
  "GET /api/v1/linear/teams": () => jsonResponse(200, [{ id: 1, key: "ENG", name: "Engineering", gone: false }]),
  "GET /api/v1/linear/projects": () => jsonResponse(200, []),
  "GET /api/v1/cycles": () => jsonResponse(200, [cycle]),
  "GET /api/v1/cycles/4": () =>
    jsonResponse(200, {
      ...cycle,
      figures: {
        committed: 1,
        added: 1,
        removed: 0,
        completed: 1,
        carried_over: 1,
        completion_rate: 0.5,
        committed_points: 3,
        added_points: 2,
        removed_points: 0,
        completed_points: 3,
        carried_over_points: 2,
        completion_rate_points: 0.6,
      },
      burn_up: [
        { day: "2025-02-24", scope: 1, completed: 0, scope_points: 3, completed_points: 0 },
        { day: "2025-03-09", scope: 2, completed: 1, scope_points: 5, completed_points: 3 },
      ],
      issues: { committed: [auditLog], added: [], removed: [], completed: [auditLog], carried_over: [] },
    }),
  "GET /api/v1/metrics/issues/flow": () =>
    jsonResponse(200, {
      window,
      metrics: [
        metric("issue-lead-time", "seconds", 1_036_800),
        metric("issue-cycle-time", "seconds", 604_800),
        metric("issue-to-production", "seconds", 694_800),
      ],
      phases: [
        metric("issue-before-pr-time", "seconds", 3_600),
        metric("issue-pr-cycle-time", "seconds", 600_000),
        metric("issue-deploy-time", "seconds", 91_200),
      ],
      time_in_state_type: [
        {
          state_type: "started",
          sample_size: 1,
          median_seconds: 604_800,
          mean_seconds: 604_800,
          p75_seconds: 604_800,
          p90_seconds: 604_800,
          total_seconds: 604_800,
        },
      ],
    }),
  "GET /api/v1/metrics/issues/throughput": () =>
    jsonResponse(200, {
      window,
      metrics: [metric("issues-completed", "count", 1), metric("issue-points-completed", "count", 3)],
    }),
  "GET /api/v1/metrics/issues/wip": () =>
    jsonResponse(200, {
      window,
      days: [],
      metrics: [
        metric("work-in-progress", "count", 2),
        metric("backlog-size", "count", 5),
        metric("backlog-age", "seconds", 86_400),
      ],
    }),
  "GET /api/v1/issues": (call: RecordedCall) =>
    jsonResponse(200, {
      items: call.url.searchParams.get("completed_from") === "2025-02-24" ? [{ ...issue, history: undefined }] : [],
      next_cursor: null,
    }),
  "GET /api/v1/issues/31": () => jsonResponse(200, issue),
};

describe("the Planning page", () => {
  it("points to Settings until Linear has synced", async () => {
    renderApp({
      path: "/planning",
      user: makeUser(),
      routes: {
        "GET /api/v1/linear/teams": () => jsonResponse(200, []),
        "GET /api/v1/linear/projects": () => jsonResponse(200, []),
      },
    });
    // The first test loads the lazy page's module, which takes a while on a busy machine.
    expect(await screen.findByRole("heading", { name: "No Linear data yet" }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Connect Linear in Settings" })).toHaveAttribute("href", "/settings");
  });

  it("shows a picked cycle's figures and the issues behind each", async () => {
    const { user } = renderApp({ path: "/planning?start=2025-02-24&end=2025-03-09&cycle=4", user: makeUser(), routes });
    expect(await screen.findByRole("heading", { name: "ENG cycle 12" })).toBeInTheDocument();
    expect(await screen.findByTestId("cycle-completion")).toHaveTextContent("50 %");
    await user.click(screen.getByRole("button", { name: /Carried over: 1/ }));
    expect(await screen.findByRole("region", { name: "Carried over" })).toHaveTextContent("No issues.");
    await user.click(screen.getByRole("button", { name: /Completed: 1/ }));
    const completed = await screen.findByRole("region", { name: "Completed" });
    expect(within(completed).getByRole("button", { name: "ENG-7" })).toBeInTheDocument();
  });

  it("opens an issue with its history, linked PRs with evidence and deployments", async () => {
    const { user } = renderApp({
      path: "/planning?start=2025-02-24&end=2025-03-09&cycle=4&drill=cycle:completed",
      user: makeUser(),
      routes,
    });
    await user.click(await screen.findByRole("button", { name: "ENG-7" }));
    const drawer = await screen.findByRole("dialog", { name: "ENG-7 Add audit log" });
    expect(await within(drawer).findByText("Branch name")).toBeInTheDocument();
    expect(within(drawer).getByText(/ada\/eng-7-add-audit-log/)).toBeInTheDocument();
    expect(within(drawer).getByRole("link", { name: "acme/api#12" })).toHaveAttribute(
      "href",
      "/pull-requests?start=2025-02-24&end=2025-03-09&cycle=4&pr=90",
    );
    expect(within(drawer).getByTestId("issue-deployments")).toHaveTextContent("production");
    expect(within(drawer).getByTestId("issue-history")).toHaveTextContent("State: Todo (to do) → In Progress");
  });

  it("lists the backlog waiting now, oldest first", async () => {
    const { user, fake } = renderApp({ path: "/planning?lteam=1", user: makeUser(), routes });
    await user.click(await screen.findByRole("button", { name: "Backlog now, oldest first" }));
    expect(await screen.findByRole("region", { name: "Backlog now, oldest first" })).toBeInTheDocument();
    const call = fake.callsTo("GET", "/api/v1/issues").at(-1);
    expect(call?.url.searchParams.getAll("state_type")).toEqual(["triage", "backlog", "unstarted"]);
    expect(call?.url.searchParams.get("sort")).toBe("created_at");
    expect(call?.url.searchParams.get("linear_team_id")).toBe("1");
  });

  it("offers each team's current cycle when none is picked", async () => {
    const current = {
      ...cycle,
      id: 5,
      number: 13,
      status: "current",
      starts_at: "2025-03-10T00:00:00Z",
      ends_at: "2099-01-01T00:00:00Z",
    };
    const { user, fake } = renderApp({
      path: "/planning",
      user: makeUser(),
      routes: {
        ...routes,
        "GET /api/v1/cycles": () => jsonResponse(200, [current, cycle]),
        "GET /api/v1/cycles/5": () =>
          jsonResponse(200, {
            ...current,
            figures: null,
            burn_up: [],
            issues: { committed: [], added: [], removed: [], completed: [], carried_over: [] },
          }),
      },
    });
    await user.click(await screen.findByRole("button", { name: "Show ENG cycle 13 (current)" }));
    expect(await screen.findByRole("heading", { name: "ENG cycle 13" })).toBeInTheDocument();
    expect(fake.callsTo("GET", "/api/v1/cycles/5")).toHaveLength(1);
    expect(screen.getByRole("combobox", { name: "Cycle" })).toHaveValue("5");
  });

  it("lists the issues completed in a throughput point's period", async () => {
    const { user, fake } = renderApp({ path: "/planning", user: makeUser(), routes });
    const card = (await screen.findByRole("heading", { name: "issues-completed" })).closest("section");
    if (!card) throw new Error("no throughput card");
    await user.click(within(card).getByText("Show as a table"));
    // jsdom does not name buttons inside <details>; the hidden words name the period.
    await user.click(await within(card).findByText("for Feb 24", { exact: false, selector: "button span" }));
    expect(await within(card).findByRole("button", { name: "ENG-7" })).toBeInTheDocument();
    const call = fake.callsTo("GET", "/api/v1/issues").at(-1);
    expect(call?.url.searchParams.get("completed_until")).toBe("2025-03-02");
    expect(call?.url.searchParams.get("linear_team_id")).toBeNull();
  });
});
