import { useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { usePreviewThresholds, type IssueLevel, type PreviewEntry } from "../api";
import { DEFAULT_THRESHOLDS, LEVELS, parseThresholds, thresholdSettings } from "../thresholds";

function Entries({ title, entries, total }: { title: string; entries: readonly PreviewEntry[]; total: number }) {
  if (total === 0) return null;
  return (
    <>
      <h4>
        {title} ({total})
      </h4>
      <ul className="plain-list">
        {entries.map(({ issue, reason }) => (
          <li key={issue.id}>
            {issue.short_id} {issue.title} <span className="muted small">· {issue.project}</span>
            <p className="small">{reason}</p>
          </li>
        ))}
      </ul>
      {total > entries.length ? <p className="muted small">and {total - entries.length} more</p> : null}
    </>
  );
}

/** Try other incident thresholds on the stored Sentry issues before changing them: which would
 * become incidents and which would stop being one. Nothing is saved. */
export function ThresholdPreview() {
  const preview = usePreviewThresholds();
  const [minEvents, setMinEvents] = useState(String(DEFAULT_THRESHOLDS.min_events));
  const [minUsers, setMinUsers] = useState(String(DEFAULT_THRESHOLDS.min_users));
  const [levels, setLevels] = useState<readonly IssueLevel[]>(DEFAULT_THRESHOLDS.levels);
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseThresholds({ minEvents, minUsers, levels });
    setProblem(parsed.problem);
    if (parsed.thresholds) preview.mutate(parsed.thresholds);
  }

  const result = preview.data;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Preview incident thresholds">
      <div className="form-row">
        <Field
          label="Events in 24 h"
          inputMode="numeric"
          value={minEvents}
          onChange={(event) => setMinEvents(event.target.value)}
        />
        <Field
          label="Users in 24 h"
          inputMode="numeric"
          value={minUsers}
          onChange={(event) => setMinUsers(event.target.value)}
        />
      </div>
      <fieldset className="checkbox-group">
        <legend className="field-label">Levels that can become incidents</legend>
        {LEVELS.map((level) => (
          <label key={level} className="filter-check">
            <input
              type="checkbox"
              checked={levels.includes(level)}
              onChange={(event) =>
                setLevels(event.target.checked ? [...levels, level] : levels.filter((item) => item !== level))
              }
            />{" "}
            {level}
          </label>
        ))}
      </fieldset>
      {problem ? <p className="field-error">{problem}</p> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={preview.isPending}>
          Preview
        </Button>
      </div>
      {preview.isError ? <ErrorAlert error={preview.error} title="Cannot preview" /> : null}
      {result ? (
        <div data-testid="threshold-preview">
          <Alert variant="info" title={`${result.incidents} incidents with these thresholds`}>
            {result.incidents_now} now: {result.becoming_total} would become incidents, {result.leaving_total} would
            stop being one. To use them, set in the server&apos;s configuration and restart:
            <pre>{thresholdSettings(result.thresholds)}</pre>
          </Alert>
          <Entries title="Would become incidents" entries={result.becoming} total={result.becoming_total} />
          <Entries title="Would no longer be incidents" entries={result.leaving} total={result.leaving_total} />
        </div>
      ) : null}
    </form>
  );
}
