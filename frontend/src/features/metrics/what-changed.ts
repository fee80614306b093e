import type { MetricOut } from "@/api/models";
import { formatMetricValue } from "@/lib/format";

/** Movements smaller than this (in percent) are not news. */
const NOTABLE_PERCENT = 10;

/**
 * The biggest movements against the previous window, as short sentences, largest first.
 * Only metrics with data in both windows and a known better direction count.
 */
export function whatChanged(metrics: readonly MetricOut[], limit = 2): string[] {
  return metrics
    .filter(
      (metric) =>
        metric.trend.change_percent !== null &&
        Math.abs(metric.trend.change_percent) >= NOTABLE_PERCENT &&
        (metric.trend.direction === "better" || metric.trend.direction === "worse") &&
        metric.value !== null &&
        metric.previous.value !== null,
    )
    .sort((a, b) => Math.abs(b.trend.change_percent ?? 0) - Math.abs(a.trend.change_percent ?? 0))
    .slice(0, limit)
    .map((metric) => {
      const percent = Math.round(Math.abs(metric.trend.change_percent ?? 0));
      const movement = (metric.trend.change ?? 0) >= 0 ? "up" : "down";
      const verdict = metric.trend.direction === "better" ? "improved" : "got worse";
      return `${metric.title} ${verdict}: ${formatMetricValue(metric.value, metric.unit)}, ${movement} ${percent} % on the previous window (${formatMetricValue(metric.previous.value, metric.unit)}).`;
    });
}
