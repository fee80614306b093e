import { Suspense } from "react";
import { Settings } from "lucide-react";
import { Link, NavLink, Outlet, useLocation } from "react-router-dom";
import { ThemeToggle } from "@/components/theme-toggle";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useCurrentUser } from "@/features/auth/api";
import { SignOutButton } from "@/features/auth/components/sign-out-button";
import { DemoBadge } from "@/features/sync/components/demo-badge";
import { filterSearch } from "@/lib/filters";

function navClass({ isActive }: { isActive: boolean }) {
  return isActive ? "nav-link nav-link-active" : "nav-link";
}

const PAGES = [
  { to: "/", label: "Dashboard", end: true },
  { to: "/dora", label: "DORA", end: false },
  { to: "/flow", label: "Flow", end: false },
  { to: "/pull-requests", label: "Pull requests", end: false },
  { to: "/planning", label: "Planning", end: false },
  { to: "/errors", label: "Production errors", end: false },
  { to: "/ai", label: "AI impact", end: false },
  { to: "/people", label: "People", end: false },
  { to: "/sync", label: "Sync", end: false },
  { to: "/status", label: "Status", end: false },
] as const;

/** Header, navigation and the current page for signed-in users. Links keep the global filters. */
export function AppShell() {
  const user = useCurrentUser();
  const search = filterSearch(useLocation().search);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header-inner">
          <Link to={{ pathname: "/", search }} className="brand">
            <span className="brand-mark" aria-hidden="true">
              V
            </span>
            Veelocity
          </Link>
          <DemoBadge />
          <nav className="nav" aria-label="Main">
            {PAGES.map((page) => (
              <NavLink key={page.to} to={{ pathname: page.to, search }} end={page.end} className={navClass}>
                {page.label}
              </NavLink>
            ))}
          </nav>
          <div className="header-tools">
            <NavLink
              to="/settings"
              className={({ isActive }) => (isActive ? "icon-button icon-button-active" : "icon-button")}
              aria-label="Settings"
              title="Settings"
            >
              <Settings size={18} aria-hidden="true" />
            </NavLink>
            <ThemeToggle />
            <span className="user-email" title={`Signed in as ${user.email} (${user.role})`}>
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        <Suspense fallback={<LoadingBlock label="Loading the page…" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
