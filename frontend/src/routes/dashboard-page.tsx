import { BarChart3 } from "lucide-react";
import { Link, useLocation } from "react-router-dom";
import { useRepositoryOptions } from "@/features/filters/api";
import { FilterBar } from "@/features/filters/components/filter-bar";
import { DORA_METRICS, FLOW_HEADLINE_METRICS } from "@/features/metrics/api";
import { MetricGrid, WhatChanged } from "@/features/metrics/components/metric-grid";
import { filterSearch, windowLabel } from "@/lib/filters";
import { useGlobalFilters } from "@/lib/use-filters";
import { usePageTitle } from "./use-page-title";

const ALL_METRICS = [...DORA_METRICS, ...FLOW_HEADLINE_METRICS];

export function EmptyWorkspace() {
  return (
    <section className="empty-state" aria-labelledby="dashboard-empty">
      <BarChart3 size={40} aria-hidden="true" className="empty-state-icon" />
      <h2 id="dashboard-empty">No data yet</h2>
      <p className="muted">
        Delivery metrics appear here once Veelocity has read data from your tools. Add a GitHub token and the
        repositories to follow in the settings, or try Veelocity with a generated organisation: run{" "}
        <code>make demo</code>.
      </p>
      <Link to="/settings" className="button button-primary">
        Connect your sources
      </Link>
    </section>
  );
}

export function DashboardPage() {
  usePageTitle("Dashboard");
  const [filters] = useGlobalFilters();
  const repositories = useRepositoryOptions();
  const search = filterSearch(useLocation().search);
  // The cards load at once, in parallel with the repository list; the empty state replaces
  // them only once the list is known to be empty.
  if (repositories.data?.length === 0) {
    return (
      <>
        <h1>Dashboard</h1>
        <EmptyWorkspace />
      </>
    );
  }
  return (
    <>
      <h1>Dashboard</h1>
      <FilterBar />
      <section className="page-section" aria-labelledby="what-changed">
        <h2 id="what-changed" className="section-title">
          {filters.range === null
            ? `What changed in the ${windowLabel(filters).toLowerCase()}`
            : `What changed: ${windowLabel(filters)}`}
        </h2>
        <WhatChanged metrics={ALL_METRICS} filters={filters} />
      </section>
      <section className="page-section" aria-labelledby="dora-keys">
        <div className="section-header">
          <h2 id="dora-keys" className="section-title">
            DORA keys
          </h2>
          <Link to={{ pathname: "/dora", search }} className="section-link">
            Details
          </Link>
        </div>
        <MetricGrid metrics={DORA_METRICS} filters={filters} label="DORA keys" />
      </section>
      <section className="page-section" aria-labelledby="flow-keys">
        <div className="section-header">
          <h2 id="flow-keys" className="section-title">
            Flow
          </h2>
          <Link to={{ pathname: "/flow", search }} className="section-link">
            Details
          </Link>
        </div>
        <MetricGrid metrics={FLOW_HEADLINE_METRICS} filters={filters} label="Flow" />
      </section>
    </>
  );
}
