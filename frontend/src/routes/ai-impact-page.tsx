import { useCallback } from "react";
import { useSearchParams } from "react-router-dom";
import { AdoptionSection } from "@/features/ai/components/adoption-section";
import { AiPullRequestList } from "@/features/ai/components/ai-pull-request-list";
import { CohortsSection } from "@/features/ai/components/cohorts-section";
import { CrossingSection } from "@/features/ai/components/crossing-section";
import { FailuresSection } from "@/features/ai/components/failures-section";
import { DRILL_PARAM, readDrill } from "@/features/ai/drill";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { PullRequestDrawer } from "@/features/pull-requests/components/pull-request-drawer";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

function readPr(params: URLSearchParams): number | null {
  const raw = params.get("pr");
  return raw !== null && /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

/** AI-assisted development: adoption, outcomes by cohort, before and after adoption, AI-weighted
 * failures, and the PRs behind every number (docs/ai-impact.md). */
export function AiImpactPage() {
  usePageTitle("AI impact");
  const [filters] = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const drill = readDrill(params);
  const openPr = readPr(params);
  const setParam = useCallback(
    (key: string, value: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      }),
    [setParams],
  );
  const closePr = useCallback(() => setParam("pr", null), [setParam]);
  return (
    <>
      <h1>AI impact</h1>
      <FilterBar showStatistic={false} />
      <p className="muted page-intro">
        What AI coding and review tools go with in this scope: Cursor usage, pull requests with AI evidence, review
        bots, and the outcomes of those pull requests against the others. <strong>Correlation, not causation</strong>:
        the groups differ in more than AI (people, teams, kinds of work), so a difference here says where to look, not
        what caused it. No figure is shown for fewer than the minimum group of people, and no person is ranked.
      </p>
      {drill !== null ? (
        <AiPullRequestList
          filters={filters}
          drill={drill}
          onOpen={(id) => setParam("pr", String(id))}
          onClose={() => setParam(DRILL_PARAM, null)}
        />
      ) : null}
      <AdoptionSection filters={filters} />
      <h2 className="section-title">Outcomes</h2>
      <CohortsSection filters={filters} />
      <CrossingSection filters={filters} />
      <FailuresSection filters={filters} />
      {openPr !== null ? <PullRequestDrawer id={openPr} onClose={closePr} /> : null}
    </>
  );
}
