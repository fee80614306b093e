import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "@/lib/filters";
import { ALL_MERGED, describeDrill, drillQuery, readDrill, writeDrill } from "./drill";

const TODAY = new Date("2025-03-31T12:00:00Z");

describe("the drill parameter", () => {
  it("reads back what it wrote", () => {
    const drill = { ...ALL_MERGED, assisted: "any" as const, failedOrRework: true, start: "2025-03-03", team: 4 };
    const params = new URLSearchParams({ prs: writeDrill(drill) });
    expect(params.get("prs")).toBe("assisted:any;failed:true;from:2025-03-03;team:4");
    expect(readDrill(params)).toEqual(drill);
  });

  it("is all merged PRs when nothing narrows it, and absent when no list is open", () => {
    expect(writeDrill(ALL_MERGED)).toBe("all");
    expect(readDrill(new URLSearchParams("prs=all"))).toEqual(ALL_MERGED);
    expect(readDrill(new URLSearchParams("window=7d"))).toBeNull();
  });

  it("ignores parts that are not valid", () => {
    expect(readDrill(new URLSearchParams("prs=assisted:maybe;reviewed:yes;from:03-03;team:-2"))).toEqual(ALL_MERGED);
  });
});

describe("the list's query", () => {
  it("narrows the window to the drill's days but never widens it", () => {
    const query = drillQuery(DEFAULT_FILTERS, { ...ALL_MERGED, start: "2025-01-01", end: "2025-03-20" }, TODAY);
    expect(query.start_date).toBe("2025-03-02");
    expect(query.end_date).toBe("2025-03-20");
  });

  it("sends the cohort's filters and the drill's team", () => {
    const query = drillQuery({ ...DEFAULT_FILTERS, team: 2 }, { ...ALL_MERGED, reviewed: false, team: 7 }, TODAY);
    expect(query).toMatchObject({ reviewed: false, team_id: 7, assisted: undefined, failed_or_rework: undefined });
  });
});

describe("the list's title", () => {
  it("says which PRs it holds", () => {
    expect(describeDrill({ ...ALL_MERGED, assisted: "none", failedOrRework: true })).toBe(
      "Merged PRs not AI-assisted, shipped in a failed or rework deployment",
    );
    expect(describeDrill(ALL_MERGED)).toBe("Merged PRs");
  });
});
