import { useCallback } from "react";
import { useSearchParams } from "react-router-dom";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { PullRequestDrawer } from "@/features/pull-requests/components/pull-request-drawer";
import { PullRequestTable } from "@/features/pull-requests/components/pull-request-table";
import { readTableState, writeTableState, type TableState } from "@/features/pull-requests/list-query";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

export function PullRequestsPage() {
  usePageTitle("Pull requests");
  const [filters] = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const state = readTableState(params);
  const change = useCallback(
    (update: Partial<TableState>) => setParams((current) => writeTableState(current, update)),
    [setParams],
  );
  const close = useCallback(() => change({ pr: null }), [change]);
  return (
    <>
      <h1>Pull requests</h1>
      <FilterBar showStatistic={false} />
      <PullRequestTable state={state} filters={filters} onChange={change} />
      {state.pr !== null ? <PullRequestDrawer id={state.pr} onClose={close} /> : null}
    </>
  );
}
