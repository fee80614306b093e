import { formatDateTime, formatDuration } from "@/lib/format";
import { formatEstimate, stateLabel } from "../issue-words";

/** What every issue list shows of an issue; the explorer's rows add times and people. */
export interface IssueRow {
  id: number;
  identifier: string;
  title: string;
  estimate: number | null;
  state: { name: string | null; type: string | null } | null;
  assignee?: string | null;
  completed_at?: string | null;
  created_at?: string;
  lead_seconds?: number | null;
}

/** Issues as a table; the identifier opens the issue drawer. */
export function IssueTable({
  title,
  issues,
  onOpen,
  showTimes = false,
}: {
  title: string;
  issues: readonly IssueRow[];
  onOpen: (id: number) => void;
  showTimes?: boolean;
}) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Issue</th>
            <th scope="col">State</th>
            <th scope="col">Estimate</th>
            {showTimes ? (
              <>
                <th scope="col">Assignee</th>
                <th scope="col">Created</th>
                <th scope="col">Completed</th>
                <th scope="col">Lead time</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {issues.map((issue) => (
            <tr key={issue.id}>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onOpen(issue.id)}>
                  {issue.identifier}
                </button>{" "}
                {issue.title}
              </th>
              <td>{stateLabel(issue.state)}</td>
              <td className="cell-nowrap">{formatEstimate(issue.estimate)}</td>
              {showTimes ? (
                <>
                  <td>{issue.assignee ?? "—"}</td>
                  <td className="cell-nowrap">{issue.created_at ? formatDateTime(issue.created_at) : "—"}</td>
                  <td className="cell-nowrap">{issue.completed_at ? formatDateTime(issue.completed_at) : "—"}</td>
                  <td className="cell-nowrap">
                    {issue.lead_seconds !== null && issue.lead_seconds !== undefined
                      ? formatDuration(issue.lead_seconds)
                      : "—"}
                  </td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
