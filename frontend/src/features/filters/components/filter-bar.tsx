import { useId } from "react";
import { STATISTICS, WINDOWS, type StatisticKey, type WindowKey } from "@/lib/filters";
import { useGlobalFilters } from "@/lib/use-filters";
import { useRepositoryOptions, useTeamOptions } from "../api";
import { RepositoryPicker } from "./repository-picker";

/** Window, repositories, team and statistic: written to the URL, so they follow every page. */
export function FilterBar({
  showStatistic = true,
  showWindow = true,
}: {
  showStatistic?: boolean;
  /** False where the page lists things regardless of the window (the PR table). */
  showWindow?: boolean;
}) {
  const [filters, setFilters] = useGlobalFilters();
  const repositories = useRepositoryOptions();
  const teams = useTeamOptions();
  const windowId = useId();
  const teamId = useId();
  const statisticId = useId();
  return (
    <form className="filter-bar" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      {showWindow ? (
        <div className="filter">
          <label htmlFor={windowId}>Window</label>
          <select
            id={windowId}
            className="input select"
            value={filters.window}
            onChange={(event) => setFilters({ window: event.target.value as WindowKey })}
          >
            {Object.entries(WINDOWS).map(([key, window]) => (
              <option key={key} value={key}>
                {window.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <RepositoryPicker
        options={repositories.data ?? []}
        loading={repositories.isPending}
        selected={filters.repositories}
        onChange={(ids) => setFilters({ repositories: ids })}
      />
      <div className="filter">
        <label htmlFor={teamId}>Team</label>
        <select
          id={teamId}
          className="input select"
          value={filters.team ?? ""}
          onChange={(event) => setFilters({ team: event.target.value ? Number(event.target.value) : null })}
        >
          <option value="">Everyone</option>
          {(teams.data?.items ?? []).map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
          {filters.team !== null && teams.data && !teams.data.items.some((team) => team.id === filters.team) ? (
            <option value={filters.team}>Unknown team</option>
          ) : null}
        </select>
      </div>
      {showStatistic ? (
        <div className="filter">
          <label htmlFor={statisticId}>Durations as</label>
          <select
            id={statisticId}
            className="input select"
            value={filters.statistic}
            onChange={(event) => setFilters({ statistic: event.target.value as StatisticKey })}
          >
            {Object.entries(STATISTICS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </form>
  );
}
