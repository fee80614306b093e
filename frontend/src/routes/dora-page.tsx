import { useCallback } from "react";
import { useSearchParams } from "react-router-dom";
import { Button } from "@/components/ui/button";
import { LazyDetails } from "@/components/ui/lazy-details";
import { DeploymentDrawer } from "@/features/drilldown/components/deployment-drawer";
import { DeploymentList } from "@/features/drilldown/components/deployment-list";
import { DEPLOYMENT_PARAM, readDeploymentParam } from "@/features/drilldown/deployment-param";
import { IncidentList } from "@/features/drilldown/components/incident-list";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { DORA_METRICS, useDoraSummary, useMetrics } from "@/features/metrics/api";
import { LevelBadge } from "@/features/metrics/components/metric-card";
import { MetricChartCard } from "@/features/metrics/components/metric-chart-card";
import { RepositoryBreakdown } from "@/features/metrics/components/repository-breakdown";
import { formatDay } from "@/lib/format";
import { useGlobalFilters } from "@/lib/use-filters";
import type { GlobalFilters } from "@/lib/filters";
import { usePageTitle } from "./use-page-title";

function Drilldown({ slug, filters, period }: { slug: string; filters: GlobalFilters; period: string }) {
  switch (slug) {
    case "recovery-time":
      return (
        <>
          <h4>Failed deployments</h4>
          <DeploymentList key={period} filters={filters} periodStart={period} failed />
          <h4>Incidents</h4>
          <IncidentList key={`i-${period}`} filters={filters} periodStart={period} />
        </>
      );
    case "rework-rate":
      return <DeploymentList key={period} filters={filters} periodStart={period} rework />;
    default:
      return <DeploymentList key={period} filters={filters} periodStart={period} />;
  }
}

export function DoraPage() {
  usePageTitle("DORA");
  const [filters] = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const metrics = useMetrics(DORA_METRICS, filters);
  const summary = useDoraSummary(filters);
  const selectedKey = params.get("key");
  const selectedPeriod = params.get("point");
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

  function select(slug: string | null, period: string | null) {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (slug && period) {
        next.set("key", slug);
        next.set("point", period);
      } else {
        next.delete("key");
        next.delete("point");
      }
      return next;
    });
  }

  return (
    <>
      <h1>DORA</h1>
      <FilterBar />
      <p className="muted page-intro">
        The five DORA keys over time{summary.data?.overall_level ? <> — overall </> : null}
        <LevelBadge level={summary.data?.overall_level} />. Click a point (or use a row of its table) to list the
        deployments and incidents behind it, and a deployment for its failure causes and Sentry errors.
      </p>
      <div className="chart-stack">
        {DORA_METRICS.map((ref, index) => {
          const result = metrics[index];
          const isSelected = selectedKey === ref.slug && selectedPeriod !== null;
          return (
            <MetricChartCard
              key={ref.slug}
              title={ref.slug}
              metric={result?.data}
              error={result?.error}
              onRetry={() => void result?.refetch()}
              onSelectPeriod={(period) => select(ref.slug, period)}
              selectedPeriod={isSelected ? selectedPeriod : null}
            >
              {isSelected && selectedPeriod ? (
                <section className="drilldown" aria-label={`Behind ${formatDay(selectedPeriod)}`}>
                  <div className="section-header">
                    <h3>Behind the period of {formatDay(selectedPeriod)}</h3>
                    <Button size="sm" variant="ghost" onClick={() => select(null, null)}>
                      Close
                    </Button>
                  </div>
                  <Drilldown slug={ref.slug} filters={filters} period={selectedPeriod} />
                </section>
              ) : null}
              <LazyDetails className="breakdown" summary="By repository">
                <RepositoryBreakdown metric={ref} filters={filters} />
              </LazyDetails>
            </MetricChartCard>
          );
        })}
      </div>
      {openDeployment !== null ? <DeploymentDrawer id={openDeployment} onClose={closeDeployment} /> : null}
    </>
  );
}
