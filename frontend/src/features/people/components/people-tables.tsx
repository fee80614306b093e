import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDuration } from "@/lib/format";
import { useDevelopers, useReviewers } from "../api";

function byName<T extends { login: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.login.localeCompare(b.login));
}

/** Review load per person, by name: who may need help, not who is best. */
export function ReviewerLoad({ filters }: { filters: GlobalFilters }) {
  const reviewers = useReviewers(filters);
  return (
    <Card
      title="Reviewer load"
      description="Reviews given in the window and PRs waiting for each person now. A high waiting count is a cue to share the load."
    >
      {reviewers.isPending ? <LoadingBlock label="Loading reviewers…" /> : null}
      {reviewers.isError ? <ErrorAlert error={reviewers.error} onRetry={() => void reviewers.refetch()} /> : null}
      {reviewers.data?.reviewers.length === 0 ? <p className="empty">No reviews in this window.</p> : null}
      {reviewers.data && reviewers.data.reviewers.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Reviewer load</caption>
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">Reviews given</th>
                <th scope="col">Waiting now</th>
                <th scope="col">Typical response</th>
              </tr>
            </thead>
            <tbody>
              {byName(reviewers.data.reviewers).map((reviewer) => (
                <tr key={reviewer.login} className={reviewer.awaiting_now >= 5 ? "row-attention" : undefined}>
                  <th scope="row">{reviewer.login}</th>
                  <td>{reviewer.reviews_given}</td>
                  <td>{reviewer.awaiting_now}</td>
                  <td>
                    {reviewer.median_response_seconds !== null ? formatDuration(reviewer.median_response_seconds) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}

export function DeveloperFigures({ filters }: { filters: GlobalFilters }) {
  const developers = useDevelopers(filters);
  return (
    <Card
      title="Developers"
      description="Each person's flow in the window, by name. Use it to spot blockers and large PRs worth splitting."
    >
      {developers.isPending ? <LoadingBlock label="Loading developers…" /> : null}
      {developers.isError ? <ErrorAlert error={developers.error} onRetry={() => void developers.refetch()} /> : null}
      {developers.data?.developers.length === 0 ? <p className="empty">No merged PRs in this window.</p> : null}
      {developers.data && developers.data.developers.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Developers</caption>
            <thead>
              <tr>
                <th scope="col">Developer</th>
                <th scope="col">PRs merged</th>
                <th scope="col">Typical cycle time</th>
                <th scope="col">Typical PR size</th>
                <th scope="col">Reviews given</th>
              </tr>
            </thead>
            <tbody>
              {byName(developers.data.developers).map((developer) => (
                <tr key={developer.login}>
                  <th scope="row">
                    {developer.name ?? developer.login}
                    {developer.name ? <span className="muted small"> ({developer.login})</span> : null}
                  </th>
                  <td>{developer.prs_merged}</td>
                  <td>
                    {developer.median_cycle_seconds !== null ? formatDuration(developer.median_cycle_seconds) : "—"}
                  </td>
                  <td>{developer.median_size !== null ? `${Math.round(developer.median_size)} lines` : "—"}</td>
                  <td>{developer.reviews_given}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
