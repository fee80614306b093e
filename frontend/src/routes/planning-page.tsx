import { useCallback } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useCycleOptions } from "@/features/filters/api";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { cycleRange } from "@/features/filters/cycle-range";
import { useLinearProjects, useLinearTeams } from "@/features/planning/api";
import { CycleView } from "@/features/planning/components/cycle-view";
import { IssueDrawer } from "@/features/planning/components/issue-drawer";
import { ScopePicker } from "@/features/planning/components/scope-picker";
import { WipSection } from "@/features/planning/components/wip-section";
import {
  issueScope,
  readPlanningState,
  writePlanningState,
  type PlanningState,
} from "@/features/planning/planning-state";
import { useGlobalFilters } from "@/lib/use-filters";
import { FlowSection } from "./planning-flow-section";
import { usePageTitle } from "./use-page-title";

export function PlanningPage() {
  usePageTitle("Planning");
  const [filters, setFilters] = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const state = readPlanningState(params);
  const teams = useLinearTeams();
  const projects = useLinearProjects();
  const cycles = useCycleOptions();
  const change = useCallback(
    (update: Partial<PlanningState>) => setParams((current) => writePlanningState(current, update)),
    [setParams],
  );
  const closeIssue = useCallback(() => change({ issue: null }), [change]);
  const openIssue = (id: number) => change({ issue: id });
  const scope = issueScope(filters, state);

  return (
    <>
      <h1>Planning</h1>
      <p className="muted page-intro">
        Issues from Linear: how long they take from creation, start of work and to production, what is in progress and
        waiting, and how each cycle went. Click a point, a figure or a row to see the issues behind it.
      </p>
      <FilterBar />
      {teams.isPending ? <LoadingBlock label="Loading Linear teams…" /> : null}
      {teams.isError ? <ErrorAlert error={teams.error} onRetry={() => void teams.refetch()} /> : null}
      {teams.isSuccess && teams.data.length === 0 ? (
        <Card title="No Linear data yet">
          <p className="empty">
            Planning reads issues and cycles from Linear. <Link to="/settings">Connect Linear in Settings</Link> and
            sync it.
          </p>
        </Card>
      ) : null}
      {teams.isSuccess && teams.data.length > 0 ? (
        <>
          <ScopePicker
            teams={teams.data}
            projects={projects.data ?? []}
            team={state.linearTeam}
            project={state.project}
            onChange={(update) => change({ ...update, drill: null })}
          />
          <div className="stack">
            <CycleView
              cycles={cycles.data ?? []}
              cycleId={filters.cycle}
              bucket={state.drill?.kind === "cycle" ? state.drill.bucket : null}
              onPickCycle={(id) => {
                const cycle = cycles.data?.find((item) => item.id === id);
                const range = cycle ? cycleRange(cycle) : null;
                if (range) setFilters({ range, cycle: id });
              }}
              onBucket={(bucket) => change({ drill: bucket ? { kind: "cycle", bucket } : null })}
              onOpenIssue={openIssue}
            />
            <FlowSection
              scope={scope}
              statistic={filters.statistic}
              drill={state.drill}
              onDrill={(drill) => change({ drill })}
              onOpenIssue={openIssue}
            />
            <WipSection
              scope={scope}
              drill={state.drill}
              onDrill={(drill) => change({ drill })}
              onOpenIssue={openIssue}
            />
          </div>
        </>
      ) : null}
      {state.issue !== null ? <IssueDrawer id={state.issue} onClose={closeIssue} /> : null}
    </>
  );
}
