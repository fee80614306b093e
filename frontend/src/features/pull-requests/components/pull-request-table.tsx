import { useId, useState } from "react";
import { ArrowDown, ArrowUp } from "lucide-react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatAgo, formatDuration } from "@/lib/format";
import { usePullRequests } from "../api";
import { listQuery, type SortKey, type TableState } from "../list-query";
import { PhaseBar, PhaseLegend } from "./phase-bar";

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: null, label: "Pull request" },
  { key: null, label: "State" },
  { key: "updated_at", label: "Updated" },
  { key: "cycle_time", label: "Cycle time" },
  { key: null, label: "Phases" },
  { key: "size", label: "Size" },
];

export interface PullRequestTableProps {
  state: TableState;
  filters: GlobalFilters;
  onChange: (change: Partial<TableState>) => void;
}

/** Sortable, searchable, keyset-paged table of PRs; a row opens the PR's drawer. */
export function PullRequestTable({ state, filters, onChange }: PullRequestTableProps) {
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const list = usePullRequests(listQuery(state, filters));
  const searchId = useId();
  const stateId = useId();
  const [search, setSearch] = useState(state.q);

  function sortBy(key: SortKey) {
    setCursors([]);
    onChange(state.sort === key ? { order: state.order === "asc" ? "desc" : "asc" } : { sort: key, order: "desc" });
  }

  const rows = list.data?.items ?? [];
  return (
    <div className="stack">
      <form
        className="filter-bar"
        aria-label="Pull request filters"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
          onChange({ q: search });
        }}
      >
        <div className="filter filter-grow">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            className="input"
            type="search"
            placeholder="Title, branch or #number"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor={stateId}>State</label>
          <select
            id={stateId}
            className="input select"
            value={state.state ?? ""}
            onChange={(event) => {
              setCursors([]);
              onChange({ state: (event.target.value || null) as TableState["state"] });
            }}
          >
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="merged">Merged</option>
            <option value="closed">Closed</option>
          </select>
        </div>
        <label className="filter-check">
          <input
            type="checkbox"
            checked={state.stale}
            onChange={(event) => {
              setCursors([]);
              onChange({ stale: event.target.checked });
            }}
          />
          Only stale
        </label>
        <Button type="submit">Search</Button>
      </form>
      {state.mergedFrom || state.mergedUntil ? (
        <p className="filter-note">
          Merged {state.mergedFrom ? `from ${state.mergedFrom}` : ""}{" "}
          {state.mergedUntil ? `to ${state.mergedUntil}` : ""}.{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => onChange({ mergedFrom: null, mergedUntil: null })}
          >
            Show all
          </button>
        </p>
      ) : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <PhaseLegend />
      <div className="table-scroll" aria-busy={list.isFetching || undefined}>
        <table className="table pr-table">
          <caption className="visually-hidden">Pull requests</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column.label}
                  scope="col"
                  aria-sort={
                    column.key && column.key === state.sort
                      ? state.order === "asc"
                        ? "ascending"
                        : "descending"
                      : undefined
                  }
                >
                  {column.key ? (
                    <button type="button" className="sort-button" onClick={() => sortBy(column.key as SortKey)}>
                      {column.label}
                      {column.key === state.sort ? (
                        state.order === "asc" ? (
                          <ArrowUp size={14} aria-hidden="true" />
                        ) : (
                          <ArrowDown size={14} aria-hidden="true" />
                        )
                      ) : null}
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.isPending
              ? Array.from({ length: 8 }, (_, index) => (
                  <tr key={index}>
                    {COLUMNS.map((column) => (
                      <td key={column.label}>
                        <Skeleton />
                      </td>
                    ))}
                  </tr>
                ))
              : rows.map((pr) => (
                  <tr key={pr.id} className={pr.is_stale ? "row-stale" : undefined}>
                    <th scope="row" className="pr-title-cell">
                      <button type="button" className="link-button pr-open" onClick={() => onChange({ pr: pr.id })}>
                        {pr.title}
                      </button>
                      <span className="muted small">
                        {pr.repository}#{pr.number ?? pr.id} · {pr.author ?? "unknown"}
                      </span>
                    </th>
                    <td>
                      <span className={`badge pr-${pr.state}`}>{pr.is_draft ? "draft" : pr.state}</span>
                      {pr.is_stale ? <span className="badge badge-warning">stale</span> : null}
                    </td>
                    <td className="cell-nowrap">{formatAgo(pr.updated_at)}</td>
                    <td className="cell-nowrap">
                      {pr.cycle_seconds !== null ? formatDuration(pr.cycle_seconds) : "—"}
                    </td>
                    <td>
                      <PhaseBar phases={pr.phases} />
                    </td>
                    <td className="cell-nowrap">{pr.size !== null ? `${pr.size} lines` : "—"}</td>
                  </tr>
                ))}
          </tbody>
        </table>
      </div>
      {!list.isPending && rows.length === 0 ? <p className="empty">No pull requests match these filters.</p> : null}
      <nav className="pagination" aria-label="Pull request pages">
        <Button
          size="sm"
          disabled={cursors.length === 0 && state.cursor === null}
          onClick={() => {
            const previous = cursors.slice(0, -1);
            onChange({ cursor: cursors[cursors.length - 1] ?? null });
            setCursors(previous);
          }}
        >
          Previous
        </Button>
        <Button
          size="sm"
          disabled={!list.data?.next_cursor}
          onClick={() => {
            setCursors([...cursors, state.cursor]);
            onChange({ cursor: list.data?.next_cursor ?? null });
          }}
        >
          Next
        </Button>
      </nav>
    </div>
  );
}
