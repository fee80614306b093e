import { formatMetricValue } from "@/lib/format";

export interface DistributionItem {
  label: string;
  value: number | null;
}

/** A small categorical bar list (a distribution or percentiles), readable as a table. */
export function DistributionBars({
  title,
  items,
  unit,
}: {
  title: string;
  items: readonly DistributionItem[];
  unit: string;
}) {
  const max = Math.max(1, ...items.map((item) => item.value ?? 0));
  return (
    <table className="table distribution">
      <caption className="visually-hidden">{title}</caption>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">Group</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.label}>
            <th scope="row">{item.label}</th>
            <td>
              <span
                className="distribution-bar"
                aria-hidden="true"
                style={{ width: `${((item.value ?? 0) / max) * 100}%` }}
              />
              <span className="distribution-value">{formatMetricValue(item.value, unit)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
