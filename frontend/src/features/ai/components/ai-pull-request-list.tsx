import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { assistedBadge, assistedLabel, evidenceLabel } from "@/lib/ai-evidence";
import type { GlobalFilters } from "@/lib/filters";
import { formatDateTime } from "@/lib/format";
import { useAiPullRequests } from "../api";
import { describeDrill, type Drill } from "../drill";
import { Withheld } from "./withheld";

export interface AiPullRequestListProps {
  filters: GlobalFilters;
  drill: Drill;
  onOpen: (id: number) => void;
  onClose: () => void;
}

/** The merged PRs behind a figure, newest merge first, each with its AI evidence; a row opens the PR drawer. */
export function AiPullRequestList({ filters, drill, onOpen, onClose }: AiPullRequestListProps) {
  const list = useAiPullRequests(filters, drill);
  const pages = list.data?.pages ?? [];
  const suppressed = pages[0]?.suppressed ?? null;
  const rows = pages.flatMap((page) => page.items);
  return (
    <Card
      title={describeDrill(drill)}
      description="The same scope and window as the figures, newest merge first."
      actions={
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close the list
        </Button>
      }
    >
      <div data-testid="ai-pull-requests">
        {list.isPending ? <LoadingBlock label="Loading the pull requests…" lines={5} /> : null}
        {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        {suppressed !== null ? <Withheld reason={suppressed} what="This list" /> : null}
        {list.isSuccess && suppressed === null && rows.length === 0 ? (
          <p className="empty">No merged pull request matches.</p>
        ) : null}
        {rows.length > 0 ? (
          <div className="table-scroll">
            <table className="table pr-table">
              <caption className="visually-hidden">{describeDrill(drill)}</caption>
              <thead>
                <tr>
                  <th scope="col">Pull request</th>
                  <th scope="col">Merged</th>
                  <th scope="col">AI evidence</th>
                  <th scope="col">Review bot</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((pr) => (
                  <tr key={pr.id}>
                    <th scope="row" className="pr-title-cell">
                      <button type="button" className="link-button pr-open" onClick={() => onOpen(pr.id)}>
                        {pr.title}
                      </button>
                      <span className="muted small">
                        {pr.repository}#{pr.number ?? pr.id} · {pr.author ?? "unknown"}
                      </span>
                    </th>
                    <td className="cell-nowrap">{formatDateTime(pr.merged_at)}</td>
                    <td>
                      {pr.ai ? (
                        <>
                          <span className={assistedBadge(pr.ai.assisted)}>{assistedLabel(pr.ai.assisted)}</span>
                          {pr.ai.evidence.length > 0 ? (
                            <span className="muted small">
                              {" "}
                              {pr.ai.evidence.map((item) => evidenceLabel(item.kind)).join(", ")}
                            </span>
                          ) : null}
                        </>
                      ) : (
                        <span className="muted">Not judged yet</span>
                      )}
                    </td>
                    <td>
                      {pr.ai?.review_bot ? (
                        <>
                          {pr.ai.review_bot}
                          <span className="muted small">
                            {pr.ai.reviewed_before_merge === false ? " · after the merge" : " · before the merge"}
                          </span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {list.hasNextPage ? (
          <Button size="sm" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            More
          </Button>
        ) : null}
      </div>
    </Card>
  );
}
