import { CHART_COLORS } from "@/components/ui/chart-data";
import { formatDuration } from "@/lib/format";
import type { PullRequest } from "../api";

const PHASES = [
  ["coding_seconds", "Coding"],
  ["pickup_seconds", "Pickup"],
  ["review_seconds", "Review"],
  ["deploy_seconds", "Deploy"],
] as const;

/** The PR's phases as a proportional bar, with the durations in words for everyone. */
export function PhaseBar({ phases }: { phases: PullRequest["phases"] }) {
  const known = PHASES.map(([key, label], index) => ({ label, seconds: phases[key], color: CHART_COLORS[index] }));
  const total = known.reduce((sum, phase) => sum + (phase.seconds ?? 0), 0);
  const words = known
    .filter((phase) => phase.seconds !== null)
    .map((phase) => `${phase.label} ${formatDuration(phase.seconds ?? 0)}`)
    .join(", ");
  if (total === 0) return <span className="muted">—</span>;
  return (
    <span className="phase-bar" title={words}>
      <span className="phase-track" aria-hidden="true">
        {known.map((phase) =>
          phase.seconds ? (
            <span
              key={phase.label}
              className="phase-segment"
              style={{ width: `${(phase.seconds / total) * 100}%`, background: phase.color }}
            />
          ) : null,
        )}
      </span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

export function PhaseLegend() {
  return (
    <p className="chart-legend" aria-hidden="true">
      {PHASES.map(([, label], index) => (
        <span key={label}>
          <i className="chart-swatch" style={{ background: CHART_COLORS[index] }} />
          {label}
        </span>
      ))}
    </p>
  );
}
