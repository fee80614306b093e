import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatMetricValue } from "@/lib/format";
import { useMetricByRepository, type MetricRef } from "../api";
import { LevelBadge } from "./metric-card";

export interface RepositoryBreakdownProps {
  metric: MetricRef;
  filters: GlobalFilters;
}

/** The metric for each repository of the current selection with data for it, by name. */
export function RepositoryBreakdown({ metric, filters }: RepositoryBreakdownProps) {
  const breakdown = useMetricByRepository(metric, filters);
  if (breakdown.isPending) return <LoadingBlock label="Loading the repositories…" lines={3} />;
  if (breakdown.isError) {
    return (
      <ErrorAlert
        error={breakdown.error}
        title="Cannot load the repositories"
        onRetry={() => void breakdown.refetch()}
      />
    );
  }
  const { repositories, active_repositories: active } = breakdown.data;
  if (repositories.length === 0) return <p className="empty">No repository has data for this in the window.</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">By repository</caption>
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Value</th>
            <th scope="col">Level</th>
            <th scope="col">Sample</th>
          </tr>
        </thead>
        <tbody>
          {repositories.map(({ repository_id: id, repository, metric: value }) => (
            <tr key={id}>
              <th scope="row">{repository}</th>
              <td>{formatMetricValue(value.value, value.unit)}</td>
              <td>
                <LevelBadge level={value.level} />
              </td>
              <td>{value.sample_size}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {active > repositories.length ? (
        <p className="muted small">
          The {repositories.length} most active of {active} repositories; pick fewer in the filter to see others.
        </p>
      ) : null}
    </div>
  );
}
