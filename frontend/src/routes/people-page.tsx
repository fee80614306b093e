import { useCurrentUser } from "@/features/auth/api";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { LinearUsersPanel } from "@/features/people/components/linear-users-panel";
import { DeveloperFigures, ReviewerLoad } from "@/features/people/components/people-tables";
import { TeamsPanel } from "@/features/people/components/teams-panel";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

export function PeoplePage() {
  usePageTitle("People");
  const user = useCurrentUser();
  const [filters, setFilters] = useGlobalFilters();
  return (
    <>
      <h1>People</h1>
      <p className="muted page-intro">
        For coaching conversations, not rankings: people are listed by name, and the numbers describe how work flows
        around them.
      </p>
      <FilterBar showStatistic={false} />
      <div className="stack">
        <TeamsPanel isAdmin={user.role === "admin"} onShowTeam={(team) => setFilters({ team })} />
        <ReviewerLoad filters={filters} />
        <DeveloperFigures filters={filters} />
        <LinearUsersPanel isAdmin={user.role === "admin"} />
      </div>
    </>
  );
}
