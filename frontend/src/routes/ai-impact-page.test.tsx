import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Schemas } from "@/api/models";
import { makeUser } from "@/test/builders";
import { jsonResponse, type RecordedCall } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

const window = { start: "2025-03-02T00:00:00Z", end: "2025-04-01T00:00:00Z", period: "week", statistic: "median" };

const figures: Schemas["AdoptionFiguresOut"] = {
  people: 12,
  active_users: 9,
  accepted_lines: 48_200,
  spend_cents: 123_400,
  merged_prs: 80,
  assisted_prs: 41,
  reviewed_prs: 30,
  prs_known: 50,
  ai_share: 0.31,
  review_coverage: 0.375,
};

const adoption: Schemas["AdoptionOut"] = {
  window,
  people: 12,
  suppressed: null,
  figures,
  series: [{ period_start: "2025-03-03", figures }],
};

const cohorts: Schemas["CohortsOut"] = {
  window,
  people: 12,
  suppressed: null,
  cohorts: [
    {
      name: "ai_assisted",
      ai_prs: 41,
      other_prs: 39,
      ai_people: 9,
      other_people: 11,
      suppressed: null,
      measures: [
        {
          measure: "review_seconds",
          ai_count: 41,
          other_count: 39,
          ai_value: 18_000,
          other_value: 10_800,
          difference: 7_200,
          interval_low: 3_600,
          interval_high: 10_800,
          reason: null,
        },
      ],
    },
    {
      name: "ai_reviewed",
      ai_prs: 30,
      other_prs: 12,
      ai_people: 8,
      other_people: 6,
      suppressed: null,
      measures: [
        {
          measure: "cycle_seconds",
          ai_count: 30,
          other_count: 12,
          ai_value: 86_400,
          other_value: 90_000,
          difference: null,
          interval_low: null,
          interval_high: null,
          reason: "fewer than 20 PRs in a group",
        },
      ],
    },
  ],
};

const crossing: Schemas["AdoptionCrossingOut"] = {
  window,
  teams: [
    { team_id: 3, team: "Payments", people: 3, suppressed: "fewer than 5 people", crossed_on: null, comparison: null },
  ],
};

const failures: Schemas["AiFailuresOut"] = {
  window,
  people: 12,
  suppressed: null,
  figures: {
    deployments: 20,
    failed: 2,
    change_failure_rate: 0.1,
    deployments_known: 10,
    ai_weighted_deployments: 4,
    ai_weighted_failures: 0.6,
    ai_weighted_failure_rate: 0.15,
  },
  series: [],
};

const evidence: Schemas["PullRequestAiOut"] = {
  assisted: "high",
  evidence: [
    { kind: "ai_share", detail: "62 % of added lines" },
    { kind: "trailer", detail: "Co-authored-by: Cursor <cursoragent@cursor.com>" },
  ],
  ai_share: 0.62,
  ai_lines_added: 31,
  reviewed: true,
  review_bot: "greptile-apps[bot]",
  reviewed_at: "2025-03-10T10:00:00Z",
  reviewed_before_merge: true,
};

const pr = {
  id: 90,
  number: 12,
  title: "Audit log",
  repository: "acme/api",
  url: null,
  author: "ada",
  state: "merged",
  is_draft: false,
  is_hotfix: false,
  is_revert: false,
  is_stale: false,
  additions: 50,
  deletions: 2,
  size: 52,
  created_at: "2025-03-09T09:00:00Z",
  updated_at: "2025-03-10T12:00:00Z",
  merged_at: "2025-03-10T12:00:00Z",
  deployed_at: null,
  cycle_seconds: 3600,
  lead_time_seconds: null,
  merge_seconds: null,
  phases: { coding_seconds: null, pickup_seconds: null, review_seconds: null, deploy_seconds: null },
} satisfies Schemas["PullRequestOut"];

const detail: Schemas["PullRequestDetailOut"] = {
  ...pr,
  opened_at: pr.created_at,
  first_commit_at: null,
  first_review_at: null,
  approved_at: null,
  head_branch: null,
  labels: [],
  commits: [],
  timeline: [],
  incidents: [],
  deployment: null,
  linked_issues: [],
  ai: evidence,
};

