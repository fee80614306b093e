import { BarChart3 } from "lucide-react";
import { Link } from "react-router-dom";
import { usePageTitle } from "./use-page-title";

export function DashboardPage() {
  usePageTitle("Dashboard");
  return (
    <>
      <h1>Dashboard</h1>
      <section className="empty-state" aria-labelledby="dashboard-empty">
        <BarChart3 size={40} aria-hidden="true" className="empty-state-icon" />
        <h2 id="dashboard-empty">No data yet</h2>
        <p className="muted">
          Delivery metrics appear here once Veelocity has read data from your tools. Add a GitHub token and the
          repositories to follow in the settings to get started.
        </p>
        <Link to="/settings" className="button button-primary">
          Connect your sources
        </Link>
      </section>
    </>
  );
}
