import type { ReactNode } from "react";
import { Link, useLocation } from "react-router-dom";
import { DRILL_PARAM, writeDrill, type Drill } from "../drill";

/** The current page's URL with a drill's list open (and no PR drawer). */
export function drillSearch(search: string, drill: Drill): string {
  const params = new URLSearchParams(search);
  params.set(DRILL_PARAM, writeDrill(drill));
  params.delete("pr");
  return `?${params.toString()}`;
}

/** A number that opens the list of the PRs behind it. */
export function DrillLink({ drill, children, label }: { drill: Drill; children: ReactNode; label?: string }) {
  const { search } = useLocation();
  return (
    <Link to={{ search: drillSearch(search, drill) }} aria-label={label} className="drill-link">
      {children}
    </Link>
  );
}
