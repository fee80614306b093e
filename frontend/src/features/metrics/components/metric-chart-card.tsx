import type { ReactNode } from "react";
import type { MetricOut } from "@/api/models";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { formatMetricValue } from "@/lib/format";
import { LevelBadge, TrendLine } from "./metric-card";

export interface MetricChartCardProps {
  title: string;
  metric: MetricOut | undefined;
  error: unknown;
  onRetry: () => void;
  onSelectPeriod?: (period: string) => void;
  selectedPeriod?: string | null;
  kind?: "line" | "bars";
  children?: ReactNode;
}

/** A metric over time: value, level, trend and its chart; children go below (drill-downs). */
export function MetricChartCard({
  title,
  metric,
  error,
  onRetry,
  onSelectPeriod,
  selectedPeriod,
  kind,
  children,
}: MetricChartCardProps) {
  return (
    <Card
      title={metric?.title ?? title}
      description={metric ? undefined : " "}
      actions={metric ? <LevelBadge level={metric.level} /> : null}
      className="chart-card"
    >
      {error && !metric ? <ErrorAlert error={error} onRetry={onRetry} /> : null}
      {!metric && !error ? (
        <div className="chart-skeleton">
          <Skeleton height="2rem" width="30%" />
          <Skeleton height="220px" />
        </div>
      ) : null}
      {metric ? (
        <>
          <p className="metric-value" data-testid={`chart-value-${metric.slug}`}>
            {formatMetricValue(metric.value, metric.unit)}
          </p>
          <TrendLine metric={metric} />
          <TimeSeriesChart
            title={metric.title}
            unit={metric.unit}
            kind={kind ?? (metric.unit === "count" || metric.unit === "per_week" ? "bars" : "line")}
            periods={metric.series.map((point) => point.period_start)}
            series={[{ label: metric.title, values: metric.series.map((point) => point.value) }]}
            onSelectPeriod={onSelectPeriod}
            selectedPeriod={selectedPeriod}
          />
        </>
      ) : null}
      {children}
    </Card>
  );
}