function routes(overrides: Record<string, (call: RecordedCall) => Response> = {}) {
  return {
    "GET /api/v1/ai/adoption": () => jsonResponse(200, adoption),
    "GET /api/v1/ai/cohorts": () => jsonResponse(200, cohorts),
    "GET /api/v1/ai/adoption-crossing": () => jsonResponse(200, crossing),
    "GET /api/v1/ai/failures": () => jsonResponse(200, failures),
    "GET /api/v1/ai/pull-requests": () =>
      jsonResponse(200, { suppressed: null, items: [{ ...pr, ai: evidence }], next_cursor: null }),
    "GET /api/v1/github/prs/90": () => jsonResponse(200, detail),
    ...overrides,
  };
}

describe("the AI impact page", () => {
  it("compares the cohorts with their sizes and intervals, and says when a group is too small", async () => {
    renderApp({ path: "/ai", user: makeUser(), routes: routes() });
    const assisted = await screen.findByTestId("cohort-ai_assisted");
    expect(within(assisted).getByRole("link", { name: "AI-assisted: 41 PRs" })).toBeInTheDocument();
    const review = within(assisted).getByRole("row", { name: /Review time/ });
    expect(review).toHaveTextContent("5 h");
    expect(review).toHaveTextContent("n = 39");
    expect(review).toHaveTextContent("+2 h");
    expect(review).toHaveTextContent("+1 h to +3 h");
    expect(screen.getByTestId("cohort-ai_reviewed")).toHaveTextContent(
      "Not enough PRs to compare (fewer than 20 PRs in a group).",
    );
    expect(screen.getByText("Correlation, not causation")).toBeInTheDocument();
    expect(screen.getByTestId("ai-active-users")).toHaveTextContent("9 of 12");
    expect(screen.getByTestId("ai-spend")).toHaveTextContent("$1,234");
    expect(screen.getByTestId("ai-failures")).toHaveTextContent("15 %");
    expect(screen.getByTestId("ai-crossing")).toHaveTextContent("would describe fewer than 5 people");
  });

  it("opens the PRs behind a cohort, and a PR's AI evidence in the drawer", async () => {
    const { user, fake } = renderApp({ path: "/ai?window=7d", user: makeUser(), routes: routes() });
    await user.click(await screen.findByRole("link", { name: "AI-assisted: 41 PRs" }));
    const list = await screen.findByTestId("ai-pull-requests");
    expect(screen.getByRole("heading", { name: "Merged PRs AI-assisted" })).toBeInTheDocument();
    expect(fake.callsTo("GET", "/api/v1/ai/pull-requests")[0]?.url.searchParams.get("assisted")).toBe("any");
    expect(await within(list).findByText("AI-assisted (high confidence)")).toBeInTheDocument();

    await user.click(within(list).getByRole("button", { name: "Audit log" }));
    const drawer = await screen.findByRole("dialog", { name: "#12 Audit log" });
    const facts = await within(drawer).findByTestId("pr-ai-evidence");
    expect(facts).toHaveTextContent("AI lines (Cursor AI code tracking): 62 % of added lines");
    expect(facts).toHaveTextContent("Commit trailer: Co-authored-by: Cursor");
    expect(within(drawer).getByTestId("pr-ai-review")).toHaveTextContent(
      "Reviewed by greptile-apps[bot] before the merge.",
    );
  });

  it("withholds the figures of a scope with too few people", async () => {
    const withheld = { ...adoption, people: 3, suppressed: "fewer than 5 people", figures: null, series: [] };
    renderApp({
      path: "/ai?team=3",
      user: makeUser(),
      routes: routes({
        "GET /api/v1/ai/adoption": () => jsonResponse(200, withheld),
        "GET /api/v1/ai/cohorts": () =>
          jsonResponse(200, { ...cohorts, people: 3, suppressed: "fewer than 5 people", cohorts: [] }),
      }),
    });
    expect(await screen.findByText(/Adoption figures would describe fewer than 5 people/)).toBeInTheDocument();
    expect(await screen.findByText(/The cohort comparisons would describe fewer than 5 people/)).toBeInTheDocument();
    expect(screen.queryByTestId("ai-adoption-figures")).not.toBeInTheDocument();
  });
});
