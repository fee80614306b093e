import { useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/skeleton";
import {
  usePreviewThresholds,
  useSaveThresholds,
  useThresholds,
  type IssueLevel,
  type PreviewEntry,
  type ThresholdsInUse,
} from "../api";
import { describeThresholds, LEVELS, parseThresholds, sameThresholds } from "../thresholds";

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

function InUse({ inUse }: { inUse: ThresholdsInUse }) {
  return (
    <p data-testid="thresholds-in-use">
      In use: {describeThresholds(inUse)}{" "}
      <span className="muted">
        ({inUse.saved ? "saved in Settings" : "from the server's configuration: SENTRY_INCIDENT_MIN_EVENTS, …"})
      </span>
    </p>
  );
}

function ThresholdForm({ inUse }: { inUse: ThresholdsInUse }) {
  const preview = usePreviewThresholds();
  const save = useSaveThresholds();
  const [minEvents, setMinEvents] = useState(String(inUse.min_events));
  const [minUsers, setMinUsers] = useState(String(inUse.min_users));
  const [levels, setLevels] = useState<readonly IssueLevel[]>(inUse.levels);
  const [problem, setProblem] = useState<string | null>(null);
  const parsed = parseThresholds({ minEvents, minUsers, levels });
  const result = preview.data;
  // Saving is offered once what the form holds has been previewed, and differs from what is in use.
  const previewed =
    result !== undefined && parsed.thresholds !== null && sameThresholds(result.thresholds, parsed.thresholds);
  const changed = parsed.thresholds !== null && !sameThresholds(parsed.thresholds, inUse);

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(parsed.problem);
    save.reset();
    if (parsed.thresholds) preview.mutate(parsed.thresholds);
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Incident thresholds">
      <InUse inUse={inUse} />
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
        <Button type="submit" busy={preview.isPending}>
          Preview
        </Button>
        {previewed && changed && parsed.thresholds ? (
          <Button
            variant="primary"
            busy={save.isPending}
            onClick={() => parsed.thresholds && save.mutate(parsed.thresholds)}
          >
            Save thresholds
          </Button>
        ) : null}
        {inUse.saved ? (
          <Button variant="ghost" busy={save.isPending} onClick={() => save.mutate(null)}>
            Use the server&apos;s configuration
          </Button>
        ) : null}
      </div>
      {preview.isError ? <ErrorAlert error={preview.error} title="Cannot preview" /> : null}
      {save.isError ? <ErrorAlert error={save.error} title="Cannot save the thresholds" /> : null}
      {result && previewed ? (
        <div data-testid="threshold-preview">
          <Alert variant="info" title={`${result.incidents} incidents with these thresholds`}>
            {result.incidents_now} now: {result.becoming_total} would become incidents, {result.leaving_total} would
            stop being one.{changed ? " Nothing is saved until you save them." : null}
          </Alert>
          <Entries title="Would become incidents" entries={result.becoming} total={result.becoming_total} />
          <Entries title="Would no longer be incidents" entries={result.leaving} total={result.leaving_total} />
        </div>
      ) : null}
    </form>
  );
}

/** When a Sentry issue becomes an incident. Admins try other thresholds on the stored issues —
 * which would become incidents, which would stop being one — and save them once previewed. */
export function IncidentThresholds({ readOnly }: { readOnly: boolean }) {
  const thresholds = useThresholds();
  if (thresholds.isPending) return <LoadingBlock label="Loading the thresholds…" lines={2} />;
  if (thresholds.isError) return <ErrorAlert error={thresholds.error} onRetry={() => void thresholds.refetch()} />;
  if (readOnly) return <InUse inUse={thresholds.data} />;
  // A new form when what is in use changes (after saving), starting from it.
  return <ThresholdForm key={JSON.stringify(thresholds.data)} inUse={thresholds.data} />;
}
