import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { formatMetricValue } from "@/lib/format";
import { useIssueWip } from "../api";
import type { Drill, Query } from "../planning-state";
import { DrillIssues } from "./drill-issues";

/** Work in progress and the backlog each day, with the issues in progress or waiting now. */
export function WipSection({
  scope,
  drill,
  onDrill,
  onOpenIssue,
}: {
  scope: Query;
  drill: Drill | null;
  onDrill: (drill: Drill | null) => void;
  onOpenIssue: (id: number) => void;
}) {
  const wip = useIssueWip(scope);
  const now = drill?.kind === "now" ? drill.which : null;
  const metric = (slug: string) => wip.data?.metrics.find((item) => item.slug === slug);
  return (
    <Card
      title="Work in progress and backlog"
      description="Issues in a started state at the end of each day, and issues waiting in triage, backlog or to do."
    >
      {wip.isError && !wip.data ? <ErrorAlert error={wip.error} onRetry={() => void wip.refetch()} /> : null}
      {!wip.data && !wip.isError ? <Skeleton height="260px" /> : null}
      {wip.data ? (
        <>
          <dl className="facts">
            <div>
              <dt>Daily work in progress (mean)</dt>
              <dd>{formatMetricValue(metric("work-in-progress")?.value, "count")}</dd>
            </div>
            <div>
              <dt>Backlog on the last day</dt>
              <dd>{formatMetricValue(metric("backlog-size")?.value, "count")}</dd>
            </div>
            <div>
              <dt>Backlog age (median)</dt>
              <dd>{formatMetricValue(metric("backlog-age")?.value, "seconds")}</dd>
            </div>
          </dl>
          <TimeSeriesChart
            title="Work in progress and backlog per day"
            unit="count"
            periods={wip.data.days.map((day) => day.day)}
            series={[
              { label: "In progress", values: wip.data.days.map((day) => day.wip) },
              { label: "Backlog", values: wip.data.days.map((day) => day.backlog) },
            ]}
          />
          <p>
            <Button
              size="sm"
              aria-pressed={now === "started"}
              onClick={() => onDrill({ kind: "now", which: "started" })}
            >
              Issues in progress now
            </Button>{" "}
            <Button
              size="sm"
              aria-pressed={now === "backlog"}
              onClick={() => onDrill({ kind: "now", which: "backlog" })}
            >
              Backlog now, oldest first
            </Button>
          </p>
          {now ? (
            <DrillIssues
              title={now === "started" ? "Issues in progress now" : "Backlog now, oldest first"}
              drill={{ kind: "now", which: now }}
              scope={scope}
              onClose={() => onDrill(null)}
              onOpen={onOpenIssue}
            />
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
