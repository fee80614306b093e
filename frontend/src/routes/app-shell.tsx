import { Suspense } from "react";
import { Settings } from "lucide-react";
import { Link, NavLink, Outlet } from "react-router-dom";
import { ThemeToggle } from "@/components/theme-toggle";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useCurrentUser } from "@/features/auth/api";
import { SignOutButton } from "@/features/auth/components/sign-out-button";

function navClass({ isActive }: { isActive: boolean }) {
  return isActive ? "nav-link nav-link-active" : "nav-link";
}

/** Header, navigation and the current page for signed-in users. */
export function AppShell() {
  const user = useCurrentUser();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              V
            </span>
            Veelocity
          </Link>
          <nav className="nav" aria-label="Main">
            <NavLink to="/" end className={navClass}>
              Dashboard
            </NavLink>
            <NavLink to="/status" className={navClass}>
              Status
            </NavLink>
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
