"""GitHub sync against the fake GitHub: requests per 1,000 PRs, incremental cost, wall time
and peak memory, each next to what one REST call per PR and per nested list would cost.

The fake runs in a process of its own (so its CPU and memory are not counted as ours) with
30 ms added to every response; the sync runs here, on a fresh SQLite or PostgreSQL database.

    .venv/bin/python benchmarks/github_sync.py                      # 10,000 PRs, 50 repositories
    .venv/bin/python benchmarks/github_sync.py --pull-requests 2000 --repositories 10
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

# run as a script from backend/benchmarks, next to fake_process.py
from fake_process import FakeProcess, fake_github_process

from veelocity import schema
from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.fakes.github import DEMO_TOKEN
from veelocity.models import Deployment, Incident, Issue, PullRequest, PullRequestEvent
from veelocity.sync.context import SourceRunContext

#: the calls a tool makes per pull request when it reads nested lists one REST call each:
#: reviews, review comments, issue comments, commits, timeline
REST_CALLS_PER_PR = 5
PR_STREAMS = ("pull_requests", "pr_details")


# --- what the sync sends, counted on the wire ------------------------------------------------
class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that also counts answers by status."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        with self.lock:
            self.statuses[response.status_code] += 1
        return response

    def close(self) -> None:
        self.inner.close()

    def take(self) -> Counter[int]:
        with self.lock:
            taken, self.statuses = self.statuses, Counter()
        return taken


@dataclass
class StreamTally:
    """A ProgressReporter that adds up requests and items per stream."""

    requests: Counter[str] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)

    def progress(
        self,
        *,
        stream: str | None = None,
        items: int = 0,
        requests: int = 0,
        rate_limit_remaining: int | None = None,
        rate_limit_reset_at: datetime | None = None,
        stream_done: bool = False,
    ) -> None:
        self.requests[stream or "-"] += requests
        self.items[stream or "-"] += items

    def cancel_requested(self) -> bool:
        return False


# --- database -------------------------------------------------------------------------------
def database_url(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'github-sync.db'}"
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench_github_sync")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def configure(context: SourceRunContext, base_url: str) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.GITHUB,
            options={"api_base_url": base_url, "organizations": ["acme"], "repositories": []},
            secrets={"token": DEMO_TOKEN},
            actor_id=None,
        )


def count(context: SourceRunContext, column: Any, *where: Any) -> int:
    with context.session_factory() as session:
        return int(session.scalar(select(func.count(column)).where(*where)) or 0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio(naive: float, ours: float) -> str:
    return f"{naive / ours:,.0f}×" if ours else "∞"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pull-requests", type=int, default=10_000)
    parser.add_argument("--repositories", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--delay-ms", type=int, default=0, help="RATE_LIMIT_DELAY_MS")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"Generating {args.pull_requests:,} PRs in {args.repositories} repositories …")
    fake = fake_github_process(
        seed=args.seed, pull_requests=args.pull_requests, repositories=args.repositories,
        developers=max(6, args.pull_requests // 80), latency=args.latency_ms / 1000,
        follow_clock=False,
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                database_url=database_url(args.database, Path(tmp)),
                veelocity_data_dir=Path(tmp) / "data",
                veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
                jwt_secret_key=SecretStr(Fernet.generate_key().decode()),
                outbound_host_allowlist=["127.0.0.1"],
                rate_limit_max_per_sync=100_000,
                rate_limit_max_per_hour=100_000,
                rate_limit_delay_ms=args.delay_ms,
                github_sync_workers=args.workers,
            )
            engine = make_engine(settings)
            schema.upgrade_to_head(engine)
            engine.dispose()
            run(settings, fake, args)
    finally:
        fake.close()


def run(settings: Settings, fake: FakeProcess, args: argparse.Namespace) -> None:
    transport = CountingTransport()
    sync = GitHubSync(transport=transport)
    full = StreamTally()
    rss_before = peak_rss_mb()
    with standalone_context(settings, full) as context:
        configure(context, fake.url)
        started, cpu_started = time.perf_counter(), time.process_time()
        fake_cpu_started = fake.cpu_seconds()
        sync(context)
        sync_wall = time.perf_counter() - started
        sync.fill_details(context)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        fake_cpu = fake.cpu_seconds() - fake_cpu_started
        statuses_full = transport.take()
        prs = count(context, PullRequest.id)
        events = count(context, PullRequestEvent.id)
        deployments = count(context, Deployment.id)
        merged = count(context, PullRequest.id, PullRequest.merged_at.is_not(None))
        issues = count(context, Issue.id)
        incidents = count(context, Incident.id, Incident.source == "github_issue")

    incremental = StreamTally()
    with standalone_context(settings, incremental) as context:
        started = time.perf_counter()
        sync(context)
        sync.fill_details(context)
        incremental_wall = time.perf_counter() - started
        statuses_incremental = transport.take()
        open_prs = count(context, PullRequest.id, PullRequest.state == "open")

    repositories = args.repositories
    pr_requests = sum(full.requests[s] for s in PR_STREAMS)
    per_thousand = pr_requests / prs * 1000
    naive_per_thousand = 1000 / 100 + 1000 * REST_CALLS_PER_PR
    total_full = sum(full.requests.values())
    naive_full = (
        total_full
        - pr_requests
        - full.requests["pr_files"]
        + prs / 100
        + prs * REST_CALLS_PER_PR
        + merged  # one `/pulls/{n}/files` call per merged PR
    )
    total_incremental = sum(incremental.requests.values())
    # a per-PR tool lists updated PRs and re-reads the nested lists of every open PR
    naive_incremental = total_incremental + open_prs * REST_CALLS_PER_PR
    latency = args.latency_ms / 1000
    naive_wall = naive_full * latency  # one call after another, latency only

    print()
    print(f"Fake GitHub: {fake.items:,} PRs in {repositories} repositories, "
          f"{args.latency_ms:.0f} ms added per response; {args.workers} workers; "
          f"RATE_LIMIT_DELAY_MS={args.delay_ms}; {args.database}")  # fmt: skip
    print(f"Stored: {prs:,} PRs, {events:,} reviews/comments/events, {deployments:,} deployments, "
          f"{issues:,} issues ({incidents:,} of them incidents)")  # fmt: skip
    print()
    print("(a) full sync, requests per 1,000 PRs (reviews, comments, commits, timeline included)")
    print(f"    ours: {per_thousand:.1f}   (goal ≤ 15, floor 10)   "
          f"REST per PR and per list: {naive_per_thousand:,.0f}   "
          f"ratio {ratio(naive_per_thousand, per_thousand)}")  # fmt: skip
    print(f"    all streams: {total_full:,} requests "
          f"({', '.join(f'{k} {v}' for k, v in sorted(full.requests.items()))}); "
          f"REST per PR: {naive_full:,.0f}   ratio {ratio(naive_full, total_full)}")  # fmt: skip
    print("(b) incremental sync, nothing changed")
    per_stream = {k: v / repositories for k, v in sorted(incremental.requests.items()) if v}
    print(
        f"    ours: {total_incremental} requests, per repository per stream: "
        + ", ".join(f"{k} {v:.2f}" for k, v in per_stream.items())
        + f"   (goal ≤ 1); answers: {dict(statuses_incremental)}; {incremental_wall:.1f} s"
    )
    print(f"    REST per PR (re-reading {open_prs} open PRs): {naive_incremental:,}   "
          f"ratio {ratio(naive_incremental, total_incremental)}")  # fmt: skip
    print(f"(c) {prs:,} PRs across {repositories} repositories")
    print(f"    wall time: {wall:.1f} s (goal < 60 s)   REST per PR, latency alone: "
          f"{naive_wall:,.0f} s   ratio {ratio(naive_wall, wall)}")  # fmt: skip
    print(f"    of which the sync {sync_wall:.1f} s, Fill PR details {wall - sync_wall:.1f} s")
    print(f"    CPU time: syncing process {cpu:.1f} s, fake GitHub {fake_cpu:.1f} s")
    print(f"    peak RSS: {peak_rss_mb():.0f} MB (goal < 250 MB; {rss_before:.0f} MB before)")
    print(f"    answers: {dict(statuses_full)}")
    file_requests = full.requests["pr_files"]
    print("(d) file lists of merged PRs (for PR-size exclusions), in the Fill PR details job")
    print(f"    ours: {file_requests:,} requests for {merged:,} merged PRs "
          f"({file_requests / max(merged, 1) * 1000:.1f} per 1,000)   "
          f"REST per PR: {merged:,}   ratio {ratio(merged, file_requests)}")  # fmt: skip


if __name__ == "__main__":
    main()
