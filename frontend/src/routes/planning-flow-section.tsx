import type { MetricOut } from "@/api/models";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { DistributionBars } from "@/features/metrics/components/distribution-bars";
import { MetricChartCard } from "@/features/metrics/components/metric-chart-card";
import { STATISTICS, type StatisticKey } from "@/lib/filters";
import { formatDay, formatMetricValue } from "@/lib/format";
import { useIssueFlow, useIssueThroughput } from "@/features/planning/api";
import { stateTypeLabel } from "@/features/planning/issue-words";
import type { Drill, Query } from "@/features/planning/planning-state";
import { DrillIssues } from "@/features/planning/components/drill-issues";

const PHASE_LABELS: Record<string, string> = {
  "issue-before-pr-time": "Before the first PR",
  "issue-pr-cycle-time": "PR cycle time",
  "issue-deploy-time": "Deploy time",
};

const STATISTIC_FIELDS = {
  median: "median_seconds",
  p75: "p75_seconds",
  p90: "p90_seconds",
  mean: "mean_seconds",
} as const;

function bySlug(metrics: readonly MetricOut[] | undefined, slug: string): MetricOut | undefined {
  return metrics?.find((metric) => metric.slug === slug);
}

export interface FlowSectionProps {
  scope: Query;
  statistic: StatisticKey;
  drill: Drill | null;
  onDrill: (drill: Drill | null) => void;
  onOpenIssue: (id: number) => void;
}

/**
 * Issue flow: lead and cycle time and throughput (a point lists the issues completed in its
 * period), issue-to-production with its phases, and time in each state type.
 */
export function FlowSection({ scope, statistic, drill, onDrill, onOpenIssue }: FlowSectionProps) {
  const flow = useIssueFlow(scope);
  const throughput = useIssueThroughput(scope);
  const selected = (slug: string) => (drill?.kind === "completed" && drill.metric === slug ? drill.period : null);

  function completedCard(
    slug: string,
    title: string,
    metric: MetricOut | undefined,
    error: unknown,
    retry: () => void,
  ) {
    const period = selected(slug);
    return (
      <MetricChartCard
        key={slug}
        title={title}
        metric={metric}
        error={error}
        onRetry={retry}
        onSelectPeriod={(point) => onDrill({ kind: "completed", metric: slug, period: point })}
        selectedPeriod={period}
      >
        {period ? (
          <DrillIssues
            title={`Issues completed in the period of ${formatDay(period)}`}
            drill={{ kind: "completed", metric: slug, period }}
            scope={scope}
            onClose={() => onDrill(null)}
            onOpen={onOpenIssue}
          />
        ) : null}
      </MetricChartCard>
    );
  }

  const phases = flow.data?.phases ?? [];
  const points = bySlug(throughput.data?.metrics, "issue-points-completed");
  return (
    <div className="chart-stack">
      {completedCard(
        "issue-lead-time",
        "Issue lead time",
        bySlug(flow.data?.metrics, "issue-lead-time"),
        flow.error,
        () => void flow.refetch(),
      )}
      {completedCard(
        "issue-cycle-time",
        "Issue cycle time",
        bySlug(flow.data?.metrics, "issue-cycle-time"),
        flow.error,
        () => void flow.refetch(),
      )}
      <Card
        title="Issue to production"
        description={`From the start of work (or creation) to the first production deployment shipping a linked PR: ${STATISTICS[statistic].toLowerCase()} of each phase, per period.`}
      >
        {flow.isError && !flow.data ? <ErrorAlert error={flow.error} onRetry={() => void flow.refetch()} /> : null}
        {!flow.data && !flow.isError ? <Skeleton height="260px" /> : null}
        {flow.data ? (
          <>
            <p className="metric-value" data-testid="chart-value-issue-to-production">
              {formatMetricValue(bySlug(flow.data.metrics, "issue-to-production")?.value, "seconds")}
            </p>
            <p className="muted small">
              Over {bySlug(flow.data.metrics, "issue-to-production")?.sample_size ?? 0} issues deployed in the window
            </p>
            <TimeSeriesChart
              title="Issue to production by phase"
              unit="seconds"
              kind="stacked"
              periods={(phases[0]?.series ?? []).map((point) => point.period_start)}
              series={phases.map((metric) => ({
                label: PHASE_LABELS[metric.slug] ?? metric.title,
                values: metric.series.map((point) => point.value),
              }))}
            />
          </>
        ) : null}
      </Card>
      <Card
        title="Time in each state type"
        description={`${STATISTICS[statistic]} time per issue completed in the window.`}
      >
        {flow.data ? (
          <DistributionBars
            title="Time in each state type"
            unit="seconds"
            items={flow.data.time_in_state_type.map((entry) => ({
              label: stateTypeLabel(entry.state_type),
              value: entry[STATISTIC_FIELDS[statistic]],
            }))}
          />
        ) : (
          <Skeleton height="160px" />
        )}
      </Card>
      {completedCard(
        "issues-completed",
        "Issues completed",
        bySlug(throughput.data?.metrics, "issues-completed"),
        throughput.error,
        () => void throughput.refetch(),
      )}
      {points && points.value !== null ? (
        <p className="muted small">
          {formatMetricValue(points.value, "count")} estimate points completed in the window.
        </p>
      ) : null}
    </div>
  );
}
