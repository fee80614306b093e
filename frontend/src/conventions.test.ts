import { describe, expect, it } from "vitest";

// Every source file of the app, as Vite sees it.
const files = Object.keys(import.meta.glob(["./**/*.{ts,tsx,css}", "!./**/*.d.ts"]));

describe("file names", () => {
  it("finds the sources", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("are kebab-case", () => {
    const offenders = files.filter((file) => {
      const name = file.split("/").pop() ?? "";
      return !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)+$/.test(name);
    });
    expect(offenders).toEqual([]);
  });

  it("keep folders kebab-case too", () => {
    const folders = new Set(files.flatMap((file) => file.split("/").slice(1, -1)));
    expect([...folders].filter((folder) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(folder))).toEqual([]);
  });
});
