"""Linear sync against the fake Linear: requests and complexity points per 1,000 issues
(history included), the cost of a run that finds nothing new, CPU time, wall time and peak
memory, each next to what reading each issue's history with a query of its own would cost.

The fake runs in a process of its own (its CPU is printed beside ours: both share the cores)
with 30 ms added to every response; the sync runs here, on a fresh SQLite or PostgreSQL
database. Points are Linear's complexity as the fake prices each query (`X-Complexity`).

    .venv/bin/python benchmarks/linear_sync.py                      # 20,000 issues, 10 teams
    .venv/bin/python benchmarks/linear_sync.py --issues 2000 --teams 4 --database postgresql
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
from fake_process import FakeProcess, fake_linear_process
from pydantic import SecretStr
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from veelocity import schema
from veelocity.connectors.linear import cost, queries
from veelocity.connectors.linear.queries import PageRequest
from veelocity.connectors.linear.sync import LinearSync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.fakes.linear import DEMO_KEY
from veelocity.models import LinearIssue, LinearIssueHistory
from veelocity.sync.context import SilentReporter, SourceRunContext

#: the history of one issue in a query of its own, as a per-issue tool reads it
ONE_ISSUE_HISTORY = (
    'query { issue(id: "x") { id history(first: 50) { pageInfo { hasNextPage endCursor } '
    f"nodes {{ {queries.HISTORY_FIELDS} }} }} }} }}"
)


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that also adds up the points of each answered query."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests = 0
        self.points = 0
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        with self.lock:
            self.requests += 1
            self.statuses[response.status_code] += 1
            self.points += int(response.headers.get("x-complexity") or 0)
        return response

    def take(self) -> tuple[int, int, dict[int, int]]:
        with self.lock:
            taken = (self.requests, self.points, dict(self.statuses))
            self.requests = self.points = 0
            self.statuses.clear()
            return taken

    def close(self) -> None:
        self.inner.close()


def database_url(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'linear-sync.db'}"
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_bench_linear_sync")
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
            SourceName.LINEAR,
            options={"api_url": f"{base_url}/graphql"},
            secrets={"api_key": DEMO_KEY},
            actor_id=None,
        )


def count(context: SourceRunContext, column: Any) -> int:
    with context.session_factory() as session:
        return int(session.scalar(select(func.count(column))) or 0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio(naive: float, ours: float) -> str:
    return f"{naive / ours:,.1f}×" if ours else "∞"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=20_000)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--latency-ms", type=float, default=30)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"Generating {args.issues:,} issues in {args.teams} teams …")
    fake = fake_linear_process(
        seed=args.seed, teams=args.teams, issues=args.issues, latency=args.latency_ms / 1000
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
    sync = LinearSync(transport=transport)
    rss_before = peak_rss_mb()
    with standalone_context(settings, SilentReporter()) as context:
        configure(context, fake.url)
        started, cpu_started = time.perf_counter(), time.process_time()
        fake_cpu_started = fake.cpu_seconds()
        sync(context)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        fake_cpu = fake.cpu_seconds() - fake_cpu_started
        requests, points, statuses = transport.take()
        issues = count(context, LinearIssue.id)
        history = count(context, LinearIssueHistory.id)

    with standalone_context(settings, SilentReporter()) as context:
        started = time.perf_counter()
        sync(context)
        incremental_wall = time.perf_counter() - started
        incremental_requests, incremental_points, incremental_statuses = transport.take()

    # A per-issue tool: the same issue pages without nested history, then one query per issue.
    pages = -(-issues // queries.ISSUES_PAGE)
    bare_page = queries.changes({"issues": PageRequest(first=queries.ISSUES_PAGE)}).replace(
        f"history(first: {queries.HISTORY})", "history(first: 0)"
    )
    naive_requests = requests - pages + pages + issues
    naive_points = (
        points
        - pages * cost.points(queries.changes({"issues": PageRequest(first=queries.ISSUES_PAGE)}))
        + pages * cost.points(bare_page)
        + issues * cost.points(ONE_ISSUE_HISTORY)
    )
    latency = args.latency_ms / 1000
    naive_wall = naive_requests * latency  # one query after another, latency only
    per_thousand = requests / issues * 1000
    points_per_thousand = points / issues * 1000

    print()
    print(f"Fake Linear: {fake.items:,} issues in {args.teams} teams, {args.latency_ms:.0f} ms "
          f"added per response; {args.database}")  # fmt: skip
    print(f"Stored: {issues:,} issues with {history:,} history entries")
    print()
    print("(a) full sync, per 1,000 issues (history included)")
    print(f"    requests: {per_thousand:.1f} (goal ≤ 25)   history issue by issue: "
          f"{naive_requests / issues * 1000:,.0f}   ratio "
          f"{ratio(naive_requests, requests)}")  # fmt: skip
    print(f"    points: {points_per_thousand:,.0f} (goal ≤ 20,000)   history issue by issue: "
          f"{naive_points / issues * 1000:,.0f}   ratio {ratio(naive_points, points)}")  # fmt: skip
    print(f"    in all: {requests:,} requests, {points:,} points; answers {statuses}")
    print("(b) incremental sync, nothing changed")
    print(f"    {incremental_requests} request(s), {incremental_points:,} points "
          f"(goal: 1 per workspace or per team); answers {incremental_statuses}; "
          f"{incremental_wall:.1f} s")  # fmt: skip
    print(f"(c) {issues:,} issues across {args.teams} teams")
    print(f"    CPU time: syncing process {cpu:.1f} s (goal ≤ 10 s), fake Linear {fake_cpu:.1f} s")
    print(f"    wall time: {wall:.1f} s   history issue by issue, latency alone: "
          f"{naive_wall:,.0f} s   ratio {ratio(naive_wall, wall)}")  # fmt: skip
    print(f"    peak RSS: {peak_rss_mb():.0f} MB (goal < 250 MB; {rss_before:.0f} MB before)")


if __name__ == "__main__":
    main()
