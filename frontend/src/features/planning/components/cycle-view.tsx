import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { formatMetricValue } from "@/lib/format";
import { useCycle, type CycleDetail } from "../api";
import { formatEstimate } from "../issue-words";
import { CYCLE_BUCKETS, type CycleBucket } from "../planning-state";
import { IssueTable } from "./issue-table";

const POINTS: Record<CycleBucket, keyof NonNullable<CycleDetail["figures"]>> = {
  committed: "committed_points",
  added: "added_points",
  removed: "removed_points",
  completed: "completed_points",
  carried_over: "carried_over_points",
};

function cycleTitle(cycle: { team_key: string; number: number; name: string | null }): string {
  return `${cycle.team_key} cycle ${cycle.number}${cycle.name ? ` · ${cycle.name}` : ""}`;
}

export interface CycleChoice {
  id: number;
  team_key: string;
  number: number;
  name: string | null;
  status: string;
}

/** When no cycle is picked: each team's current cycle, one click away. */
function CurrentCycles({ cycles, onPick }: { cycles: readonly CycleChoice[]; onPick: (id: number) => void }) {
  const current = cycles.filter((cycle) => cycle.status === "current");
  return (
    <Card title="Cycle" description="Pick a cycle in the filter bar to see its burn-up, scope changes and carry-over.">
      {current.length > 0 ? (
        <p>
          {current.map((cycle) => (
            <Button key={cycle.id} size="sm" onClick={() => onPick(cycle.id)}>
              Show {cycleTitle(cycle)} (current)
            </Button>
          ))}
        </p>
      ) : null}
      {cycles.length === 0 ? <p className="empty">No cycles synced yet.</p> : null}
    </Card>
  );
}

/** A cycle: committed, added, removed, completed and carried over (each listing its issues) and the burn-up. */
export function CycleView({
  cycles,
  cycleId,
  bucket,
  onPickCycle,
  onBucket,
  onOpenIssue,
}: {
  cycles: readonly CycleChoice[];
  cycleId: number | null;
  bucket: CycleBucket | null;
  onPickCycle: (id: number) => void;
  onBucket: (bucket: CycleBucket | null) => void;
  onOpenIssue: (id: number) => void;
}) {
  const cycle = useCycle(cycleId);
  if (cycleId === null) return <CurrentCycles cycles={cycles} onPick={onPickCycle} />;
  const data = cycle.data;
  const figures = data?.figures ?? null;
  return (
    <Card
      title={data ? cycleTitle(data) : "Cycle"}
      description={
        data?.status === "current"
          ? "The current cycle, so far. Cancelled issues are left out."
          : "Cancelled issues are left out."
      }
    >
      {cycle.isPending ? <LoadingBlock label="Loading the cycle…" /> : null}
      {cycle.isError ? <ErrorAlert error={cycle.error} onRetry={() => void cycle.refetch()} /> : null}
      {data && figures === null ? (
        <p className="empty">
          {data.status === "upcoming" ? "This cycle has not started yet." : "This cycle has no dates, so no figures."}
        </p>
      ) : null}
      {data && figures ? (
        <>
          <p className="metric-value" data-testid="cycle-completion">
            {formatMetricValue(figures.completion_rate, "ratio")}
          </p>
          <p className="muted small">
            Completed of committed plus added minus removed
            {figures.completion_rate_points !== null
              ? ` · ${formatMetricValue(figures.completion_rate_points, "ratio")} in points`
              : ""}
          </p>
          <ul className="cycle-figures" aria-label="Cycle figures">
            {(Object.keys(CYCLE_BUCKETS) as CycleBucket[]).map((key) => (
              <li key={key}>
                <button
                  type="button"
                  className={bucket === key ? "chip chip-selected" : "chip"}
                  aria-pressed={bucket === key}
                  onClick={() => onBucket(bucket === key ? null : key)}
                >
                  {CYCLE_BUCKETS[key]}: {figures[key]} ({formatEstimate(figures[POINTS[key]] as number)})
                </button>
              </li>
            ))}
          </ul>
          {bucket ? (
            <section className="drilldown" aria-label={CYCLE_BUCKETS[bucket]}>
              <div className="section-header">
                <h3>{CYCLE_BUCKETS[bucket]}</h3>
                <Button size="sm" variant="ghost" onClick={() => onBucket(null)}>
                  Close
                </Button>
              </div>
              {data.issues[bucket].length === 0 ? (
                <p className="empty">No issues.</p>
              ) : (
                <IssueTable title={CYCLE_BUCKETS[bucket]} issues={data.issues[bucket]} onOpen={onOpenIssue} />
              )}
            </section>
          ) : null}
          <h3>Burn-up</h3>
          <TimeSeriesChart
            title="Burn-up"
            unit="count"
            periods={data.burn_up.map((point) => point.day)}
            series={[
              { label: "Scope", values: data.burn_up.map((point) => point.scope) },
              { label: "Completed", values: data.burn_up.map((point) => point.completed) },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
