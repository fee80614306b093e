import type { MetricRef } from "../api";
import { useMetrics } from "../api";
import type { GlobalFilters } from "@/lib/filters";
import { MetricCard } from "./metric-card";
import { whatChanged } from "../what-changed";
import type { MetricOut } from "@/api/models";

const TITLES: Record<string, string> = {
  "deployment-frequency": "Deployment frequency",
  "lead-time": "Change lead time",
  "change-failure-rate": "Change failure rate",
  "recovery-time": "Failed deployment recovery time",
  "rework-rate": "Deployment rework rate",
  "pr-review-time": "Review time",
  "cycle-time": "Cycle time",
  throughput: "Throughput",
};

/** Cards for a set of metrics, and (optionally) the sentences on what moved most. */
export function MetricGrid({
  metrics,
  filters,
  label,
}: {
  metrics: readonly MetricRef[];
  filters: GlobalFilters;
  label: string;
}) {
  const results = useMetrics(metrics, filters);
  return (
    <div className="metric-grid" aria-label={label} role="group">
      {metrics.map((ref, index) => {
        const result = results[index];
        return (
          <MetricCard
            key={ref.slug}
            title={TITLES[ref.slug] ?? ref.slug}
            metric={result?.data}
            error={result?.error}
            isPending={result?.isPending ?? true}
            onRetry={() => void result?.refetch()}
          />
        );
      })}
    </div>
  );
}

/** "What changed": the biggest movements of all these metrics against the previous window. */
export function WhatChanged({ metrics, filters }: { metrics: readonly MetricRef[]; filters: GlobalFilters }) {
  const results = useMetrics(metrics, filters);
  const loaded = results.map((result) => result.data).filter((data): data is MetricOut => data !== undefined);
  const sentences = loaded.length === metrics.length ? whatChanged(loaded) : [];
  return (
    <div className="what-changed" aria-live="polite">
      {loaded.length < metrics.length ? <p className="muted">Comparing with the previous window…</p> : null}
      {loaded.length === metrics.length && sentences.length === 0 ? (
        <p className="muted">No big movement against the previous window.</p>
      ) : null}
      {sentences.map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
    </div>
  );
}
