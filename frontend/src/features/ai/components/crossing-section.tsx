import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { GlobalFilters } from "@/lib/filters";
import { formatDay } from "@/lib/format";
import { useAdoptionCrossing } from "../api";
import { CohortTable } from "./cohort-table";
import { Withheld } from "./withheld";

/** For each team: the week at least half of its people were active in Cursor, and its PRs after vs before. */
export function CrossingSection({ filters }: { filters: GlobalFilters }) {
  const crossing = useAdoptionCrossing(filters);
  return (
    <Card
      title="Before and after adoption"
      description="The week at least half of a team's people were active in Cursor, and the team's merged PRs of the window after that week against before it."
    >
      {crossing.isError && !crossing.data ? (
        <ErrorAlert error={crossing.error} onRetry={() => void crossing.refetch()} />
      ) : null}
      {!crossing.data && !crossing.isError ? <Skeleton height="160px" /> : null}
      {crossing.data?.teams.length === 0 ? (
        <p className="empty">No team in this scope. Teams are set up in People.</p>
      ) : null}
      <div className="stack" data-testid="ai-crossing">
        {crossing.data?.teams.map((team) => (
          <section key={team.team_id} aria-labelledby={`crossing-${team.team_id}`}>
            <h3 id={`crossing-${team.team_id}`}>
              {team.team} <span className="muted small">· {team.people} people</span>
            </h3>
            {team.suppressed !== null ? (
              <Withheld reason={team.suppressed} what="This team's adoption" />
            ) : team.crossed_on === null ? (
              <p className="muted">Adoption has not reached half of the team's people.</p>
            ) : (
              <>
                <p className="small">Crossed half adoption in the week of {formatDay(team.crossed_on)}.</p>
                {team.comparison ? (
                  <CohortTable cohort={team.comparison} context={{ team: team.team_id, crossedOn: team.crossed_on }} />
                ) : null}
              </>
            )}
          </section>
        ))}
      </div>
    </Card>
  );
}
