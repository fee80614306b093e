import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "@/lib/filters";
import { makeUser } from "@/test/builders";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { RepositoryBreakdown } from "./repository-breakdown";

function metric(value: number, sampleSize: number) {
  return {
    slug: "deployment-frequency",
    title: "Deployment frequency",
    unit: "per_week",
    better: "higher",
    value,
    level: "high",
    sample_size: sampleSize,
    series: [],
    previous: { value: null, sample_size: 0 },
    trend: { direction: "flat", change_percent: null },
    details: {},
  };
}

describe("the by-repository table", () => {
  it("asks the by-repository route once for every repository of the selection", async () => {
    const { fake } = renderWithProviders(
      <RepositoryBreakdown
        metric={{ family: "dora", slug: "deployment-frequency" }}
        filters={{ ...DEFAULT_FILTERS, repositories: [1, 2, 3], team: 4 }}
      />,
      {
        user: makeUser(),
        routes: {
          "GET /api/v1/metrics/dora/deployment-frequency/by-repository": () =>
            jsonResponse(200, {
              window: { start: "2025-03-01", end: "2025-03-30" },
              spec: {},
              active_repositories: 3,
              repositories: [
                { repository_id: 1, repository: "acme/api", metric: metric(4.5, 18) },
                { repository_id: 2, repository: "acme/web", metric: metric(1, 4) },
              ],
            }),
        },
      },
    );

    const table = await screen.findByRole("table", { name: "By repository" });
    expect(within(table).getByRole("rowheader", { name: "acme/api" })).toBeInTheDocument();
    expect(within(table).getByRole("rowheader", { name: "acme/web" })).toBeInTheDocument();
    expect(screen.getByText(/The 2 most active of 3 repositories/)).toBeInTheDocument();
    const calls = fake.calls.filter((call) => call.path.startsWith("/api/v1/metrics/"));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url.searchParams.getAll("repo_id")).toEqual(["1", "2", "3"]);
    expect(calls[0]?.url.searchParams.get("team_id")).toBe("4");
  });
});
