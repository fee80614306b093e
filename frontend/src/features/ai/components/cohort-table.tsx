import { formatMetricValue } from "@/lib/format";
import type { Cohort } from "../api";
import {
  cohortDrill,
  cohortWords,
  formatDifference,
  formatInterval,
  intervalExcludesZero,
  measureSpec,
  type CohortContext,
} from "../cohorts";
import { DrillLink } from "./drill-link";
import { Withheld } from "./withheld";

/** One cohort comparison: both groups' sizes (each opening its PRs), and per measure both
 * values, the difference (AI group minus the other) and its 95 % bootstrap interval. */
export function CohortTable({ cohort, context = {} }: { cohort: Cohort; context?: CohortContext }) {
  const words = cohortWords(cohort.name);
  if (cohort.suppressed !== null) return <Withheld reason={cohort.suppressed} what="This comparison" />;
  return (
    <div className="stack" data-testid={`cohort-${cohort.name}`}>
      <p className="small">
        <DrillLink drill={cohortDrill(cohort.name, true, context)}>
          {words.ai}: {cohort.ai_prs} PRs
        </DrillLink>{" "}
        by {cohort.ai_people} people ·{" "}
        <DrillLink drill={cohortDrill(cohort.name, false, context)}>
          {words.other}: {cohort.other_prs} PRs
        </DrillLink>{" "}
        by {cohort.other_people} people
      </p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">{words.title}</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">{words.ai}</th>
              <th scope="col">{words.other}</th>
              <th scope="col">Difference</th>
              <th scope="col">95 % interval</th>
            </tr>
          </thead>
          <tbody>
            {cohort.measures.map((comparison) => {
              const spec = measureSpec(comparison.measure);
              const interval = formatInterval(comparison.interval_low, comparison.interval_high, spec.unit);
              const failedShare = comparison.measure === "failed_or_rework_share";
              const value = (count: number, figure: number | null, ai: boolean) => (
                <td>
                  {failedShare && figure !== null ? (
                    <DrillLink
                      drill={cohortDrill(cohort.name, ai, context, true)}
                      spoken={`(${ai ? words.ai : words.other}: its failed or rework PRs)`}
                    >
                      {formatMetricValue(figure, spec.unit)}
                    </DrillLink>
                  ) : (
                    formatMetricValue(figure, spec.unit)
                  )}
                  <span className="muted small"> · n = {count}</span>
                </td>
              );
              return (
                <tr key={comparison.measure}>
                  <th scope="row">{spec.label}</th>
                  {value(comparison.ai_count, comparison.ai_value, true)}
                  {value(comparison.other_count, comparison.other_value, false)}
                  {comparison.difference === null ? (
                    <td colSpan={2} className="muted">
                      Not enough PRs to compare{comparison.reason ? ` (${comparison.reason})` : ""}.
                    </td>
                  ) : (
                    <>
                      <td
                        className={
                          intervalExcludesZero(comparison.interval_low, comparison.interval_high)
                            ? "cell-strong"
                            : undefined
                        }
                      >
                        {formatDifference(comparison.difference, spec.unit)}
                      </td>
                      <td>{interval ?? "—"}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
