import { useId } from "react";
import type { GlobalFilters } from "@/lib/filters";
import { useCycleOptions } from "../api";
import { cycleLabel, cycleRange, cyclesByTeam } from "../cycle-range";

/**
 * Sets the window to a Linear cycle's days (a sprint picker). Shown only once Linear has synced
 * cycles; cycles without dates or not started yet are listed but cannot be picked.
 */
export function CyclePicker({
  filters,
  onChange,
}: {
  filters: GlobalFilters;
  onChange: (change: Partial<GlobalFilters>) => void;
}) {
  const cycles = useCycleOptions();
  const id = useId();
  const items = cycles.data ?? [];
  if (items.length === 0) return null;

  function choose(value: string) {
    const cycle = items.find((item) => String(item.id) === value);
    const range = cycle ? cycleRange(cycle) : null;
    if (cycle && range) onChange({ range, cycle: cycle.id });
    else onChange({ range: null, cycle: null });
  }

  return (
    <div className="filter">
      <label htmlFor={id}>Cycle</label>
      <select
        id={id}
        className="input select"
        value={filters.cycle ?? ""}
        onChange={(event) => choose(event.target.value)}
      >
        <option value="">No cycle</option>
        {cyclesByTeam(items).map((group) => (
          <optgroup key={group.team} label={group.team}>
            {group.cycles.map((cycle) => (
              <option key={cycle.id} value={cycle.id} disabled={cycleRange(cycle) === null}>
                {cycleLabel(cycle)}
                {cycle.status === "current" ? " (current)" : ""}
              </option>
            ))}
          </optgroup>
        ))}
        {filters.cycle !== null && !items.some((cycle) => cycle.id === filters.cycle) ? (
          <option value={filters.cycle}>Unknown cycle</option>
        ) : null}
      </select>
    </div>
  );
}
