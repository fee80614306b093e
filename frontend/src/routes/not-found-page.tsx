import { Link } from "react-router-dom";
import { usePageTitle } from "./use-page-title";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p className="muted">There is no page at this address.</p>
      <Link to="/" className="button button-secondary">
        Back to the dashboard
      </Link>
    </section>
  );
}
