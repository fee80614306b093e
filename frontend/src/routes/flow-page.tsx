import { Link, useLocation } from "react-router-dom";
import type { MetricOut } from "@/api/models";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { useMetrics, type MetricRef } from "@/features/metrics/api";
import { DistributionBars } from "@/features/metrics/components/distribution-bars";
import { MetricChartCard } from "@/features/metrics/components/metric-chart-card";
import { filterSearch, metricParams, periodEnd, STATISTICS } from "@/lib/filters";
import { formatDay, formatMetricValue } from "@/lib/format";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

const PHASES: readonly MetricRef[] = [
  { family: "development", slug: "coding-time" },
  { family: "development", slug: "pickup-time" },
  { family: "development", slug: "pr-review-time" },
  { family: "development", slug: "deploy-time" },
];
const PHASE_LABELS = ["Coding", "Pickup", "Review", "Deploy"];
const OTHERS: readonly MetricRef[] = [
  { family: "development", slug: "throughput" },
  { family: "development", slug: "pr-size" },
  { family: "development", slug: "cycle-time" },
];

function numberDetail(metric: MetricOut | undefined, key: string): number | null {
  const value = metric?.details[key];
  return typeof value === "number" ? value : null;
}

export function FlowPage() {
  usePageTitle("Flow");
  const [filters] = useGlobalFilters();
  const search = filterSearch(useLocation().search);
  const phases = useMetrics(PHASES, filters);
  const [throughput, size, cycle] = useMetrics(OTHERS, filters);
  const phaseData = phases.map((result) => result.data);
  const phasesReady = phaseData.every((data) => data !== undefined);
  const phaseError = phases.find((result) => result.error)?.error;
  const review = phaseData[2];
  const period = metricParams(filters).period;
  const distribution = (size?.data?.details.distribution ?? {}) as Record<string, number>;

  return (
    <>
      <h1>Flow</h1>
      <FilterBar />
      <div className="chart-stack">
        <Card title="Cycle time breakdown" description={`${STATISTICS[filters.statistic]} of each phase, per period.`}>
          {phaseError && !phasesReady ? <ErrorAlert error={phaseError} /> : null}
          {!phasesReady && !phaseError ? <Skeleton height="260px" /> : null}
          {phasesReady ? (
            <>
              <p className="metric-value">{formatMetricValue(cycle?.data?.value, "seconds")}</p>
              <p className="muted small">Cycle time (first commit to merge) over {cycle?.data?.sample_size ?? 0} PRs</p>
              <TimeSeriesChart
                title="Cycle time breakdown"
                unit="seconds"
                kind="stacked"
                periods={(phaseData[0]?.series ?? []).map((point) => point.period_start)}
                series={phaseData.map((metric, index) => ({
                  label: PHASE_LABELS[index] ?? "",
                  values: (metric?.series ?? []).map((point) => point.value),
                }))}
              />
            </>
          ) : null}
        </Card>
        <MetricChartCard
          title="Throughput"
          metric={throughput?.data}
          error={throughput?.error}
          onRetry={() => void throughput?.refetch()}
          kind="bars"
        >
          {throughput?.data ? (
            <p className="small">
              PRs merged in each period:{" "}
              {throughput.data.series
                .filter((point) => (point.value ?? 0) > 0)
                .slice(-6)
                .map((point) => (
                  <Link
                    key={point.period_start}
                    className="chip"
                    to={{
                      pathname: "/pull-requests",
                      search: `${search ? `${search}&` : "?"}state=merged&merged_from=${point.period_start}&merged_until=${periodEnd(point.period_start, period)}`,
                    }}
                  >
                    {formatDay(point.period_start)} ({point.value})
                  </Link>
                ))}
            </p>
          ) : null}
        </MetricChartCard>
        <div className="grid">
          <Card title="PR size distribution" description="Lines added plus deleted, PRs merged in the window.">
            {size?.data ? (
              <DistributionBars
                title="PR size distribution"
                unit="count"
                items={["XS", "S", "M", "L", "XL"].map((label) => ({ label, value: distribution[label] ?? 0 }))}
              />
            ) : (
              <Skeleton height="160px" />
            )}
          </Card>
          <Card title="Review time percentiles" description="First review to merge, PRs merged in the window.">
            {review ? (
              <DistributionBars
                title="Review time percentiles"
                unit="seconds"
                items={[
                  { label: "Median", value: numberDetail(review, "median") },
                  { label: "75th percentile", value: numberDetail(review, "p75") },
                  { label: "90th percentile", value: numberDetail(review, "p90") },
                  { label: "Mean", value: numberDetail(review, "mean") },
                ]}
              />
            ) : (
              <Skeleton height="160px" />
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
