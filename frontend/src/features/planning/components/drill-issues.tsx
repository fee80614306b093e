import { Button } from "@/components/ui/button";
import { drillQuery, type Drill, type Query } from "../planning-state";
import { IssueList } from "./issue-list";

/** The issues behind a chart point or a "now" figure, under the chart it belongs to. */
export function DrillIssues({
  title,
  drill,
  scope,
  onClose,
  onOpen,
}: {
  title: string;
  drill: Drill;
  scope: Query;
  onClose: () => void;
  onOpen: (id: number) => void;
}) {
  const query = drillQuery(drill, scope);
  if (query === null) return null;
  return (
    <section className="drilldown" aria-label={title}>
      <div className="section-header">
        <h3>{title}</h3>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <IssueList title={title} query={query} onOpen={onOpen} />
    </section>
  );
}
