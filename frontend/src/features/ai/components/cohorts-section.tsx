import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { useAiCohorts } from "../api";
import { cohortWords } from "../cohorts";
import { CohortTable } from "./cohort-table";
import { Withheld } from "./withheld";

/** The merged PRs of the window compared: AI-assisted vs not, AI-reviewed vs not. */
export function CohortsSection({ filters }: { filters: GlobalFilters }) {
  const cohorts = useAiCohorts(filters);
  if (cohorts.isError && !cohorts.data) {
    return <ErrorAlert error={cohorts.error} onRetry={() => void cohorts.refetch()} />;
  }
  const data = cohorts.data;
  if (!data) {
    return (
      <Card title="Outcomes">
        <Skeleton height="240px" />
      </Card>
    );
  }
  if (data.suppressed !== null) {
    return (
      <Card title="Outcomes">
        <Withheld reason={data.suppressed} what="The cohort comparisons" />
      </Card>
    );
  }
  return (
    <>
      {data.cohorts.map((cohort) => (
        <Card
          key={cohort.name}
          title={cohortWords(cohort.name).title}
          description="Merged PRs of the window. Medians per group; the difference is the first group minus the second, with its 95 % bootstrap interval (in bold when it excludes zero). A group needs 20 PRs to be compared."
        >
          <CohortTable cohort={cohort} />
        </Card>
      ))}
    </>
  );
}
