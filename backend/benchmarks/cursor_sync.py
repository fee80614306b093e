"""Cursor sync against the fake Cursor: requests per stream for a first sync of 90 days, an
incremental sync an hour later, a run within the hour, and the time and memory they take.

The fake serves a generated team in a thread of this process with 30 ms added to every
response (its per-minute limits lifted: the figures are counted, not waited for); the sync
writes to a fresh SQLite database.

    .venv/bin/python benchmarks/cursor_sync.py              # 200 people, 6 months
    .venv/bin/python benchmarks/cursor_sync.py --developers 50
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import time_machine
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import func, select

from veelocity import schema
from veelocity.connectors.cursor.sync import CursorSync
from veelocity.connectors.standalone import standalone_context
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, RateLimits, run_fake_cursor
from veelocity.models.ai import AiCommit, CursorDailyUsage, CursorMember
from veelocity.sync.context import SilentReporter


class CountingTransport(httpx.BaseTransport):
    """A real HTTP transport that also counts requests per path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: Counter[str] = Counter()
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.paths[request.url.path] += 1
        return self.inner.handle_request(request)

    def take(self) -> dict[str, int]:
        with self.lock:
            taken = dict(self.paths)
            self.paths.clear()
            return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--developers", type=int, default=200)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--latency-ms", type=float, default=30)
    args = parser.parse_args()

    config = DemoConfig(seed=3, repositories=10, developers=args.developers, months=args.months)
    team = DemoAi(generate(config), seed=config.seed).cursor
    fake = FakeCursor(team, limits=RateLimits(admin_per_minute=10**6, ai_code_per_minute=10**6))
    fake.faults.latency = args.latency_ms / 1000
    transport = CountingTransport()
    sync = CursorSync(transport=transport)
    with (
        tempfile.TemporaryDirectory() as tmp,
        run_fake_cursor(fake) as url,
        time_machine.travel(team.now, tick=True) as clock,
    ):
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'cursor-sync.db'}",
            veelocity_data_dir=Path(tmp) / "data",
            veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
            jwt_secret_key=SecretStr(Fernet.generate_key().decode()),
            outbound_host_allowlist=["127.0.0.1"],
        )
        engine = make_engine(settings)
        schema.upgrade_to_head(engine)
        engine.dispose()
        with standalone_context(settings, SilentReporter()) as context:
            assert context.cipher is not None
            with context.session_factory() as session, session.begin():
                update_source(
                    session,
                    context.cipher,
                    SourceName.CURSOR,
                    options={"base_url": url},
                    secrets={"api_key": DEMO_KEY},
                    actor_id=None,
                )
            figures = []
            for label, shift in (
                ("first sync (90 days)", timedelta(0)),
                ("an hour later", timedelta(hours=1, minutes=1)),
                ("five minutes later", timedelta(minutes=5)),
            ):
                clock.shift(shift)
                started, cpu = time.perf_counter(), time.process_time()
                sync(context)
                figures.append(
                    (
                        label,
                        transport.take(),
                        time.perf_counter() - started,
                        time.process_time() - cpu,
                    )
                )
            with context.session_factory() as session:
                members = session.scalar(select(func.count(CursorMember.id)))
                days = session.scalar(select(func.count(CursorDailyUsage.day)))
                commits = session.scalar(select(func.count(AiCommit.id)))

    print(f"Fake Cursor: {len(team.members)} members, {len(team.usage):,} usage rows, "
          f"{len(team.ai_commits):,} AI commits over {args.months} months; "
          f"{args.latency_ms:.0f} ms per response; SQLite")  # fmt: skip
    print(f"Stored: {members} members, {days:,} member-days, {commits:,} AI commits")
    for label, paths, wall, cpu in figures:
        print(
            f"{label}: {sum(paths.values())} requests {paths}; {wall:.1f} s wall, {cpu:.1f} s CPU"
        )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
