import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { filterDays, rangeProblem, WINDOWS, type GlobalFilters, type WindowKey } from "@/lib/filters";

const CUSTOM = "custom";

function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The window presets, and a custom range of days (both included) next to them. */
export function WindowPicker({
  filters,
  onChange,
}: {
  filters: GlobalFilters;
  onChange: (change: Partial<GlobalFilters>) => void;
}) {
  const windowId = useId();
  const startId = useId();
  const endId = useId();
  const problemId = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(() => filterDays(filters));
  const [problem, setProblem] = useState<string | null>(null);
  const showRange = editing || filters.range !== null;
  // Until the person edits them, the inputs show the days the filters cover now.
  const shown = editing ? draft : filterDays(filters);

  function edit(change: Partial<typeof draft>) {
    setDraft({ ...shown, ...change });
    setEditing(true);
  }

  function choose(value: string) {
    setProblem(null);
    if (value === CUSTOM) {
      setDraft(filterDays(filters));
      setEditing(true);
      return;
    }
    setEditing(false);
    onChange({ window: value as WindowKey, range: null });
  }

  function apply() {
    const found = rangeProblem(shown);
    setProblem(found);
    if (found === null) {
      setEditing(false);
      onChange({ range: shown });
    }
  }

  return (
    <>
      <div className="filter">
        <label htmlFor={windowId}>Window</label>
        <select
          id={windowId}
          className="input select"
          value={showRange ? CUSTOM : filters.window}
          onChange={(event) => choose(event.target.value)}
        >
          {Object.entries(WINDOWS).map(([key, window]) => (
            <option key={key} value={key}>
              {window.label}
            </option>
          ))}
          <option value={CUSTOM}>Custom range</option>
        </select>
      </div>
      {showRange ? (
        <fieldset className="filter-range" aria-describedby={problem ? problemId : undefined}>
          <legend className="visually-hidden">Custom range</legend>
          <div className="filter">
            <label htmlFor={startId}>From</label>
            <input
              id={startId}
              className="input"
              type="date"
              max={isoToday()}
              value={shown.start}
              aria-invalid={problem !== null}
              onChange={(event) => edit({ start: event.target.value })}
            />
          </div>
          <div className="filter">
            <label htmlFor={endId}>To</label>
            <input
              id={endId}
              className="input"
              type="date"
              max={isoToday()}
              value={shown.end}
              aria-invalid={problem !== null}
              onChange={(event) => edit({ end: event.target.value })}
            />
          </div>
          <Button onClick={apply}>Apply range</Button>
          {problem ? (
            <p className="field-error filter-range-error" id={problemId} role="alert">
              {problem}
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </>
  );
}
