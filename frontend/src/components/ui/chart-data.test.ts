import { describe, expect, it } from "vitest";
import { describeSeries, periodTimestamps, stackedTotals } from "./chart-data";

describe("stackedTotals", () => {
  it("returns running totals, the whole stack first", () => {
    const totals = stackedTotals([
      { label: "coding", values: [10, null, 5] },
      { label: "review", values: [20, null, null] },
    ]);
    expect(totals).toEqual([
      [30, null, 5],
      [10, null, 5],
    ]);
  });
});

describe("periodTimestamps", () => {
  it("reads ISO days as UTC midnights in seconds", () => {
    expect(periodTimestamps(["2025-03-03"])).toEqual([Date.UTC(2025, 2, 3) / 1000]);
  });
});

describe("describeSeries", () => {
  it("names the range and the latest value, skipping empty periods", () => {
    expect(describeSeries([3, null, 1, 2], String)).toBe("from 1 to 3, latest 2");
  });

  it("says when there is no data", () => {
    expect(describeSeries([null, null], String)).toBe("no data in this window");
  });
});
