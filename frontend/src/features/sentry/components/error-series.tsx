import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import type { GlobalFilters } from "@/lib/filters";
import { formatMetricValue } from "@/lib/format";
import { useSentrySeries } from "../api";
import { projectSeries, type SeriesField } from "../series";

const CHARTS: readonly { field: SeriesField; index: number; title: string }[] = [
  { field: "error_events", index: 0, title: "Error events" },
  { field: "new_issues", index: 1, title: "New issues" },
];

/** Error events and new issues over time, stacked by Sentry project. */
export function ErrorSeries({ filters }: { filters: GlobalFilters }) {
  const series = useSentrySeries(filters);
  if (series.isError && !series.data) {
    return <ErrorAlert error={series.error} onRetry={() => void series.refetch()} />;
  }
  return (
    <div className="chart-stack">
      {CHARTS.map(({ field, index, title }) => {
        const metric = series.data?.metrics[index];
        return (
          <Card key={field} title={metric?.title ?? title} className="chart-card">
            {!series.data || !metric ? (
              <div className="chart-skeleton">
                <Skeleton height="2rem" width="30%" />
                <Skeleton height="220px" />
              </div>
            ) : (
              <>
                <p className="metric-value" data-testid={`chart-value-${metric.slug}`}>
                  {formatMetricValue(metric.value, metric.unit)}
                </p>
                {series.data.projects.length === 0 ? (
                  <p className="empty">No Sentry project follows these repositories yet.</p>
                ) : (
                  <TimeSeriesChart
                    title={`${metric.title} by project`}
                    unit={metric.unit}
                    kind="stacked"
                    periods={metric.series.map((point) => point.period_start)}
                    series={projectSeries(series.data, field)}
                  />
                )}
              </>
            )}
          </Card>
        );
      })}
    </div>
  );
}
