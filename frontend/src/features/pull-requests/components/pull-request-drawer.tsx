import { useEffect, useRef } from "react";
import { ExternalLink, X } from "lucide-react";
import { Link, useLocation } from "react-router-dom";
import { ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import { filterSearch } from "@/lib/filters";
import { formatDateTime, formatDuration } from "@/lib/format";
import { usePullRequest } from "../api";
import { linkEvidenceLabel, linkedIssueState } from "../linked-issues";
import { buildTimeline } from "../timeline";
import { PhaseBar } from "./phase-bar";
import { PrAiFacts } from "./pr-ai-facts";

/** A modal side panel with one PR's facts and timeline; Escape or the close button closes it. */
export function PullRequestDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const detail = usePullRequest(id);
  const search = filterSearch(useLocation().search);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (typeof element.showModal === "function" && !element.open) element.showModal();
    else element.setAttribute("open", "");
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    element.addEventListener("cancel", onCancel);
    return () => {
      element.removeEventListener("cancel", onCancel);
      if (typeof element.close === "function" && element.open) element.close();
    };
  }, [onClose]);

  const pr = detail.data;
  return (
    <dialog ref={dialog} className="drawer" aria-labelledby="pr-drawer-title">
      <header className="drawer-header">
        <h2 id="pr-drawer-title">{pr ? `#${pr.number ?? pr.id} ${pr.title}` : "Pull request"}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close" autoFocus>
          <X size={18} aria-hidden="true" />
        </button>
      </header>
      {detail.isPending ? <LoadingBlock label="Loading the pull request…" lines={6} /> : null}
      {detail.isError ? <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} /> : null}
      {pr ? (
        <div className="drawer-body">
          <p className="muted">
            {pr.repository} · by {pr.author ?? "unknown"} · <span className={`badge pr-${pr.state}`}>{pr.state}</span>
            {pr.is_stale ? <span className="badge badge-warning"> Stale</span> : null}
          </p>
          {pr.url ? (
            <p>
              <a href={pr.url} target="_blank" rel="noreferrer" className="external-link">
                Open on GitHub <ExternalLink size={14} aria-hidden="true" />
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </p>
          ) : null}
          <dl className="facts">
            <div>
              <dt>Cycle time</dt>
              <dd>{pr.cycle_seconds !== null ? formatDuration(pr.cycle_seconds) : "—"}</dd>
            </div>
            <div>
              <dt>Lead time to production</dt>
              <dd>{pr.lead_time_seconds !== null ? formatDuration(pr.lead_time_seconds) : "—"}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{pr.size !== null ? `${pr.size} lines (+${pr.additions ?? 0} −${pr.deletions ?? 0})` : "—"}</dd>
            </div>
            <div>
              <dt>Phases</dt>
              <dd>
                <PhaseBar phases={pr.phases} />
              </dd>
            </div>
          </dl>
          <h3>Deployment</h3>
          {pr.deployment ? (
            <p data-testid="pr-deployment">
              {pr.deployment.url ? (
                <a href={pr.deployment.url} target="_blank" rel="noreferrer">
                  {pr.deployment.environment} · {formatDateTime(pr.deployment.finished_at)}
                </a>
              ) : (
                `${pr.deployment.environment} · ${formatDateTime(pr.deployment.finished_at)}`
              )}{" "}
              <span className="muted small">
                {pr.deployment.source} {pr.deployment.external_id}
              </span>{" "}
              {pr.deployment.is_failed ? (
                <span className="badge badge-bad">Failed</span>
              ) : (
                <span className="badge badge-ok">Succeeded</span>
              )}
            </p>
          ) : (
            <p className="muted">Not deployed yet.</p>
          )}
          <PrAiFacts ai={pr.ai} />
          {pr.linked_issues.length > 0 ? (
            <>
              <h3>Linked issues</h3>
              <ul className="plain-list" data-testid="pr-linked-issues">
                {pr.linked_issues.map((issue) => (
                  <li key={`${issue.id}-${issue.evidence}`}>
                    <Link to={{ pathname: "/planning", search: `${search ? `${search}&` : "?"}issue=${issue.id}` }}>
                      {issue.identifier}
                    </Link>{" "}
                    {issue.title} <span className="muted small">· {linkedIssueState(issue.state)}</span>
                    <span className="muted small"> · linked by {linkEvidenceLabel(issue.evidence)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>Timeline</h3>
          <ol className="timeline" data-testid="pr-timeline">
            {buildTimeline(pr).map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                <span>
                  {entry.title}
                  {entry.actor ? <span className="muted"> · {entry.actor}</span> : null}
                </span>
              </li>
            ))}
          </ol>
          {pr.incidents.length > 0 ? (
            <>
              <h3>Incidents attributed to its deployment</h3>
              <ul>
                {pr.incidents.map((incident) => (
                  <li key={incident.id}>
                    {incident.title} ({formatDateTime(incident.started_at)}){" "}
                    {incident.attribution_reason ? (
                      <span className="muted">— {incident.attribution_reason}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
