import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { MetricOut } from "@/api/models";
import { makeUser } from "@/test/builders";
import { jsonResponse, type RecordedCall } from "@/test/fake-fetch";
import { renderApp } from "@/test/render";

function metricFor(call: RecordedCall): MetricOut {
  const slug = call.path.split("/").pop() ?? "";
  const seconds = call.url.searchParams.get("start_date") === "2000-01-01" ? 1 : 12_000;
  const unit =
    slug === "throughput"
      ? "count"
      : slug === "deployment-frequency"
        ? "per_week"
        : slug.endsWith("rate")
          ? "ratio"
          : "seconds";
  return {
    slug,
    title: slug,
    unit,
    better: "lower",
    value: unit === "seconds" ? seconds : unit === "ratio" ? 0.25 : 7,
    sample_size: 12,
    level: slug === "lead-time" ? "high" : null,
    previous: { value: unit === "seconds" ? 6_000 : 7, sample_size: 10 },
    trend: {
      change: 6_000,
      change_percent: unit === "seconds" ? 100 : 0,
      direction: unit === "seconds" ? "worse" : "same",
    },
    details: {},
    series: [{ period_start: "2025-03-03", value: 1, sample_size: 1 }],
  };
}

const metricRoutes = Object.fromEntries(
  [
    "dora/deployment-frequency",
    "dora/lead-time",
    "dora/change-failure-rate",
    "dora/recovery-time",
    "dora/rework-rate",
    "development/pr-review-time",
    "development/cycle-time",
    "development/throughput",
  ].map((path) => [`GET /api/v1/metrics/${path}`, (call: RecordedCall) => jsonResponse(200, metricFor(call))]),
);

const workspace = {
  ...metricRoutes,
  "GET /api/v1/repositories": () =>
    jsonResponse(200, [
      {
        id: 1,
        full_name: "acme/api",
        default_branch: "main",
        url: null,
        pull_request_count: 3,
        deployment_count: 2,
        last_activity_at: null,
      },
    ]),
  "GET /api/v1/metrics/dora": () => jsonResponse(200, { overall_level: "high", keys: [], level_table: "2023" }),
};

describe("the dashboard", () => {
  it("shows each key's value in people's units, its level and what changed", async () => {
    renderApp({ user: makeUser(), routes: workspace });
    const leadTime = await screen.findByTestId("metric-lead-time");
    expect(within(leadTime).getByTestId("metric-value")).toHaveTextContent("3 h 20 min");
    expect(within(leadTime).getByText("High")).toBeInTheDocument();
    expect(
      within(await screen.findByTestId("metric-change-failure-rate")).getByTestId("metric-value"),
    ).toHaveTextContent("25 %");
    expect(await screen.findByText(/lead-time got worse: 3 h 20 min, up 100 %/)).toBeInTheDocument();
  });

  it("asks the API for the window chosen in the filter, and keeps it in the URL", async () => {
    const { user, fake } = renderApp({ user: makeUser(), routes: workspace });
    await screen.findByTestId("metric-lead-time");
    await user.selectOptions(screen.getByLabelText("Window"), "7d");
    await screen.findByTestId("metric-lead-time");
    const last = fake.callsTo("GET", "/api/v1/metrics/dora/lead-time").at(-1);
    expect(last?.url.searchParams.get("period")).toBe("day");
    const start = new Date(`${last?.url.searchParams.get("start_date")}T00:00:00Z`);
    const end = new Date(`${last?.url.searchParams.get("end_date")}T00:00:00Z`);
    expect((end.getTime() - start.getTime()) / 86_400_000).toBe(6);
    expect(screen.getByRole("link", { name: "DORA" })).toHaveAttribute("href", "/dora?window=7d");
  });

  it("sets the window to a picked cycle's days and carries it to every page", async () => {
    const cycle = {
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
    const { user, fake } = renderApp({
      user: makeUser(),
      routes: { ...workspace, "GET /api/v1/cycles": () => jsonResponse(200, [cycle]) },
    });
    await screen.findByTestId("metric-lead-time");
    await user.selectOptions(await screen.findByLabelText("Cycle"), "Cycle 12 · Feb 24 – Mar 9");
    await screen.findByTestId("metric-lead-time");
    const last = fake.callsTo("GET", "/api/v1/metrics/dora/lead-time").at(-1);
    expect(last?.url.searchParams.get("start_date")).toBe("2025-02-24");
    expect(last?.url.searchParams.get("end_date")).toBe("2025-03-09");
    expect(screen.getByRole("link", { name: "DORA" })).toHaveAttribute(
      "href",
      "/dora?start=2025-02-24&end=2025-03-09&cycle=4",
    );
    expect(screen.getByLabelText("Window")).toHaveValue("custom");
  });

  it("shows the demo badge when the instance runs on demo data", async () => {
    renderApp({
      user: makeUser(),
      routes: { ...workspace, "GET /api/v1/sync/status": () => jsonResponse(200, { demo: true, sources: [] }) },
    });
    expect(await screen.findByText("Demo data")).toBeInTheDocument();
  });

  it("points to Settings and the demo when nothing is known yet", async () => {
    renderApp({ user: makeUser() });
    expect(await screen.findByRole("heading", { name: "No data yet" })).toBeInTheDocument();
    expect(screen.getByText("make demo")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Connect your sources" })).toHaveAttribute("href", "/settings");
  });
});
