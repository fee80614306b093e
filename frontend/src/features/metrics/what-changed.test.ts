import { describe, expect, it } from "vitest";
import type { MetricOut } from "@/api/models";
import { whatChanged } from "./what-changed";

function metric(overrides: Partial<MetricOut> & Pick<MetricOut, "slug" | "title" | "unit">): MetricOut {
  return {
    better: "lower",
    value: 100,
    sample_size: 10,
    level: null,
    previous: { value: 100, sample_size: 10 },
    trend: { change: 0, change_percent: 0, direction: "same" },
    details: {},
    series: [],
    ...overrides,
  };
}

describe("whatChanged", () => {
  it("names the largest movements first, in people's units", () => {
    const sentences = whatChanged([
      metric({
        slug: "cycle-time",
        title: "Cycle time",
        unit: "seconds",
        value: 12_000,
        previous: { value: 8_000, sample_size: 5 },
        trend: { change: 4_000, change_percent: 50, direction: "worse" },
      }),
      metric({
        slug: "throughput",
        title: "Throughput",
        unit: "count",
        value: 22,
        previous: { value: 20, sample_size: 20 },
        trend: { change: 2, change_percent: 10, direction: "better" },
      }),
    ]);
    expect(sentences).toEqual([
      "Cycle time got worse: 3 h 20 min, up 50 % on the previous window (2 h 13 min).",
      "Throughput improved: 22, up 10 % on the previous window (20).",
    ]);
  });

  it("leaves out small movements and metrics without a previous value", () => {
    const sentences = whatChanged([
      metric({ slug: "a", title: "A", unit: "count", trend: { change: 1, change_percent: 5, direction: "better" } }),
      metric({
        slug: "b",
        title: "B",
        unit: "count",
        previous: { value: null, sample_size: 0 },
        trend: { change: null, change_percent: null, direction: "unknown" },
      }),
    ]);
    expect(sentences).toEqual([]);
  });
});
