import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import type { GlobalFilters } from "@/lib/filters";
import { formatMetricValue } from "@/lib/format";
import { useAiFailures } from "../api";
import { ALL_MERGED } from "../drill";
import { DrillLink } from "./drill-link";
import { Withheld } from "./withheld";

const weightFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** Failed deployments weighted by the AI share of what they shipped, beside the change failure rate. */
export function FailuresSection({ filters }: { filters: GlobalFilters }) {
  const failures = useAiFailures(filters);
  const data = failures.data;
  return (
    <Card
      title="AI-weighted failures"
      description="Each failed production deployment counts the AI share of the lines it shipped, over the deployments whose AI share is known; beside the change failure rate, where each counts one."
    >
      {failures.isError && !data ? <ErrorAlert error={failures.error} onRetry={() => void failures.refetch()} /> : null}
      {!data && !failures.isError ? <Skeleton height="220px" /> : null}
      {data && (data.suppressed !== null || data.figures === null) ? (
        <Withheld reason={data.suppressed ?? "too few people"} what="These figures" />
      ) : null}
      {data?.figures ? (
        <>
          <dl className="facts" data-testid="ai-failures">
            <div>
              <dt>Change failure rate</dt>
              <dd>
                {formatMetricValue(data.figures.change_failure_rate, "ratio")}{" "}
                <span className="muted small">
                  {data.figures.failed} of {data.figures.deployments} deployments
                </span>
              </dd>
            </div>
            <div>
              <dt>AI-weighted failure rate</dt>
              <dd>
                {formatMetricValue(data.figures.ai_weighted_failure_rate, "ratio")}{" "}
                <span className="muted small">
                  {weightFormat.format(data.figures.ai_weighted_failures)} of{" "}
                  {weightFormat.format(data.figures.ai_weighted_deployments)} AI-weighted deployments, over the{" "}
                  {data.figures.deployments_known} whose AI share is known
                </span>
              </dd>
            </div>
            <div>
              <dt>The PRs behind them</dt>
              <dd>
                <DrillLink drill={{ ...ALL_MERGED, failedOrRework: true }}>
                  Merged PRs shipped in a failed or rework deployment
                </DrillLink>
              </dd>
            </div>
          </dl>
          <TimeSeriesChart
            title="Change failure rate and AI-weighted failure rate per period"
            unit="ratio"
            periods={data.series.map((point) => point.period_start)}
            series={[
              { label: "Change failure rate", values: data.series.map((p) => p.figures.change_failure_rate) },
              { label: "AI-weighted failure rate", values: data.series.map((p) => p.figures.ai_weighted_failure_rate) },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
