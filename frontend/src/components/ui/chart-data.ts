/** Pure shaping of server series for the chart: no drawing here, so it is unit-tested. */

export interface ChartSeries {
  label: string;
  /** One value per period; null where the period has no data (never drawn as 0). */
  values: (number | null)[];
}

export const CHART_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2"];

/** Seconds since the epoch of each period start (ISO day, UTC), as uPlot's x axis wants. */
export function periodTimestamps(periods: readonly string[]): number[] {
  return periods.map((day) => Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 1000);
}

/**
 * Running totals for stacked bars, top of the stack first: bars drawn in this order overlap
 * so that each visible band is one series. A period where every series is null stays null.
 */
export function stackedTotals(series: readonly ChartSeries[]): (number | null)[][] {
  const length = Math.max(0, ...series.map((item) => item.values.length));
  const totals: (number | null)[][] = [];
  const running: (number | null)[] = Array.from({ length }, () => null);
  for (const item of series) {
    for (let index = 0; index < length; index += 1) {
      const value = item.values[index];
      if (value !== null && value !== undefined) running[index] = (running[index] ?? 0) + value;
    }
    totals.push([...running]);
  }
  return totals.reverse();
}

/** A one-sentence summary of a series for screen readers: range and latest value. */
export function describeSeries(values: readonly (number | null)[], format: (value: number) => string): string {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return "no data in this window";
  const latest = present[present.length - 1] as number;
  const low = Math.min(...present);
  const high = Math.max(...present);
  return `from ${format(low)} to ${format(high)}, latest ${format(latest)}`;
}
