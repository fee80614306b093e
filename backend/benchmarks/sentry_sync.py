"""Sentry sync against the fake Sentry: requests per 1,000 issues, the cost of a run that
finds nothing new, CPU time, wall time and peak memory.

The fake runs in a process of its own (its CPU is printed beside ours: both share the cores)
with 30 ms added to every response; the sync runs here, on a fresh SQLite or PostgreSQL
database.

    .venv/bin/python benchmarks/sentry_sync.py   # 50 projects, 100,000 issues, 5,000 releases
    .venv/bin/python benchmarks/sentry_sync.py --issues 10000 --database postgresql
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

# run as a script from backend/benchmarks, next to fake_process.py
from fake_process import FakeProcess, fake_sentry_process
from pydantic import SecretStr
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from veelocity import schema
from veelocity.connectors.sentry.sync import SentrySync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.fakes.sentry import DEMO_TOKEN
from veelocity.models.sentry import SentryEvent, SentryIssue, SentryRelease
from veelocity.sync.context import BudgetExhausted, SilentReporter, SourceRunContext


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that also counts requests per kind of path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        with self.lock:
            self.paths[_kind(request.url.path)] += 1
            self.statuses[response.status_code] += 1
        return response

    def take(self) -> tuple[dict[str, int], dict[int, int]]:
        with self.lock:
            taken = (dict(self.paths), dict(self.statuses))
            self.paths.clear()
            self.statuses.clear()
            return taken

    def close(self) -> None:
        self.inner.close()


def _kind(path: str) -> str:
    """`/api/0/organizations/acme/releases/v1/deploys/` → `releases/{version}/deploys`."""
    parts = [p for p in path.split("/api/0/", 1)[-1].split("/") if p]
    if parts[:1] == ["issues"]:
        return "issues/{id}/events"
    rest = parts[2:]
    if rest[:1] == ["issues"] and len(rest) > 1:
        return "issues/{id}"
    if rest[:1] == ["releases"] and len(rest) > 2:
        return f"releases/{{version}}/{rest[-1]}"
    return "/".join(rest)


def database_url(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'sentry-sync.db'}"
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench_sentry_sync")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def configure(context: SourceRunContext, origin: str) -> None:
    assert context.cipher is not None
    with context.session_factory() as session, session.begin():
        update_source(
            session,
            context.cipher,
            SourceName.SENTRY,
            options={"base_url": f"{origin}/api/0/", "organization": "acme"},
            secrets={"token": DEMO_TOKEN},
            actor_id=None,
        )


def count(context: SourceRunContext, column: Any, *where: Any) -> int:
    with context.session_factory() as session:
        return int(session.scalar(select(func.count(column)).where(*where)) or 0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--releases", type=int, default=5_000)
    parser.add_argument("--latency-ms", type=float, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"Generating {args.issues:,} issues in {args.projects} projects …")
    fake = fake_sentry_process(
        seed=args.seed,
        issues=args.issues,
        projects=args.projects,
        releases=args.releases,
        latency=args.latency_ms / 1000,
        # the figures are counted, not waited for: Sentry's own window is per endpoint
        requests_per_second=10**6,
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                database_url=database_url(args.database, Path(tmp)),
                veelocity_data_dir=Path(tmp) / "data",
                veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
                jwt_secret_key=SecretStr(Fernet.generate_key().decode()),
                outbound_host_allowlist=["127.0.0.1"],
            )
            engine = make_engine(settings)
            schema.upgrade_to_head(engine)
            engine.dispose()
            run(settings, fake, args)
    finally:
        fake.close()


def run(settings: Settings, fake: FakeProcess, args: argparse.Namespace) -> None:
    transport = CountingTransport()
    sync = SentrySync(transport=transport)
    rss_before = peak_rss_mb()
    with standalone_context(settings, SilentReporter()) as context:
        configure(context, fake.url)
        started, cpu_started = time.perf_counter(), time.process_time()
        fake_cpu_started = fake.cpu_seconds()
        runs = 1
        while True:  # a spent budget stops a run; the next one continues, as scheduled runs do
            try:
                sync(context)
                break
            except BudgetExhausted:
                runs += 1
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        fake_cpu = fake.cpu_seconds() - fake_cpu_started
        paths, statuses = transport.take()
        issues = count(context, SentryIssue.id)
        releases = count(context, SentryRelease.id)
        events = count(context, SentryEvent.id)
        read = count(context, SentryIssue.id, SentryIssue.events_read.is_(True))

    with standalone_context(settings, SilentReporter()) as context:
        started = time.perf_counter()
        sync(context)
        incremental_wall = time.perf_counter() - started
        incremental_paths, incremental_statuses = transport.take()

    requests = sum(paths.values())
    incremental = sum(incremental_paths.values())
    print()
    print(f"Fake Sentry: {fake.items:,} issues in {args.projects} projects, {args.releases:,} "
          f"releases, {args.latency_ms:.0f} ms added per response; {args.database}")  # fmt: skip
    print(f"Stored: {issues:,} issues, {releases:,} releases, {events:,} events")
    print()
    print("(a) full sync")
    print(f"    requests per 1,000 issues: {requests / issues * 1000:.1f} "
          f"({requests:,} in all, {runs} run(s); answers {statuses})")  # fmt: skip
    for kind, n in sorted(paths.items(), key=lambda item: -item[1]):
        print(f"      {kind}: {n:,}")
    print(f"    issues whose first day of events was read: {read:,}")
    print("(b) incremental sync, nothing changed")
    print(f"    {incremental} request(s) for {args.projects} projects (goal ≤ 1 per project per "
          f"stream): {incremental_paths}; answers {incremental_statuses}; "
          f"{incremental_wall:.1f} s")  # fmt: skip
    print("(c) cost")
    print(f"    CPU time: syncing process {cpu:.1f} s (goal ≤ 15 s), fake Sentry {fake_cpu:.1f} s")
    print(f"    wall time: {wall:.1f} s")
    print(f"    peak RSS: {peak_rss_mb():.0f} MB (goal < 250 MB; {rss_before:.0f} MB before)")


if __name__ == "__main__":
    main()
