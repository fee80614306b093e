import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PullRequestDetail } from "../api";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { PullRequestDrawer } from "./pull-request-drawer";

const pr: PullRequestDetail = {
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
  additions: 10,
  deletions: 2,
  size: 12,
  created_at: "2025-03-01T09:00:00Z",
  updated_at: "2025-03-04T08:00:00Z",
  opened_at: "2025-03-01T09:00:00Z",
  first_commit_at: "2025-02-28T09:00:00Z",
  first_review_at: null,
  approved_at: null,
  merged_at: "2025-03-04T08:00:00Z",
  deployed_at: "2025-03-05T10:00:00Z",
  head_branch: "ada/eng-7-add-audit-log",
  labels: [],
  cycle_seconds: 3600,
  lead_time_seconds: 7200,
  merge_seconds: null,
  phases: { coding_seconds: null, pickup_seconds: null, review_seconds: null, deploy_seconds: null },
  commits: [],
  timeline: [],
  incidents: [],
  deployment: {
    id: 70,
    source: "github",
    external_id: "deploy-70",
    environment: "production",
    status: "success",
    started_at: null,
    finished_at: "2025-03-05T10:00:00Z",
    url: null,
    is_failed: false,
    failure_reason: null,
    is_rework: false,
    rework_reason: null,
  },
  ai: null,
  linked_issues: [
    { id: 31, identifier: "ENG-7", title: "Add audit log", url: null, state: "completed", evidence: "branch" },
  ],
};

describe("the pull request drawer", () => {
  it("shows the deployment and the linked issues with how each was linked", async () => {
    renderWithProviders(<PullRequestDrawer id={90} onClose={() => undefined} />, {
      path: "/pull-requests?window=7d&pr=90",
      routes: { "GET /api/v1/github/prs/90": () => jsonResponse(200, pr) },
    });
    const issues = await screen.findByTestId("pr-linked-issues");
    expect(issues).toHaveTextContent("ENG-7 Add audit log · done · linked by the branch name");
    expect(within(issues).getByRole("link", { name: "ENG-7" })).toHaveAttribute("href", "/planning?window=7d&issue=31");
    expect(screen.getByTestId("pr-deployment")).toHaveTextContent("production");
  });
});
