const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A timestamp from the API (ISO 8601) in the reader's locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat.format(date);
}

/** A duration such as "3 d 4 h" or "12 min 5 s": the two largest non-zero units. */
export function formatDuration(totalSeconds: number): string {
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  let rest = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${amount} ${unit}`);
  }
  return parts.slice(0, 2).join(" ") || "0 s";
}

/** Splits a comma-separated field into trimmed, non-empty, distinct items. */
export function parseList(text: string): string[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return [...new Set(items)];
}

export function formatList(items: readonly string[]): string {
  return items.join(", ");
}

const numberFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const dayFormat = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });

/** A metric's value in its unit ("3 h 20 min", "12 %", "4.5 / week"); "—" when there is none. */
export function formatMetricValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  switch (unit) {
    case "seconds":
      return formatDuration(value);
    case "ratio":
      return `${numberFormat.format(value * 100)} %`;
    case "per_week":
      return `${numberFormat.format(value)} / week`;
    case "lines":
      return `${integerFormat.format(value)} lines`;
    case "count":
      return integerFormat.format(value);
    default:
      return numberFormat.format(value);
  }
}

/** A change against the previous window in words ("+12 %", "−3 %"), or null when unknown. */
export function formatChangePercent(percent: number | null | undefined): string | null {
  if (percent === null || percent === undefined || Number.isNaN(percent)) return null;
  const rounded = Math.round(percent);
  if (rounded === 0) return "±0 %";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded)} %`;
}

/** A period start (ISO day) as "3 Mar". */
export function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : dayFormat.format(date);
}

/** How long ago, in words: "5 min ago", "2 d ago". */
export function formatAgo(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "never";
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now.getTime() - then) / 1000);
  if (seconds < 0) return `in ${formatDuration(-seconds).split(" ").slice(0, 2).join(" ")}`;
  if (seconds < 60) return "just now";
  return `${formatDuration(seconds).split(" ").slice(0, 2).join(" ")} ago`;
}
