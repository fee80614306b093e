import type { GlobalFilters } from "@/lib/filters";
import { formatMetricValue } from "@/lib/format";
import { useMetricByRepository, type MetricRef } from "../api";
import { LevelBadge } from "./metric-card";

export interface RepositoryBreakdownProps {
  metric: MetricRef;
  filters: GlobalFilters;
  repositories: readonly { id: number; full_name: string }[];
}

/** The metric for each repository of the current selection, best first. */
export function RepositoryBreakdown({ metric, filters, repositories }: RepositoryBreakdownProps) {
  const chosen =
    filters.repositories.length > 0
      ? repositories.filter((repository) => filters.repositories.includes(repository.id))
      : repositories;
  const results = useMetricByRepository(
    metric,
    filters,
    chosen.map((repository) => repository.id),
  );
  const rows = chosen.slice(0, results.length).map((repository, index) => ({ repository, result: results[index] }));
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
          {rows.map(({ repository, result }) => (
            <tr key={repository.id}>
              <th scope="row">{repository.full_name}</th>
              <td>
                {result?.data
                  ? formatMetricValue(result.data.value, result.data.unit)
                  : result?.isError
                    ? "Error"
                    : "…"}
              </td>
              <td>
                <LevelBadge level={result?.data?.level} />
              </td>
              <td>{result?.data?.sample_size ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {chosen.length > rows.length ? (
        <p className="muted small">Showing the first {rows.length} repositories; pick fewer in the filter.</p>
      ) : null}
    </div>
  );
}
