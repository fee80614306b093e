import { useId } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useMapProject, useRepositoryChoices, useSentryProjects, type SentryProject } from "../api";
import { mappedByLabel } from "../thresholds";

const NONE = "none";

function ProjectRow({
  project,
  repositories,
  readOnly,
}: {
  project: SentryProject;
  repositories: readonly { id: number; full_name: string }[];
  readOnly: boolean;
}) {
  const map = useMapProject();
  const selectId = useId();
  const value = project.repository_id === null ? NONE : String(project.repository_id);
  return (
    <tr>
      <th scope="row">
        {project.slug}
        {project.platform ? <span className="muted small"> · {project.platform}</span> : null}
      </th>
      <td>
        {readOnly ? (
          (project.repository ?? <span className="muted">None</span>)
        ) : (
          <>
            <label htmlFor={selectId} className="visually-hidden">
              Repository of {project.slug}
            </label>
            <select
              id={selectId}
              className="select"
              value={value}
              disabled={map.isPending}
              onChange={(event) =>
                map.mutate({
                  projectId: project.id,
                  repositoryId: event.target.value === NONE ? null : Number(event.target.value),
                })
              }
            >
              <option value={NONE}>None</option>
              {repositories.map((repository) => (
                <option key={repository.id} value={repository.id}>
                  {repository.full_name}
                </option>
              ))}
            </select>
          </>
        )}
        {map.isError ? <ErrorAlert error={map.error} /> : null}
      </td>
      <td>
        {mappedByLabel(project.mapped_by)}
        {project.mapped_by === "chosen" && !readOnly ? (
          <>
            {" "}
            <Button
              size="sm"
              variant="ghost"
              busy={map.isPending}
              onClick={() => map.mutate({ projectId: project.id, repositoryId: "auto" })}
            >
              Find it automatically<span className="visually-hidden"> for {project.slug}</span>
            </Button>
          </>
        ) : null}
      </td>
      <td className="cell-nowrap">
        {project.incidents} of {project.issues}
      </td>
    </tr>
  );
}

/** Each Sentry project and the repository its errors follow: found by name or by its releases'
 * commits, or chosen here (syncs keep a choice). */
export function ProjectMapping({ readOnly }: { readOnly: boolean }) {
  const projects = useSentryProjects();
  const repositories = useRepositoryChoices();
  if (projects.isPending || repositories.isPending) return <LoadingBlock label="Loading Sentry projects…" lines={3} />;
  if (projects.isError) return <ErrorAlert error={projects.error} onRetry={() => void projects.refetch()} />;
  if (repositories.isError)
    return <ErrorAlert error={repositories.error} onRetry={() => void repositories.refetch()} />;
  if (projects.data.length === 0) {
    return <p className="empty">No Sentry project yet: save the Sentry source under Sources and sync it.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="sentry-projects">
        <caption className="visually-hidden">Sentry projects and their repositories</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Repository</th>
            <th scope="col">Found</th>
            <th scope="col">Incidents of issues</th>
          </tr>
        </thead>
        <tbody>
          {projects.data.map((project) => (
            <ProjectRow key={project.id} project={project} repositories={repositories.data} readOnly={readOnly} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
