import { useId } from "react";
import { STATISTICS, type StatisticKey } from "@/lib/filters";
import { useGlobalFilters } from "@/lib/use-filters";
import { useRepositoryOptions, useTeamOptions } from "../api";
import { CyclePicker } from "./cycle-picker";
import { RepositoryPicker } from "./repository-picker";
import { WindowPicker } from "./window-picker";

/** Window (a custom range, or a Linear cycle's days), repositories, team and statistic: written to the URL, so they follow every page. */
export function FilterBar({ showStatistic = true }: { showStatistic?: boolean }) {
  const [filters, setFilters] = useGlobalFilters();
  const repositories = useRepositoryOptions();
  const teams = useTeamOptions();
  const teamId = useId();
  const statisticId = useId();
  return (
    <form className="filter-bar" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <WindowPicker filters={filters} onChange={setFilters} />
      <CyclePicker filters={filters} onChange={setFilters} />
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
