"""Runs the registered jobs on their schedule, each slot exactly once across replicas.

Every process (each web worker unless SCHEDULER_ENABLED=false, and each `veelocity worker`)
runs a Scheduler. For a job that looks due, a scheduler:

1. takes the job's lock (`leader.py`); if another process holds it, it tries again later;
2. reads the job's row in `scheduled_job`: the next slot is the last claimed slot plus the
   interval (or, before the first run ever, this process's start plus the job's offset);
3. if that slot has come, claims it by writing it to the row and committing, then runs the
   job, records how it ended and releases the lock.

Claiming under the lock, before running, is what makes each slot run once: a process that
gets the lock next sees the slot taken. A holder killed mid-run has still claimed its slot,
so the slot is not repeated; the next slot goes to whichever process takes the lock then.
Slots missed while nothing ran (every process down) are not caught up one by one: the job
runs once, now, and its schedule continues from there.

Every few seconds, whatever is due, a pass also calls `on_tick` (the sync runs' recovery:
endings a database outage kept from being written, runs whose process died).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.logging import get_logger
from veelocity.core.time import utcnow
from veelocity.models import ScheduledJob
from veelocity.sync.leader import JobLocks
from veelocity.sync.registry import Job, ScheduleEntry

log = get_logger("veelocity.sync.scheduler")


@dataclass(frozen=True)
class JobContext:
    """What a job body gets for one slot."""

    name: str
    slot_at: datetime
    session_factory: sessionmaker[Session]
    #: False once this process has lost the job's lock (it was frozen past the lease);
    #: a long job checks it between pages and stops.
    still_leader: Callable[[], bool]


@dataclass(frozen=True)
class JobState:
    name: str
    interval_seconds: float
    first_run_after_seconds: float
    registered: bool
    running_here: bool
    last_slot_at: datetime | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_status: str | None
    last_error: str | None
    last_owner: str | None
    next_run_at: datetime | None


class SlotSkipped(Exception):
    """Raised by a job body with nothing to do in this slot (its source is not set up)."""


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _error_text(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else 'no details'}"[:500]


class Scheduler:
    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        session_factory: sessionmaker[Session],
        locks: JobLocks,
        owner: str | None = None,
        poll_seconds: float = 1.0,
        lock_retry_seconds: float = 15.0,
        clock: Callable[[], datetime] = utcnow,
        on_tick: Callable[[], None] | None = None,
        tick_seconds: float = 5.0,
    ) -> None:
        self.jobs = list(jobs)
        self.owner = owner or default_owner()
        self._session_factory = session_factory
        self._locks = locks
        self._poll = poll_seconds
        self._lock_retry = timedelta(seconds=lock_retry_seconds)
        self._clock = clock
        self._started_at = clock()
        self._first_due = {job.name: self._started_at + job.first_run_after for job in jobs}
        self._next_due = dict(self._first_due)
        self._running: set[str] = set()
        self._on_tick = on_tick
        self._tick_every = timedelta(seconds=tick_seconds)
        self._last_tick: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- state ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def running_jobs(self) -> set[str]:
        return set(self._running)

    def next_due(self, name: str) -> datetime | None:
        """When this process will next look at job NAME (None when it does not run it)."""
        return self._next_due.get(name)

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        """Run in a background thread (the web process)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_until_stopped, name="veelocity-scheduler", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end; a job in progress finishes first (up to `timeout`)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
        self._locks.close()

    def request_stop(self) -> None:
        self._stop.set()

    def run_until_stopped(self) -> None:
        """Run in the calling thread until stop() (the worker process)."""
        log.info("scheduler started", owner=self.owner, jobs=[job.name for job in self.jobs])
        while not self._stop.is_set():
            wait = self.run_pending()
            self._stop.wait(wait)
        log.info("scheduler stopped", owner=self.owner)

    # --- one pass -----------------------------------------------------------------------
    def run_pending(self) -> float:
        """Run every job that looks due; return how long to wait before the next pass."""
        self._tick()
        for job in self.jobs:
            if self._stop.is_set():
                break
            if self._clock() >= self._next_due[job.name]:
                try:
                    self._attempt(job)
                except Exception as exc:  # the database is away: try again later
                    log.warning("scheduler pass failed", job=job.name, error=_error_text(exc))
                    self._next_due[job.name] = self._clock() + min(job.interval, self._lock_retry)
        if not self.jobs:
            return self._poll
        soonest = min(self._next_due.values())
        return max(0.05, min(self._poll, (soonest - self._clock()).total_seconds()))

    def _tick(self) -> None:
        now = self._clock()
        if self._on_tick is None or (
            self._last_tick is not None and now - self._last_tick < self._tick_every
        ):
            return
        self._last_tick = now
        try:
            self._on_tick()
        except Exception as exc:  # the database is still away: the next tick tries again
            log.warning("scheduler tick failed", error=_error_text(exc))

    def _due(self, job: Job, row: ScheduledJob | None, now: datetime) -> datetime:
        if row is None:
            return self._first_due[job.name]
        if row.last_slot_at > now + job.interval:
            return now  # the clock went back past the last slot: do not wait for it to return
        return row.last_slot_at + job.interval

    def _attempt(self, job: Job) -> None:
        lock = self._locks.try_acquire(job.name)
        if lock is None:
            # Another process is running this job; look again a little later.
            self._next_due[job.name] = self._clock() + min(job.interval, self._lock_retry)
            return
        try:
            now = self._clock()
            with self._session_factory.begin() as session:
                row = session.get(ScheduledJob, job.name)
                due = self._due(job, row, now)
                if now < due:
                    self._next_due[job.name] = due
                    return
                slot = due if now - due < job.interval else now
                if row is None:
                    row = ScheduledJob(name=job.name)
                    session.add(row)
                row.last_slot_at = slot
                row.last_started_at = now
                row.last_finished_at = None
                row.last_status = "running"
                row.last_error = None
                row.last_owner = self.owner
            self._next_due[job.name] = slot + job.interval
            self._run(job, slot, lock.still_held)
        finally:
            lock.release()

    def _run(self, job: Job, slot: datetime, still_leader: Callable[[], bool]) -> None:
        log.info("job started", job=job.name, slot_at=slot.isoformat(), owner=self.owner)
        self._running.add(job.name)
        status, error = "succeeded", None
        try:
            job.body(
                JobContext(
                    name=job.name,
                    slot_at=slot,
                    session_factory=self._session_factory,
                    still_leader=still_leader,
                )
            )
        except SlotSkipped as exc:
            status = "skipped"
            log.info("job skipped", job=job.name, reason=str(exc))
        except Exception as exc:  # recorded on the job's row and logged, never swallowed
            status, error = "failed", _error_text(exc)
            log.error("job failed", job=job.name, error=error)
        finally:
            self._running.discard(job.name)
        with self._session_factory.begin() as session:
            row = session.get(ScheduledJob, job.name)
            if row is not None and row.last_slot_at == slot and row.last_owner == self.owner:
                row.last_finished_at = self._clock()
                row.last_status = status
                row.last_error = error
        log.info("job finished", job=job.name, status=status)


def read_job_states(
    session: Session,
    schedule: Sequence[ScheduleEntry],
    registered: set[str],
    running_here: set[str],
) -> list[JobState]:
    """Each job of the schedule with what the shared `scheduled_job` rows say about it."""
    rows = {row.name: row for row in session.scalars(select(ScheduledJob))}
    states = []
    for entry in schedule:
        row = rows.get(entry.name)
        states.append(
            JobState(
                name=entry.name,
                interval_seconds=entry.interval.total_seconds(),
                first_run_after_seconds=entry.first_run_after.total_seconds(),
                registered=entry.name in registered,
                running_here=entry.name in running_here,
                last_slot_at=row.last_slot_at if row else None,
                last_started_at=row.last_started_at if row else None,
                last_finished_at=row.last_finished_at if row else None,
                last_status=row.last_status if row else None,
                last_error=row.last_error if row else None,
                last_owner=row.last_owner if row else None,
                next_run_at=row.last_slot_at + entry.interval
                if row and entry.name in registered
                else None,
            )
        )
    return states
