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

/** A number that opens the list of the PRs behind it; `spoken` is read only by screen readers
 * (after the visible text, so the link's name still starts with what is seen). */
export function DrillLink({ drill, children, spoken }: { drill: Drill; children: ReactNode; spoken?: string }) {
  const { search } = useLocation();
  return (
    <Link to={{ search: drillSearch(search, drill) }} className="drill-link">
      {children}
      {spoken ? <span className="visually-hidden"> {spoken}</span> : null}
    </Link>
  );
}
