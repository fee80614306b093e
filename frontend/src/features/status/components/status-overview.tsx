import type { ReactNode } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useSystemStatus } from "../api";
import { credentialsWords, jobInterval, jobOutcome, jobTitle, notSyncedYet, sourceTitle } from "../describe";
import type { JobStatus, SourceStatus, SystemStatus } from "../types";

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

function Outcome({ job }: { job: JobStatus }) {
  const outcome = jobOutcome(job);
  if (outcome.tone === "neutral") return <span className={job.registered ? undefined : "muted"}>{outcome.words}</span>;
  return <Badge ok={outcome.tone === "ok"}>{outcome.words}</Badge>;
}

function SchedulerTable({ scheduler }: { scheduler: SystemStatus["scheduler"] }) {
  return (
    <>
      <p className="muted small">
        {scheduler.running
          ? "This process runs the scheduler."
          : "This process does not run the scheduler (SCHEDULER_ENABLED=false, or a worker runs it); the jobs below are read from the database."}
      </p>
      {scheduler.jobs.length === 0 ? (
        <p className="empty">No scheduled jobs.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Scheduled jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Interval</th>
                <th scope="col">Last run</th>
                <th scope="col">Outcome</th>
                <th scope="col">Next run</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {scheduler.jobs.map((job) => (
                <tr key={job.name}>
                  <th scope="row" className="cell-strong">
                    {jobTitle(job.name)} <code className="muted">{job.name}</code>
                  </th>
                  <td className="cell-nowrap">{jobInterval(job)}</td>
                  <td className="cell-nowrap">
                    {job.last_started_at ? formatDateTime(job.last_started_at) : job.registered ? "Not yet" : "—"}
                  </td>
                  <td>
                    <Outcome job={job} />
                  </td>
                  <td className="cell-nowrap">{job.next_run_at ? formatDateTime(job.next_run_at) : "—"}</td>
                  <td>{job.last_owner ? <code>{job.last_owner}</code> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function SourcesTable({ sources }: { sources: SourceStatus[] }) {
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Sources">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Credentials</th>
            <th scope="col">Last sync</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <tr key={source.source}>
              <th scope="row" className="cell-strong">
                {sourceTitle(source.source)}
              </th>
              <td>
                {source.syncs ? (
                  <Badge ok={source.configured}>{credentialsWords(source)}</Badge>
                ) : (
                  <span className="badge">{credentialsWords(source)}</span>
                )}
              </td>
              {source.syncs ? (
                <>
                  <td className="cell-nowrap">{source.last_sync_at ? formatDateTime(source.last_sync_at) : "Never"}</td>
                  <td>{source.last_error ? <span className="text-error">{source.last_error}</span> : "None"}</td>
                </>
              ) : (
                <td colSpan={2} className="muted">
                  {notSyncedYet(source)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatusCards({ status }: { status: SystemStatus }) {
  const { database } = status;
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
      <Card title="Scheduler" className="grid-wide">
        <SchedulerTable scheduler={status.scheduler} />
      </Card>
      <Card title="Sources" className="grid-wide">
        {status.sources.length === 0 ? (
          <p className="empty">No sources yet.</p>
        ) : (
          <SourcesTable sources={status.sources} />
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
