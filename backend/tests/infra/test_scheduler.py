"""The sync scheduler: the staggered schedule, one run per slot across replicas, takeover."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import TEST_DB, setup_admin
from tests.infra.scheduler_process import PROBE_TABLE
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.models import ScheduledJob
from veelocity.sync.leader import job_locks_for
from veelocity.sync.registry import SCHEDULE, Job, scheduled_jobs
from veelocity.sync.scheduler import JobContext, Scheduler

BACKEND = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def factory(make_settings: Callable[..., Settings]) -> Iterator[Any]:
    engine = make_engine(make_settings())
    yield make_session_factory(engine)
    engine.dispose()


def _scheduler(
    factory: Any, database_url: str, tmp_path: Path, jobs: list[Job], clock: Clock, owner: str
) -> Scheduler:
    return Scheduler(
        jobs,
        session_factory=factory,
        locks=job_locks_for(
            database_url, data_dir=tmp_path, lease_seconds=30, connect_timeout_seconds=5
        ),
        owner=owner,
        clock=clock,
    )


def test_the_schedule_is_the_contracts_staggered_one() -> None:
    assert [(e.name, e.interval, e.first_run_after) for e in SCHEDULE] == [
        ("github", timedelta(minutes=5), timedelta(0)),
        ("linear", timedelta(minutes=5), timedelta(minutes=2)),
        ("sentry", timedelta(minutes=5), timedelta(minutes=3)),
        ("cursor", timedelta(minutes=5), timedelta(minutes=4)),
        ("greptile", timedelta(minutes=5), timedelta(minutes=6)),
        ("fill_pr_details", timedelta(minutes=10), timedelta(minutes=8)),
    ]


def test_github_runs_at_start_and_the_others_follow_two_minutes_apart(
    factory: Any, database_url: str, tmp_path: Path
) -> None:
    runs: list[tuple[str, datetime]] = []
    clock = Clock()
    bodies = {e.name: (lambda c: runs.append((c.name, clock.now))) for e in SCHEDULE}
    scheduler = _scheduler(factory, database_url, tmp_path, scheduled_jobs(bodies), clock, "a")
    for _ in range(12 * 60 // 15):  # twelve minutes in 15-second steps
        scheduler.run_pending()
        clock.advance(seconds=15)
    scheduler.stop()
    minutes = [(name, (at - START).total_seconds() / 60) for name, at in runs]
    assert minutes == [
        ("github", 0),
        ("linear", 2),
        ("sentry", 3),
        ("cursor", 4),
        ("github", 5),
        ("greptile", 6),
        ("linear", 7),
        ("sentry", 8),
        ("fill_pr_details", 8),
        ("cursor", 9),
        ("github", 10),
        ("greptile", 11),
    ]


def test_a_second_replica_does_not_repeat_a_slot_the_first_has_run(
    factory: Any, database_url: str, tmp_path: Path
) -> None:
    runs: list[str] = []
    clock = Clock()
    job = Job("github", timedelta(minutes=5), timedelta(0), lambda c: runs.append(c.name))
    first = _scheduler(factory, database_url, tmp_path, [job], clock, "first")
    second = _scheduler(factory, database_url, tmp_path, [job], clock, "second")
    first.run_pending()
    second.run_pending()
    clock.advance(minutes=4)
    second.run_pending()
    assert runs == ["github"]
    clock.advance(minutes=1)
    second.run_pending()
    first.run_pending()
    assert runs == ["github", "github"]
    with factory() as session:
        row = session.get(ScheduledJob, "github")
        assert row.last_owner == "second"
        assert row.last_slot_at == START + timedelta(minutes=5)
    first.stop()
    second.stop()


def test_a_failing_job_is_recorded_and_keeps_its_schedule(
    factory: Any, database_url: str, tmp_path: Path
) -> None:
    clock = Clock()
    attempts: list[datetime] = []

    def broken(context: JobContext) -> None:
        attempts.append(context.slot_at)
        raise RuntimeError("upstream said no\nsecond line")

    scheduler = _scheduler(
        factory,
        database_url,
        tmp_path,
        [Job("github", timedelta(minutes=5), timedelta(0), broken)],
        clock,
        "a",
    )
    scheduler.run_pending()
    with factory() as session:
        row = session.get(ScheduledJob, "github")
        assert (row.last_status, row.last_error) == ("failed", "RuntimeError: upstream said no")
        assert row.last_finished_at == START
    clock.advance(minutes=5)
    scheduler.run_pending()
    scheduler.stop()
    assert attempts == [START, START + timedelta(minutes=5)]


def test_slots_missed_while_nothing_ran_are_run_once_not_caught_up(
    factory: Any, database_url: str, tmp_path: Path
) -> None:
    clock = Clock()
    runs: list[datetime] = []
    job = Job("github", timedelta(minutes=5), timedelta(0), lambda c: runs.append(c.slot_at))
    scheduler = _scheduler(factory, database_url, tmp_path, [job], clock, "a")
    scheduler.run_pending()
    clock.advance(hours=1, seconds=7)
    scheduler.run_pending()
    scheduler.run_pending()
    scheduler.stop()
    assert runs == [START, clock.now]


def test_status_reports_the_running_scheduler_and_every_job(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    headers = setup_admin(client)
    scheduler = client.get("/api/v1/status", headers=headers).json()["scheduler"]
    assert scheduler["running"] is True
    assert [job["name"] for job in scheduler["jobs"]] == [e.name for e in SCHEDULE]
    github = scheduler["jobs"][0]
    assert (github["interval_seconds"], github["first_run_after_seconds"]) == (300, 0)
    # The GitHub slot runs at start; with GitHub not set up it is skipped, not failed.
    assert github["last_status"] in (None, "running", "skipped")


def test_the_scheduler_can_be_left_to_workers(make_client: Callable[..., TestClient]) -> None:
    client = make_client(scheduler_enabled=False)
    headers = setup_admin(client)
    assert client.get("/api/v1/status", headers=headers).json()["scheduler"]["running"] is False


def test_the_worker_command_runs_until_sigterm(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VEELOCITY_DATA_DIR": str(tmp_path),
        "DEBUG": "true",
        "LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "veelocity", "worker"],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        for line in process.stdout:
            if "scheduler started" in line or time.monotonic() > deadline:
                break
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "scheduler stopped" in output


# --- several real processes on one database --------------------------------------------------


@contextmanager
def _replicas(
    database_url: str, tmp_path: Path, count: int, *, interval: float, duration: float, lease: int
) -> Iterator[dict[str, subprocess.Popen[str]]]:
    processes: dict[str, subprocess.Popen[str]] = {}
    env = {**os.environ, "PYTHONPATH": str(BACKEND)}
    try:
        for index in range(count):
            owner = f"replica-{index}"
            processes[owner] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.infra.scheduler_process",
                    database_url,
                    owner,
                    str(interval),
                    str(duration),
                    str(lease),
                    str(tmp_path / "data"),
                ],
                cwd=BACKEND,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        for process in processes.values():
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        yield processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _runs(database_url: str) -> list[tuple[str, str, float, float | None]]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT slot, owner, started_at, finished_at FROM probe_run ORDER BY started_at")
        ).all()
    engine.dispose()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def probe_table(database_url: str) -> Iterator[None]:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(PROBE_TABLE))
    yield
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE probe_run"))
    engine.dispose()


def _assert_each_slot_ran_once_without_overlap(
    runs: list[tuple[str, str, float, float | None]], interval: float
) -> None:
    slots = [slot for slot, *_ in runs]
    assert len(slots) == len(set(slots)), "a slot ran twice"
    times = sorted(datetime.fromisoformat(slot) for slot in slots)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval - 0.001
    finished = [(start, end) for _, _, start, end in runs if end is not None]
    for (_, end), (start, _) in itertools.pairwise(finished):
        assert start >= end, "two runs of the job overlapped"


@pytest.mark.usefixtures("probe_table")
def test_three_replicas_run_each_slot_once_and_take_over_from_a_killed_holder(
    database_url: str, tmp_path: Path
) -> None:
    interval, duration = 0.5, 0.4
    with _replicas(database_url, tmp_path, 3, interval=interval, duration=duration, lease=5) as ps:
        _wait_for(lambda: len(_runs(database_url)) >= 8, 30, "eight runs")
        # Kill the replica while it is inside a run, holding the job's lock.
        holder = _wait_for(
            lambda: next((r[1] for r in _runs(database_url) if r[3] is None), None),
            10,
            "a run in progress",
        )
        ps[holder].send_signal(signal.SIGKILL)
        ps[holder].wait(timeout=10)
        killed_at = time.time()
        after = _wait_for(
            lambda: (
                [r for r in _runs(database_url) if r[2] > killed_at and r[1] != holder][:6]
                if len([r for r in _runs(database_url) if r[2] > killed_at]) >= 6
                else None
            ),
            30,
            "six runs after the kill",
        )
    runs = _runs(database_url)
    assert len(runs) >= 14
    assert len({owner for _, owner, _, _ in runs}) >= 2
    assert holder not in {owner for _, owner, _, _ in after}
    assert after[0][2] - killed_at < 2 * interval + 1.0, "no takeover within one interval"
    _assert_each_slot_ran_once_without_overlap(runs, interval)


@pytest.mark.skipif(TEST_DB != "postgresql", reason="the lease belongs to PostgreSQL locks")
@pytest.mark.usefixtures("probe_table")
def test_a_frozen_holder_blocks_the_job_until_its_lease_ends(
    database_url: str, tmp_path: Path
) -> None:
    # The holder's lock session goes idle when it is frozen; PostgreSQL ends it between
    # `lease - heartbeat` and `lease` seconds later (the heartbeat is every second).
    interval, duration, lease = 0.5, 1.0, 3
    replicas = _replicas(
        database_url, tmp_path, 2, interval=interval, duration=duration, lease=lease
    )
    with replicas as ps:
        _wait_for(lambda: len(_runs(database_url)) >= 3, 30, "three runs")
        holder = _wait_for(
            lambda: next((r[1] for r in _runs(database_url) if r[3] is None), None),
            10,
            "a run in progress",
        )
        os.kill(ps[holder].pid, signal.SIGSTOP)
        stopped_at = time.time()
        time.sleep(lease - 1.5)
        assert [r for r in _runs(database_url) if r[2] > stopped_at] == [], (
            "another replica ran the job while the frozen holder still had its lock"
        )
        taken = _wait_for(
            lambda: [r for r in _runs(database_url) if r[2] > stopped_at],
            lease + 10,
            "a takeover after the lease",
        )
        assert taken[0][1] != holder
        assert taken[0][2] - stopped_at >= lease - 1.2
        os.kill(ps[holder].pid, signal.SIGCONT)
        time.sleep(1)
    runs = _runs(database_url)
    slots = [slot for slot, *_ in runs]
    assert len(slots) == len(set(slots)), "a slot ran twice"
