import { useId } from "react";
import type { MetricOut } from "@/api/models";
import { ErrorAlert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { formatChangePercent, formatMetricValue } from "@/lib/format";

const LEVEL_LABELS: Record<string, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

const SAMPLE_NOUNS: Record<string, string> = {
  "deployment-frequency": "deployments",
  "lead-time": "changes",
  "change-failure-rate": "deployments",
  "recovery-time": "recoveries",
  "rework-rate": "deployments",
  throughput: "PRs",
};

export function LevelBadge({ level }: { level: string | null | undefined }) {
  if (!level) return null;
  return <span className={`level level-${level}`}>{LEVEL_LABELS[level] ?? level}</span>;
}

export function TrendLine({ metric }: { metric: MetricOut }) {
  const change = formatChangePercent(metric.trend.change_percent);
  if (change === null) return <p className="metric-trend trend-unknown">No previous window to compare with</p>;
  const words = { better: "better", worse: "worse", same: "steady", unknown: "" }[metric.trend.direction] ?? "";
  return (
    <p className={`metric-trend trend-${metric.trend.direction}`}>
      {change} vs previous window ({formatMetricValue(metric.previous.value, metric.unit)})
      {words ? <span className="visually-hidden">, {words}</span> : null}
    </p>
  );
}

export interface MetricCardProps {
  metric: MetricOut | undefined;
  error: unknown;
  isPending: boolean;
  title: string;
  onRetry: () => void;
}

/** A metric's value, level, trend against the previous window and sparkline. */
export function MetricCard({ metric, error, isPending, title, onRetry }: MetricCardProps) {
  const headingId = useId();
  return (
    <section
      className="metric-card"
      aria-labelledby={headingId}
      aria-busy={isPending || undefined}
      data-testid={metric ? `metric-${metric.slug}` : undefined}
    >
      <header className="metric-card-header">
        <h3 className="metric-title" id={headingId}>
          {metric?.title ?? title}
        </h3>
        <LevelBadge level={metric?.level} />
      </header>
      {error && !metric ? <ErrorAlert error={error} onRetry={onRetry} /> : null}
      {isPending && !metric ? (
        <div className="metric-skeleton">
          <Skeleton height="2rem" width="60%" />
          <Skeleton height="0.9rem" width="80%" />
          <Skeleton height="48px" />
        </div>
      ) : null}
      {metric ? (
        <>
          <p className="metric-value" data-testid="metric-value">
            {formatMetricValue(metric.value, metric.unit)}
          </p>
          <TrendLine metric={metric} />
          <TimeSeriesChart
            compact
            height={48}
            title={metric.title}
            unit={metric.unit}
            periods={metric.series.map((point) => point.period_start)}
            series={[{ label: metric.title, values: metric.series.map((point) => point.value) }]}
            kind={metric.unit === "count" || metric.unit === "per_week" ? "bars" : "line"}
          />
          <p className="muted small">
            {metric.sample_size} {SAMPLE_NOUNS[metric.slug] ?? "PRs"} in the window
          </p>
        </>
      ) : null}
    </section>
  );
}
