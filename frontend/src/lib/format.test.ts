import { describe, expect, it } from "vitest";
import { formatDuration, formatList, parseList } from "./format";

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
