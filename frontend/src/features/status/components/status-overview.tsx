import type { ReactNode } from "react";
import type { SystemStatus } from "../types";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useSystemStatus } from "../api";

function Badge({ ok, children }: { ok: boolean; children: ReactNode }) {
  return <span className={ok ? "badge badge-ok" : "badge badge-bad"}>{children}</span>;
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") {
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatDateTime(value) : value;
  }
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function StatusCards({ status }: { status: SystemStatus }) {
  const { database } = status;
  const schedulerEntries = Object.entries(status.scheduler ?? {});
  return (
    <div className="grid">
      <Card title="Service">
        <Facts
          items={[
            ["Version", status.version],
            ["Uptime", formatDuration(status.uptime_seconds)],
          ]}
        />
      </Card>
      <Card title="Database">
        <Facts
          items={[
            ["Dialect", database.dialect],
            ["Reachable", <Badge ok={database.reachable}>{database.reachable ? "Yes" : "No"}</Badge>],
            ["Migration", <code>{database.migration.current ?? "none"}</code>],
            ["Latest migration", <code>{database.migration.head ?? "none"}</code>],
            [
              "Schema",
              <Badge ok={database.migration.up_to_date}>
                {database.migration.up_to_date ? "Up to date" : "Migration pending"}
              </Badge>,
            ],
          ]}
        />
      </Card>
      <Card title="Scheduler">
        {schedulerEntries.length === 0 ? (
          <p className="muted">No scheduler information.</p>
        ) : (
          <Facts items={schedulerEntries.map(([key, value]) => [humanize(key), formatValue(value)])} />
        )}
      </Card>
      <Card title="Sources" className="grid-wide">
        {status.sources.length === 0 ? (
          <p className="empty">No sources yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Configured</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {status.sources.map((source) => (
                  <tr key={source.source}>
                    <th scope="row" className="cell-strong">
                      {source.source}
                    </th>
                    <td>
                      <Badge ok={source.configured}>{source.configured ? "Yes" : "No"}</Badge>
                    </td>
                    <td className="cell-nowrap">
                      {source.last_sync_at ? formatDateTime(source.last_sync_at) : "Never"}
                    </td>
                    <td>{source.last_error ? <span className="text-error">{source.last_error}</span> : "None"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

export function StatusOverview() {
  const status = useSystemStatus();
  return (
    <>
      {status.isPending ? <LoadingBlock label="Loading the status…" lines={6} /> : null}
      {status.isError ? (
        <ErrorAlert error={status.error} title="Cannot load the status" onRetry={() => void status.refetch()} />
      ) : null}
      {status.data ? (
        <>
          <StatusCards status={status.data} />
          <p className="muted small">
            Updated {formatDateTime(new Date(status.dataUpdatedAt).toISOString())}.{" "}
            <Button size="sm" variant="ghost" busy={status.isFetching} onClick={() => void status.refetch()}>
              Refresh
            </Button>
          </p>
        </>
      ) : null}
    </>
  );
}
