import type { ReactNode } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeSeriesChart } from "@/components/ui/time-series-chart";
import { periodEnd, metricParams, type GlobalFilters } from "@/lib/filters";
import { formatMetricValue } from "@/lib/format";
import { useAiAdoption, type AdoptionFigures } from "../api";
import { ALL_MERGED, type Drill } from "../drill";
import { DrillLink, drillSearch } from "./drill-link";
import { Withheld } from "./withheld";

const moneyFormat = new Intl.NumberFormat("en", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function formatSpend(cents: number): string {
  return moneyFormat.format(cents / 100);
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail: ReactNode; testId: string }) {
  return (
    <div className="metric-card" data-testid={testId}>
      <p className="metric-title">{label}</p>
      <p className="metric-value">{value}</p>
      <p className="muted small">{detail}</p>
    </div>
  );
}

function Figures({ figures }: { figures: AdoptionFigures }) {
  return (
    <div className="metric-grid" data-testid="ai-adoption-figures">
      <Figure
        testId="ai-active-users"
        label="Active Cursor users"
        value={`${figures.active_users} of ${figures.people}`}
        detail="People active in Cursor on at least one day of the window."
      />
      <Figure
        testId="ai-accepted-lines"
        label="Accepted AI lines"
        value={formatMetricValue(figures.accepted_lines, "lines")}
        detail="Lines of AI suggestions accepted in Cursor."
      />
      <Figure
        testId="ai-share"
        label="AI share of merged lines"
        value={formatMetricValue(figures.ai_share, "ratio")}
        detail={
          <>
            Where known: {figures.prs_known} of the{" "}
            <DrillLink drill={ALL_MERGED}>{figures.merged_prs} merged PRs</DrillLink> have AI code tracking.
          </>
        }
      />
      <Figure
        testId="ai-assisted-prs"
        label="AI-assisted PRs"
        value={String(figures.assisted_prs)}
        detail={
          <>
            <DrillLink drill={{ ...ALL_MERGED, assisted: "any" }}>
              {figures.assisted_prs} of {figures.merged_prs} merged PRs
            </DrillLink>{" "}
            carry AI evidence.
          </>
        }
      />
      <Figure
        testId="ai-review-coverage"
        label="Review-bot coverage"
        value={formatMetricValue(figures.review_coverage, "ratio")}
        detail={
          <>
            <DrillLink drill={{ ...ALL_MERGED, reviewed: true }}>{figures.reviewed_prs} merged PRs</DrillLink> reviewed
            by a bot before the merge.
          </>
        }
      />
      <Figure
        testId="ai-spend"
        label="Cursor spend"
        value={formatSpend(figures.spend_cents)}
        detail="Billing cycles starting in the window."
      />
    </div>
  );
}

/** Adoption: who uses Cursor, what it writes, what reviews it, and what it costs, over time. */
export function AdoptionSection({ filters }: { filters: GlobalFilters }) {
  const adoption = useAiAdoption(filters);
  const navigate = useNavigate();
  const { search } = useLocation();
  const period = metricParams(filters).period;
  if (adoption.isError && !adoption.data) {
    return <ErrorAlert error={adoption.error} onRetry={() => void adoption.refetch()} />;
  }
  const data = adoption.data;
  if (!data) {
    return (
      <Card title="Adoption">
        <Skeleton height="220px" />
      </Card>
    );
  }
  if (data.suppressed !== null || data.figures === null) {
    return (
      <Card title="Adoption">
        <Withheld reason={data.suppressed ?? "too few people"} what="Adoption figures" />
      </Card>
    );
  }
  const periods = data.series.map((point) => point.period_start);
  const values = (pick: (figures: AdoptionFigures) => number | null) => data.series.map((point) => pick(point.figures));
  const select = (start: string): Drill => ({ ...ALL_MERGED, assisted: "any", start, end: periodEnd(start, period) });
  return (
    <Card title="Adoption" description="Cursor usage, AI-written lines and review bots in the scope and window.">
      <Figures figures={data.figures} />
      <div className="grid">
        <div>
          <h3>Active users</h3>
          <TimeSeriesChart
            title="Active Cursor users per period"
            unit="count"
            kind="bars"
            periods={periods}
            series={[{ label: "Active users", values: values((f) => f.active_users) }]}
          />
        </div>
        <div>
          <h3>Accepted AI lines</h3>
          <TimeSeriesChart
            title="Accepted AI lines per period"
            unit="lines"
            kind="bars"
            periods={periods}
            series={[{ label: "Accepted lines", values: values((f) => f.accepted_lines) }]}
          />
        </div>
        <div>
          <h3>AI share and review-bot coverage</h3>
          <TimeSeriesChart
            title="AI share of merged lines and review-bot coverage per period"
            unit="ratio"
            periods={periods}
            series={[
              { label: "AI share of merged lines", values: values((f) => f.ai_share) },
              { label: "Review-bot coverage", values: values((f) => f.review_coverage) },
            ]}
          />
        </div>
        <div>
          <h3>AI-assisted PRs</h3>
          <TimeSeriesChart
            title="Merged and AI-assisted PRs per period"
            unit="count"
            periods={periods}
            series={[
              { label: "Merged PRs", values: values((f) => f.merged_prs) },
              { label: "AI-assisted PRs", values: values((f) => f.assisted_prs) },
            ]}
            onSelectPeriod={(start) => void navigate({ search: drillSearch(search, select(start)) })}
          />
        </div>
      </div>
    </Card>
  );
}
