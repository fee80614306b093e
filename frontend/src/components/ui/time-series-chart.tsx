import { useEffect, useId, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDay, formatMetricValue } from "@/lib/format";
import { LazyDetails } from "./lazy-details";
import { CHART_COLORS, describeSeries, periodTimestamps, stackedTotals, type ChartSeries } from "./chart-data";

export type { ChartSeries } from "./chart-data";

export interface TimeSeriesChartProps {
  /** The chart's name, for its table and for screen readers. */
  title: string;
  /** Period starts (ISO days) as the API returns them. */
  periods: readonly string[];
  series: readonly ChartSeries[];
  /** The metric's unit (seconds, ratio, per_week, count, lines): formats axis, tooltip, table. */
  unit: string;
  kind?: "line" | "bars" | "stacked";
  height?: number;
  /** Called with a period start when a point (or its table row) is chosen. */
  onSelectPeriod?: (periodStart: string) => void;
  selectedPeriod?: string | null;
  /** A sparkline: no axes, small; the tooltip and the table stay. */
  compact?: boolean;
}

interface Hover {
  index: number;
  left: number;
  top: number;
}

function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Bumps when the theme changes (toggle or system), so canvas colours are redrawn. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const media = typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    media?.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      media?.removeEventListener("change", bump);
    };
  }, []);
  return version;
}

/**
 * The one chart of the app: a time series over periods, as lines, bars or stacked bars,
 * drawn by uPlot. It has a tooltip, a click on a period, and a table with the same numbers.
 */
export function TimeSeriesChart({
  title,
  periods,
  series,
  unit,
  kind = "line",
  height = 220,
  onSelectPeriod,
  selectedPeriod,
  compact = false,
}: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const themeVersion = useThemeVersion();
  const selectRef = useRef(onSelectPeriod);
  useEffect(() => {
    selectRef.current = onSelectPeriod;
  }, [onSelectPeriod]);
  const tableId = useId();

  // Callers pass new arrays on every render; redraw only when the numbers change.
  const dataKey = JSON.stringify({ periods, series });

  useEffect(() => {
    const { periods, series } = JSON.parse(dataKey) as { periods: string[]; series: ChartSeries[] };
    const element = container.current;
    if (!element || typeof HTMLCanvasElement.prototype.getContext !== "function") return;
    if (typeof window.matchMedia !== "function") return; // jsdom: no canvas to draw on
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    // uPlot loads with the first chart, in parallel with the page's data.
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      cleanup = draw(UPlot, element);
    });
    return () => {
      cancelled = true;
      cleanup?.();
    };

    function draw(UPlot: typeof uPlot, element: HTMLDivElement): () => void {
      const axisColor = cssVariable("--text-muted", "#5a6472");
      const gridColor = cssVariable("--border", "#dde1e7");
      const format = (value: number) => formatMetricValue(value, unit);
      const drawn = kind === "stacked" ? stackedTotals(series) : series.map((item) => item.values);
      const labels = kind === "stacked" ? [...series].reverse() : series;
      const colors = kind === "stacked" ? series.map((_, i) => CHART_COLORS[i % CHART_COLORS.length]).reverse() : null;
      const bars = kind !== "line" ? UPlot.paths.bars?.({ size: [0.7, 48], gap: 2 }) : undefined;
      const options: uPlot.Options = {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { size: 8 } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        padding: compact ? [4, 4, 4, 4] : undefined,
        axes: [
          { show: !compact, stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
          {
            show: !compact,
            stroke: axisColor,
            grid: { stroke: gridColor, width: 1 },
            ticks: { stroke: gridColor },
            size: 80,
            values: (_u, splits) => splits.map(format),
          },
        ],
        series: [
          {},
          ...labels.map((item, index) => {
            const color = colors?.[index] ?? CHART_COLORS[index % CHART_COLORS.length] ?? "#4e79a7";
            return {
              label: item.label,
              stroke: color,
              width: kind === "line" ? 2 : 1,
              fill: kind === "line" ? undefined : color,
              points: { show: kind === "line" },
              spanGaps: false,
              ...(bars ? { paths: bars } : {}),
            };
          }),
        ],
        hooks: {
          setCursor: [
            (u) => {
              const index = u.cursor.idx;
              if (index === null || index === undefined) setHover(null);
              else setHover({ index, left: u.cursor.left ?? 0, top: u.cursor.top ?? 0 });
            },
          ],
        },
      };
      const plot = new UPlot(options, [periodTimestamps(periods), ...drawn] as uPlot.AlignedData, element);
      const onClick = () => {
        const index = plot.cursor.idx;
        const period = index === null || index === undefined ? undefined : periods[index];
        if (period && selectRef.current) selectRef.current(period);
      };
      plot.over.addEventListener("click", onClick);
      const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
      resize.observe(element);
      return () => {
        resize.disconnect();
        plot.over.removeEventListener("click", onClick);
        plot.destroy();
      };
    }
  }, [dataKey, unit, kind, height, compact, themeVersion]);

  const format = (value: number | null | undefined) => formatMetricValue(value ?? null, unit);
  const hovered = hover ? periods[hover.index] : undefined;
  const summary = series.map((item) => `${item.label} ${describeSeries(item.values, format)}`).join("; ");

  return (
    <figure className={compact ? "chart chart-compact" : "chart"}>
      <div
        className={onSelectPeriod ? "chart-canvas chart-clickable" : "chart-canvas"}
        style={{ height }}
        role="img"
        aria-label={`${title}: ${summary}. The table below has every value.`}
      >
        <div ref={container} className="chart-plot" />
        {hover && hovered ? (
          <div
            className="chart-tooltip"
            aria-hidden="true"
            style={{ left: hover.left + (compact ? 0 : 80), top: compact ? "100%" : Math.max(0, hover.top - 10) }}
          >
            <strong>{formatDay(hovered)}</strong>
            {series.map((item, index) => (
              <span key={item.label}>
                <i className="chart-swatch" style={{ background: CHART_COLORS[index % CHART_COLORS.length] }} />
                {item.label}: {format(item.values[hover.index])}
              </span>
            ))}
            {onSelectPeriod ? <em>Click to see what is behind it</em> : null}
          </div>
        ) : null}
      </div>
      {series.length > 1 ? (
        <figcaption className="chart-legend">
          {series.map((item, index) => (
            <span key={item.label}>
              <i className="chart-swatch" style={{ background: CHART_COLORS[index % CHART_COLORS.length] }} />
              {item.label}
            </span>
          ))}
        </figcaption>
      ) : null}
      <LazyDetails
        className={compact ? "chart-table chart-table-compact" : "chart-table"}
        summary={
          <span id={tableId}>{compact ? <span className="visually-hidden">{title}: </span> : null}Show as a table</span>
        }
      >
        <div className="table-scroll">
          <table className="table" aria-labelledby={tableId}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                {series.map((item) => (
                  <th scope="col" key={item.label}>
                    {item.label}
                  </th>
                ))}
                {onSelectPeriod ? (
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {periods.map((period, index) => (
                <tr key={period} aria-current={period === selectedPeriod ? "true" : undefined}>
                  <th scope="row">{formatDay(period)}</th>
                  {series.map((item) => (
                    <td key={item.label}>{format(item.values[index])}</td>
                  ))}
                  {onSelectPeriod ? (
                    <td>
                      <button type="button" className="link-button" onClick={() => onSelectPeriod(period)}>
                        Details<span className="visually-hidden"> for {formatDay(period)}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </LazyDetails>
    </figure>
  );
}
