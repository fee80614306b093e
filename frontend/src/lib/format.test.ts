import { describe, expect, it } from "vitest";
import { formatAgo, formatChangePercent, formatDuration, formatList, formatMetricValue, parseList } from "./format";

describe("parseList", () => {
  it("splits on commas, trims and drops empty items and duplicates", () => {
    expect(parseList(" acme/api, acme/web,,acme/api , ")).toEqual(["acme/api", "acme/web"]);
  });

  it("reads an empty field as an empty list", () => {
    expect(parseList("   ")).toEqual([]);
  });

  it("round-trips with formatList", () => {
    expect(parseList(formatList(["deploy", "release"]))).toEqual(["deploy", "release"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [42, "42 s"],
    [125, "2 min 5 s"],
    [3_600 * 5 + 60 * 7 + 3, "5 h 7 min"],
    [86_400 * 3 + 3_600 * 4, "3 d 4 h"],
  ])("formats %i seconds as %j", (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe("formatMetricValue", () => {
  it.each([
    [12_000, "seconds", "3 h 20 min"],
    [0.125, "ratio", "12.5 %"],
    [4.25, "per_week", "4.3 / week"],
    [17, "count", "17"],
    [1234, "lines", "1,234 lines"],
    [null, "seconds", "—"],
  ] as const)("formats %j %s as %j", (value, unit, expected) => {
    expect(formatMetricValue(value, unit)).toBe(expected);
  });
});

describe("formatChangePercent", () => {
  it.each([
    [12.4, "+12 %"],
    [-3.2, "−3 %"],
    [0.2, "±0 %"],
    [null, null],
  ] as const)("formats %j as %j", (value, expected) => {
    expect(formatChangePercent(value)).toBe(expected);
  });
});

describe("formatAgo", () => {
  const now = new Date("2025-03-10T12:00:00Z");
  it("speaks of recent times in minutes", () => {
    expect(formatAgo("2025-03-10T11:55:00Z", now)).toBe("5 min ago");
  });
  it("says never for no time", () => {
    expect(formatAgo(null, now)).toBe("never");
  });
});
