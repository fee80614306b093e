import { useEffect, useId, useRef, useState } from "react";
import type { Schemas } from "@/api/models";

export interface RepositoryPickerProps {
  options: readonly Schemas["RepositoryOut"][];
  loading: boolean;
  selected: readonly number[];
  onChange: (ids: number[]) => void;
}

export function pickerLabel(
  options: readonly { id: number; full_name: string }[],
  selected: readonly number[],
): string {
  if (selected.length === 0) return "All repositories";
  if (selected.length === 1) {
    return options.find((option) => option.id === selected[0])?.full_name ?? "1 repository";
  }
  return `${selected.length} repositories`;
}

/** A disclosure button with a checkbox list; Escape closes it and gives focus back. */
export function RepositoryPicker({ options, loading, selected, onChange }: RepositoryPickerProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const labelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function toggle(id: number) {
    onChange(selected.includes(id) ? selected.filter((item) => item !== id) : [...selected, id].sort((a, b) => a - b));
  }

  return (
    <div
      className="filter repository-picker"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <span id={labelId} className="filter-label">
        Repositories
      </span>
      <button
        ref={button}
        type="button"
        className="input select picker-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-labelledby={`${labelId} ${panelId}-value`}
        onClick={() => setOpen((value) => !value)}
      >
        <span id={`${panelId}-value`}>{pickerLabel(options, selected)}</span>
      </button>
      {open ? (
        <div className="picker-panel" id={panelId}>
          {loading ? <p className="muted small">Loading repositories…</p> : null}
          {!loading && options.length === 0 ? <p className="muted small">No repositories yet.</p> : null}
          {options.length > 0 ? (
            <fieldset>
              <legend className="visually-hidden">Repositories to include</legend>
              {options.map((option) => (
                <label key={option.id} className="picker-option">
                  <input type="checkbox" checked={selected.includes(option.id)} onChange={() => toggle(option.id)} />
                  {option.full_name}
                </label>
              ))}
            </fieldset>
          ) : null}
          {selected.length > 0 ? (
            <button type="button" className="link-button" onClick={() => onChange([])}>
              Clear (all repositories)
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
