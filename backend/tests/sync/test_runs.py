"""Runs outside the API: scheduled slots, the queue, the job lock, stale runs, shutdown."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import setup_admin
from tests.sync.conftest import GITHUB_TOKEN
from tests.sync.sources import PagedSource, bad_credentials
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.security.crypto import SecretCipher
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.models import ScheduledJob, SyncRun
from veelocity.sync.catalogue import SyncCatalogue, SyncJob
from veelocity.sync.leader import job_locks_for
from veelocity.sync.registry import scheduled_jobs
from veelocity.sync.runs import SyncOrchestrator, process_owner
from veelocity.sync.scheduler import Scheduler

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    factory: sessionmaker[Session]
    settings: Settings
    cipher: SecretCipher
    clock: Clock
    tmp_path: Path

    def orchestrator(self, source: PagedSource, **kwargs: Any) -> SyncOrchestrator:
        return SyncOrchestrator(
            SyncCatalogue.of([SyncJob("github", "github", source)]),
            session_factory=self.factory,
            settings=self.settings,
            cipher=self.cipher,
            locks=self.locks(),
            clock=self.clock,
            flush_seconds=0.05,
            lock_poll_seconds=0.05,
            **kwargs,
        )

    def locks(self) -> Any:
        return job_locks_for(
            self.settings.sqlalchemy_url,
            data_dir=self.tmp_path,
            lease_seconds=self.settings.scheduler_lock_lease_seconds,
            connect_timeout_seconds=5,
        )

    def scheduler(self, sync: SyncOrchestrator) -> Scheduler:
        return Scheduler(
            scheduled_jobs(sync.job_bodies()),
            session_factory=self.factory,
            locks=self.locks(),
            owner="test",
            clock=self.clock,
        )

    def configure_github(self) -> None:
        with self.factory.begin() as session:
            update_source(
                session,
                self.cipher,
                SourceName.GITHUB,
                options={"organizations": ["acme"]},
                secrets={"token": GITHUB_TOKEN},
                actor_id=None,
            )

    def runs(self) -> list[SyncRun]:
        with self.factory() as session:
            return list(session.query(SyncRun).order_by(SyncRun.id))


@pytest.fixture
def world(make_settings: Callable[..., Settings], tmp_path: Path) -> Iterator[World]:
    settings = make_settings()
    engine = make_engine(settings)
    assert settings.veelocity_encryption_key is not None
    yield World(
        make_session_factory(engine),
        settings,
        SecretCipher(settings.veelocity_encryption_key),
        Clock(),
        tmp_path,
    )
    engine.dispose()


def test_scheduled_slots_are_runs_the_first_one_marked_startup(world: World) -> None:
    world.configure_github()
    source = PagedSource(pages=1)
    sync = world.orchestrator(source)
    scheduler = world.scheduler(sync)

    scheduler.run_pending()
    world.clock.advance(minutes=5)
    scheduler.run_pending()
    scheduler.stop()

    runs = world.runs()
    assert [(r.job, r.trigger, r.status, r.items) for r in runs] == [
        ("github", "startup", "succeeded", 200),
        ("github", "schedule", "succeeded", 200),
    ]
    assert runs[0].started_at == START
    assert runs[1].finished_at == START + timedelta(minutes=5)


def test_a_failed_scheduled_run_is_recorded_on_the_run_and_the_job(world: World) -> None:
    world.configure_github()
    source = PagedSource(fail_at_page=1, error=bad_credentials())
    scheduler = world.scheduler(world.orchestrator(source))

    scheduler.run_pending()
    scheduler.stop()

    [run] = world.runs()
    assert (run.status, run.error_code) == ("failed", "bad_credentials")
    with world.factory() as session:
        job = session.get(ScheduledJob, "github")
        assert job is not None
        assert job.last_status == "failed"
        assert "GitHub rejected the token" in (job.last_error or "")


def test_a_slot_of_an_unconfigured_source_is_no_run(world: World) -> None:
    source = PagedSource()
    scheduler = world.scheduler(world.orchestrator(source))

    scheduler.run_pending()
    scheduler.stop()

    assert world.runs() == []
    assert source.calls == 0
    with world.factory() as session:
        job = session.get(ScheduledJob, "github")
        assert job is not None
        assert (job.last_status, job.last_error) == ("skipped", None)


def test_a_slot_runs_the_queued_manual_run_instead_of_a_second_one(world: World) -> None:
    world.configure_github()
    source = PagedSource(pages=1)
    sync = world.orchestrator(source)
    with world.factory.begin() as session:
        [queued] = sync.trigger(session, source="github", trigger="cli", requested_by=None)
        run_id = queued.run.id
    scheduler = world.scheduler(sync)

    scheduler.run_pending()
    scheduler.stop()

    assert sync.run_queued(run_id) is None  # the slot ran it already
    [run] = world.runs()
    assert (run.id, run.trigger, run.status) == (run_id, "cli", "succeeded")
    assert source.calls == 1


def test_a_manual_run_waits_for_the_job_lock_held_elsewhere(world: World) -> None:
    world.configure_github()
    source = PagedSource(pages=1)
    sync = world.orchestrator(source)
    other_process = world.locks()
    held = other_process.try_acquire("github")
    assert held is not None
    with world.factory.begin() as session:
        [queued] = sync.trigger(session, source="github", trigger="api", requested_by=None)
    sync.start_in_background([queued.run.id])

    time.sleep(0.5)
    assert [r.status for r in world.runs()] == ["queued"]
    assert source.calls == 0
    held.release()
    deadline = time.monotonic() + 10
    while world.runs()[0].status != "succeeded":
        assert time.monotonic() < deadline, world.runs()[0].status
        time.sleep(0.05)
    sync.shutdown()
    other_process.close()


def test_a_queued_run_cancelled_before_it_starts_never_runs(world: World) -> None:
    world.configure_github()
    source = PagedSource()
    sync = world.orchestrator(source)
    with world.factory.begin() as session:
        [queued] = sync.trigger(session, source="github", trigger="api", requested_by=None)
    with world.factory.begin() as session:
        cancelled = sync.cancel(session, queued.run.id)
        assert cancelled.status == "cancelled"

    assert sync.run_queued(queued.run.id) is None
    assert source.calls == 0
    assert world.runs()[0].finished_at == START


def test_stopping_the_service_interrupts_a_run_at_its_next_page(world: World) -> None:
    world.configure_github()
    source = PagedSource(hold_at_page=2)
    sync = world.orchestrator(source)
    with world.factory.begin() as session:
        [queued] = sync.trigger(session, source="github", trigger="api", requested_by=None)
    sync.start_in_background([queued.run.id])
    assert source.reached_hold.wait(10)

    sync.shutdown()

    [run] = world.runs()
    assert (run.status, run.error_code) == ("failed", "interrupted")
    assert run.error_message is not None
    assert "continues where this one stopped" in run.error_message
    assert run.items == 100


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_runs_whose_process_is_gone_are_marked_failed_at_startup(
    make_settings: Callable[..., Settings], world: World
) -> None:
    now = datetime.now(UTC)
    host = process_owner().rpartition(":")[0]
    rows = {
        "silent elsewhere": ("otherhost:42", now - timedelta(minutes=5)),
        "alive elsewhere": ("otherhost:43", now),
        "dead here": (f"{host}:{_dead_pid()}", now),
    }
    with world.factory.begin() as session:
        for owner, heartbeat in rows.values():
            session.add(
                SyncRun(
                    source="github",
                    job="github",
                    trigger="schedule",
                    status="running",
                    owner=owner,
                    created_at=heartbeat,
                    started_at=heartbeat,
                    heartbeat_at=heartbeat,
                    cancel_requested=False,
                    items=10,
                    requests_used=1,
                    streams={},
                )
            )
    app_settings = make_settings(scheduler_enabled=False)
    from veelocity.app import create_app

    with TestClient(create_app(app_settings, sync_catalogue=SyncCatalogue())) as client:
        headers = setup_admin(client)
        runs = client.get("/api/v1/sync/runs", headers=headers).json()["items"]
        client.app.state.context.engine.dispose()  # type: ignore[attr-defined]

    by_id = {run["id"]: run for run in runs}
    assert by_id[1]["status"] == "failed"
    assert by_id[1]["error"]["code"] == "interrupted"
    assert "otherhost:42" in by_id[1]["error"]["message"]
    assert by_id[2]["status"] == "running"
    assert by_id[3]["status"] == "failed"


def test_progress_from_many_threads_adds_up(world: World) -> None:
    world.configure_github()

    def parallel(context: Any) -> None:
        def worker() -> None:
            for _ in range(200):
                context.reporter.progress(stream="pull_requests", items=1, requests=1)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    sync = SyncOrchestrator(
        SyncCatalogue.of([SyncJob("github", "github", parallel)]),
        session_factory=world.factory,
        settings=world.settings,
        cipher=world.cipher,
        locks=world.locks(),
        flush_seconds=0.01,
    )
    with world.factory.begin() as session:
        [queued] = sync.trigger(session, source="github", trigger="cli", requested_by=None)

    assert sync.run_queued(queued.run.id) == "succeeded"
    [run] = world.runs()
    assert (run.items, run.requests_used) == (800, 800)
    assert run.streams["pull_requests"]["items"] == 800
