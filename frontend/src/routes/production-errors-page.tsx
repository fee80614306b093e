import { useCallback } from "react";
import { Link, useLocation, useSearchParams } from "react-router-dom";
import { Card } from "@/components/ui/card";
import { DeploymentDrawer } from "@/features/drilldown/components/deployment-drawer";
import { DeploymentImpactTable } from "@/features/drilldown/components/deployment-impact-table";
import { DEPLOYMENT_PARAM, readDeploymentParam, withDeployment } from "@/features/drilldown/deployment-param";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { ErrorSeries } from "@/features/sentry/components/error-series";
import { SentryIssueTable } from "@/features/sentry/components/issue-table";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

/** Production errors from Sentry: errors and new issues per project over time, the issues that
 * became incidents and the ones that did not (each with why), and each deployment's impact. */
export function ProductionErrorsPage() {
  usePageTitle("Production errors");
  const [filters] = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const { search } = useLocation();
  const openDeployment = readDeploymentParam(params);
  const closeDeployment = useCallback(
    () =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        next.delete(DEPLOYMENT_PARAM);
        return next;
      }),
    [setParams],
  );
  const deploymentLink = (id: number) => (
    <Link className="small" to={{ search: withDeployment(search, id) }}>
      Deployment {id}
    </Link>
  );
  return (
    <>
      <h1>Production errors</h1>
      <FilterBar showStatistic={false} />
      <p className="muted page-intro">
        Errors from Sentry, by the repository each project follows (Settings → Sentry). An issue becomes an incident —
        and fails the deployment it is attributed to — when it crosses the thresholds in the 24 hours after its first
        event or a regression.
        {filters.team !== null ? " The issue lists follow the repository filter, not the team." : null}
      </p>
      <ErrorSeries filters={filters} />
      <Card title="Issues that became incidents">
        <SentryIssueTable filters={filters} incident deploymentLink={deploymentLink} />
      </Card>
      <Card
        title="Issues that did not cross the thresholds"
        description="Seen in the window, but too few events or users in a day, another level or another environment."
      >
        <SentryIssueTable filters={filters} incident={false} deploymentLink={deploymentLink} />
      </Card>
      <Card
        title="Errors around each deployment"
        description="Error events and new issues of the repository's Sentry projects in the 24 h before each production deployment finished, against the 24 h after."
      >
        <DeploymentImpactTable filters={filters} />
      </Card>
      {openDeployment !== null ? <DeploymentDrawer id={openDeployment} onClose={closeDeployment} /> : null}
    </>
  );
}
