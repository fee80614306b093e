import type { Schemas } from "@/api/models";
import { assistedBadge, assistedLabel, evidenceLabel, reviewSummary } from "@/lib/ai-evidence";
import { formatDateTime } from "@/lib/format";

/** What AI did for one PR: assisted high/low/none with each piece of evidence, and the review bot. */
export function PrAiFacts({ ai }: { ai: Schemas["PullRequestAiOut"] | null }) {
  return (
    <section aria-labelledby="pr-ai-title" data-testid="pr-ai">
      <h3 id="pr-ai-title">AI</h3>
      {!ai ? (
        <p className="muted">Not judged yet: AI evidence is found when Veelocity next derives its facts.</p>
      ) : (
        <>
          <p>
            <span className={assistedBadge(ai.assisted)}>{assistedLabel(ai.assisted)}</span>
          </p>
          {ai.evidence.length > 0 ? (
            <ul className="plain-list" data-testid="pr-ai-evidence">
              {ai.evidence.map((item, index) => (
                <li key={`${item.kind}-${index}`}>
                  <strong>{evidenceLabel(item.kind)}</strong>: {item.detail}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">No AI lines, trailer, agent author, label or same-day Cursor use was found.</p>
          )}
          <p data-testid="pr-ai-review">
            {reviewSummary(ai)}
            {ai.reviewed_at ? <span className="muted small"> ({formatDateTime(ai.reviewed_at)})</span> : null}
          </p>
        </>
      )}
    </section>
  );
}
