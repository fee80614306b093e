import { useId } from "react";
import type { Schemas } from "@/api/models";

/** The Linear team and project the Planning page looks at (page parameters, beside the filter bar). */
export function ScopePicker({
  teams,
  projects,
  team,
  project,
  onChange,
}: {
  teams: readonly Schemas["LinearTeamOut"][];
  projects: readonly Schemas["LinearProjectOut"][];
  team: number | null;
  project: number | null;
  onChange: (change: { linearTeam?: number | null; project?: number | null }) => void;
}) {
  const teamId = useId();
  const projectId = useId();
  return (
    <form className="filter-bar" aria-label="Linear scope" onSubmit={(event) => event.preventDefault()}>
      <div className="filter">
        <label htmlFor={teamId}>Linear team</label>
        <select
          id={teamId}
          className="input select"
          value={team ?? ""}
          onChange={(event) => onChange({ linearTeam: event.target.value ? Number(event.target.value) : null })}
        >
          <option value="">All Linear teams</option>
          {teams.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name} ({item.key}){item.gone ? " · no longer in Linear" : ""}
            </option>
          ))}
        </select>
      </div>
      {projects.length > 0 ? (
        <div className="filter">
          <label htmlFor={projectId}>Project</label>
          <select
            id={projectId}
            className="input select"
            value={project ?? ""}
            onChange={(event) => onChange({ project: event.target.value ? Number(event.target.value) : null })}
          >
            <option value="">All projects</option>
            {projects.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </form>
  );
}
