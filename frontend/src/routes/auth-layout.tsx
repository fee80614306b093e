import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/theme-toggle";

/** The centred card of the setup and sign-in pages. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-corner">
        <ThemeToggle />
      </div>
      <div className="auth-card">
        <p className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>
          Veelocity
        </p>
        <h1>{title}</h1>
        {intro ? <p className="muted">{intro}</p> : null}
        {children}
      </div>
    </main>
  );
}
