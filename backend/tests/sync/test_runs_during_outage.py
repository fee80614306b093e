"""Sync runs end truthfully when the database goes away under them: `failed` with
`database_unavailable`, recorded as soon as the database takes it (by the run itself, or
by the next scheduler tick), never left `running` and never called a bug."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import TEST_DB
from tests.faults.tcp_proxy import TcpProxy, proxy_in_front_of
from tests.sync.conftest import GITHUB_TOKEN
from tests.sync.sources import PagedSource
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.db_monitor import DatabaseMonitor, make_database_monitor
from veelocity.core.security.crypto import SecretCipher
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.models import SyncRun
from veelocity.sync.catalogue import SyncCatalogue, SyncJob
from veelocity.sync.leader import job_locks_for
from veelocity.sync.runs import SyncOrchestrator, process_owner
from veelocity.sync.scheduler import Scheduler

postgresql_only = pytest.mark.skipif(
    TEST_DB != "postgresql", reason="a proxy in front of PostgreSQL"
)


def _dead_owner() -> str:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{process_owner().rpartition(':')[0]}:{process.pid}"


def _orchestrator(
    source: PagedSource,
    factory: sessionmaker[Session],
    settings: Settings,
    url: str,
    tmp_path: Path,
    **kwargs: Any,
) -> SyncOrchestrator:
    assert settings.veelocity_encryption_key is not None
    return SyncOrchestrator(
        SyncCatalogue.of([SyncJob("github", "github", source)]),
        session_factory=factory,
        settings=settings,
        cipher=SecretCipher(settings.veelocity_encryption_key),
        locks=job_locks_for(url, data_dir=tmp_path, lease_seconds=30, connect_timeout_seconds=2),
        flush_seconds=0.05,
        lock_poll_seconds=0.05,
        **kwargs,
    )


def _scheduler(
    sync: SyncOrchestrator, factory: sessionmaker[Session], url: str, tmp_path: Path
) -> Scheduler:
    locks = job_locks_for(url, data_dir=tmp_path, lease_seconds=30, connect_timeout_seconds=2)
    return Scheduler([], session_factory=factory, locks=locks, on_tick=sync.recover)


def test_a_run_whose_process_died_is_ended_at_the_next_scheduler_tick(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings()
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with factory.begin() as session:
        session.add(
            SyncRun(
                source="github",
                job="github",
                trigger="schedule",
                status="running",
                owner=_dead_owner(),
                created_at=now,
                started_at=now,
                heartbeat_at=now,
                cancel_requested=False,
                items=0,
                requests_used=0,
                streams={},
            )
        )
    sync = _orchestrator(PagedSource(), factory, settings, settings.sqlalchemy_url, tmp_path)
    scheduler = _scheduler(sync, factory, settings.sqlalchemy_url, tmp_path)

    scheduler.run_pending()  # nothing is due: only the tick

    scheduler.stop()
    sync.shutdown()
    with factory() as session:
        [run] = session.query(SyncRun).all()
        assert (run.status, run.error_code) == ("failed", "interrupted")
    engine.dispose()


# --- the database goes away during a run (PostgreSQL behind a proxy) ---------------------
@dataclass
class Outage:
    proxy: TcpProxy
    settings: Settings
    #: through the proxy: what the sync uses
    factory: sessionmaker[Session]
    url: str
    monitor: DatabaseMonitor
    #: straight to PostgreSQL: what the test reads
    direct: sessionmaker[Session]
    tmp_path: Path

    def orchestrator(self, source: PagedSource, **kwargs: Any) -> SyncOrchestrator:
        return _orchestrator(
            source,
            self.factory,
            self.settings,
            self.url,
            self.tmp_path,
            database_available=self.monitor.available_now,
            **kwargs,
        )

    def run(self) -> SyncRun:
        with self.direct() as session:
            [run] = session.query(SyncRun).all()
            return run

    def start_run(self, sync: SyncOrchestrator, source: PagedSource) -> int:
        with self.direct.begin() as session:
            update_source(
                session,
                SecretCipher(self.settings.veelocity_encryption_key),  # type: ignore[arg-type]
                SourceName.GITHUB,
                options={"organizations": ["acme"]},
                secrets={"token": GITHUB_TOKEN},
                actor_id=None,
            )
        with self.factory.begin() as session:
            [queued] = sync.trigger(session, source="github", trigger="api", requested_by=None)
        sync.start_in_background([queued.run.id])
        assert source.reached_hold.wait(10)
        return queued.run.id


@pytest.fixture
def outage(
    make_settings: Callable[..., Settings], database_url: str, tmp_path: Path
) -> Iterator[Outage]:
    if TEST_DB != "postgresql":
        pytest.skip("a proxy in front of PostgreSQL")
    settings = make_settings(database_unresponsive_seconds=1.0)
    real = make_url(database_url)
    with proxy_in_front_of(real.host or "127.0.0.1", real.port or 5432) as proxy:
        url = real.set(host=proxy.host, port=proxy.port).render_as_string(hide_password=False)
        engine = make_engine(settings, url, purpose="sync")
        direct_engine = make_engine(settings)
        monitor = make_database_monitor(settings, url)
        monitor.watch(engine)
        monitor.start()
        yield Outage(
            proxy,
            settings,
            make_session_factory(engine),
            url,
            monitor,
            make_session_factory(direct_engine),
            tmp_path,
        )
        monitor.stop()
        engine.dispose()
        direct_engine.dispose()


def _wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@postgresql_only
def test_a_run_stopped_by_a_refused_database_ends_at_the_next_tick_after_it_returns(
    outage: Outage,
) -> None:
    source = PagedSource(hold_at_page=2)
    sync = outage.orchestrator(source, ending_retry_delays=(0.1, 0.1))
    outage.start_run(sync, source)

    outage.proxy.refusing()
    source.release.set()
    _wait_until(lambda: not sync.running_here, 10)
    time.sleep(0.5)  # the run's own attempts to record its end are over
    assert outage.run().status == "running"  # the database never took the ending

    outage.proxy.resume()
    _wait_until(lambda: outage.monitor.available, 5)
    scheduler = _scheduler(sync, outage.factory, outage.url, outage.tmp_path)
    scheduler.run_pending()
    scheduler.stop()
    sync.shutdown()

    run = outage.run()
    assert (run.status, run.error_code) == ("failed", "database_unavailable")
    assert run.error_message is not None
    assert "The database stopped answering during the sync" in run.error_message
    assert run.items == 100  # the first page was saved, and counted


@postgresql_only
def test_a_run_stopped_by_a_hung_database_ends_database_unavailable_once_it_returns(
    outage: Outage,
) -> None:
    source = PagedSource(hold_at_page=2)
    # Long enough retries that the database comes back while the run still tries.
    sync = outage.orchestrator(source, ending_retry_delays=(0.5, 1.0, 2.0, 4.0))
    outage.start_run(sync, source)

    outage.proxy.hanging()
    source.release.set()
    _wait_until(lambda: not outage.monitor.available, 5)
    time.sleep(1.0)
    assert outage.run().status == "running"
    outage.proxy.resume()
    _wait_until(lambda: outage.run().status != "running", 10)  # no scheduler: the run did
    sync.shutdown()

    run = outage.run()
    assert (run.status, run.error_code) == ("failed", "database_unavailable")


@postgresql_only
def test_sync_work_has_its_own_statement_timeout(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        database_statement_timeout_seconds=7, database_sync_statement_timeout_seconds=123
    )
    for purpose, expected in (("api", "7s"), ("sync", "123s")):
        engine = make_engine(settings, purpose=purpose)  # type: ignore[arg-type]
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar() == expected
        engine.dispose()
