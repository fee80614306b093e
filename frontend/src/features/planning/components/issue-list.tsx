import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useIssues } from "../api";
import type { Query } from "../planning-state";
import { IssueTable } from "./issue-table";

/** The issues an API query names, a page at a time (keyset paging: "Show more"). */
export function IssueList({ title, query, onOpen }: { title: string; query: Query; onOpen: (id: number) => void }) {
  const issues = useIssues(query);
  if (issues.isPending) return <LoadingBlock label="Loading issues…" />;
  if (issues.isError) return <ErrorAlert error={issues.error} onRetry={() => void issues.refetch()} />;
  const items = issues.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="empty">No issues here.</p>;
  return (
    <>
      <IssueTable title={title} issues={items} onOpen={onOpen} showTimes />
      {issues.hasNextPage ? (
        <Button size="sm" busy={issues.isFetchingNextPage} onClick={() => void issues.fetchNextPage()}>
          Show more issues
        </Button>
      ) : null}
    </>
  );
}
