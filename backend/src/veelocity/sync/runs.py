"""Sync runs: queueing, running under the job's lock, progress, cancelling, and recovery.

Every sync, scheduled or asked for, is a SyncRun row that moves through
`queued → running → succeeded | failed | cancelled | budget_exhausted`:

- A manual run (API, CLI) is queued, then run by a thread of the process that queued it as
  soon as it holds the job's lock: the same lock the scheduler takes (`leader.py`), so a job
  never runs twice at once, in one process or across replicas.
- A scheduled slot runs under the lock the scheduler already holds; if a manual run of the
  job is waiting in the queue, the slot runs that one instead of starting a second.
- While it runs, its figures and a heartbeat are written to the row (`progress.py`); a cancel
  is a flag on the row that the sync sees between pages (`SourceRunContext.check_continue`).
- A run whose process died (no heartbeat for a lock lease, or its owner process is gone) is
  marked failed, so it never blocks new runs; the next run resumes from the checkpoints.
- A run stopped by a database outage ends `failed` with `database_unavailable`. When even
  that cannot be written (the database is still away), the process keeps the ending and
  writes it on a later scheduler tick (`recover`), so the run never stays `running`.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.config import Settings
from veelocity.core.db_monitor import is_database_outage
from veelocity.core.errors import Conflict, NotFound
from veelocity.core.logging import get_logger
from veelocity.core.security.crypto import SecretCipher
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.models import SyncRun
from veelocity.sync.catalogue import SyncCatalogue, SyncJob
from veelocity.sync.context import (
    BudgetExhausted,
    SourceRunContext,
    SyncCancelled,
    SyncError,
)
from veelocity.sync.leader import JobLock, JobLocks, advisory_key
from veelocity.sync.progress import RunProgress
from veelocity.sync.readiness import missing_settings, not_configured_message, source_title
from veelocity.sync.registry import SCHEDULE, JobBody, ScheduleEntry
from veelocity.sync.scheduler import JobContext, SlotSkipped

log = get_logger("veelocity.sync.runs")

ACTIVE = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled", "budget_exhausted")
TRIGGERS = ("schedule", "startup", "api", "cli")


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "no details"


class ScheduledRunFailed(Exception):
    """A scheduled run did not succeed; the scheduler records this on the job's row."""


@dataclass(frozen=True)
class Outcome:
    status: str
    error_code: str | None = None
    error_message: str | None = None
    error_resets_at: datetime | None = None


def database_unavailable(exc: BaseException | None) -> Outcome:
    """The outcome of a run the database stopped: what it saved is kept."""
    cause = f" ({type(exc).__name__}: {_first_line(exc)[:200]})" if exc is not None else ""
    return Outcome(
        "failed",
        "database_unavailable",
        f"The database stopped answering during the sync{cause}; what was saved is kept and "
        "the next run continues where this one stopped.",
    )


@dataclass(frozen=True)
class _Ending:
    """How a run ended, kept until the database takes it."""

    values: dict[str, object]
    only_if_status: tuple[str, ...] | None


#: Waits between attempts to record how a run ended, before leaving it to `recover`.
ENDING_RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0)


@dataclass(frozen=True)
class TriggeredRun:
    run: SyncRun
    #: False when the job already had a queued or running run, which is returned instead
    created: bool


def _owner_alive(owner: str | None, me: str, active_here: set[int], run_id: int) -> bool | None:
    """Whether OWNER (host:pid) still runs this run: known for processes of this host, None
    (unknown: only the heartbeat tells) for other hosts."""
    if not owner or ":" not in owner:
        return None
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname():
        return None
    if owner == me:
        return run_id in active_here  # this process does not know the run: a previous life
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True  # it exists, under another user
    return True


class SyncOrchestrator:
    """Creates, runs and cancels sync runs for one process."""

    def __init__(
        self,
        catalogue: SyncCatalogue,
        *,
        session_factory: sessionmaker[Session],
        settings: Settings,
        cipher: SecretCipher | None,
        locks: JobLocks,
        owner: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        flush_seconds: float = 0.5,
        lock_poll_seconds: float = 1.0,
        database_available: Callable[[], bool] = lambda: True,
        ending_retry_delays: Sequence[float] = ENDING_RETRY_DELAYS,
    ) -> None:
        self.catalogue = catalogue
        self.owner = owner or process_owner()
        self._factory = session_factory
        self._settings = settings
        self._cipher = cipher
        self._locks = locks
        self._clock = clock
        self._flush_seconds = flush_seconds
        self._lock_poll_seconds = lock_poll_seconds
        #: Asked when a run lost its job's lock: did the database go away?
        self._database_available = database_available
        self._ending_retry_delays = tuple(ending_retry_delays)
        #: endings the database did not take yet, by run id (written by `recover`)
        self._unrecorded: dict[int, _Ending] = {}
        lease = settings.scheduler_lock_lease_seconds
        #: A live run writes its heartbeat four times per lease; one silent for a whole
        #: lease belongs to a process that died or froze (which also lost the job's lock).
        self.heartbeat_seconds = max(1.0, lease / 4)
        self.stale_after = timedelta(seconds=lease)
        self.started_at = clock()
        self._stopping = threading.Event()
        self._threads: dict[int, threading.Thread] = {}
        self._active_here: set[int] = set()
        self._queued_here: set[int] = set()
        self._mutex = threading.Lock()

    # --- asking for runs ----------------------------------------------------------------
    def trigger(
        self,
        session: Session,
        *,
        source: str | None,
        trigger: str,
        requested_by: str | None,
    ) -> list[TriggeredRun]:
        """Queue a run of SOURCE (or of every configured source), or return the one already
        queued or running. Raises NotFound (no such source) or Conflict (not configured).
        The caller commits, then calls `start_in_background` (or `run_queued`)."""
        if trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {trigger!r}")
        if source is None:
            jobs = []
            for name in self.catalogue.sources:
                job = self.catalogue.on_demand_job(name)
                if job is not None and not missing_settings(session, self._cipher, name):
                    jobs.append(job)
            if not jobs:
                raise Conflict(
                    "No source is configured to sync yet: set GitHub's token and its "
                    "organizations or repositories in Settings → GitHub."
                )
        else:
            job = self.catalogue.on_demand_job(source)
            if job is None:
                known = source in {name.value for name in SourceName}
                raise NotFound(
                    f"Veelocity cannot sync {source_title(source)} yet."
                    if known
                    else f"There is no source named {source!r}; sources that sync: "
                    f"{', '.join(self.catalogue.sources) or 'none'}."
                )
            missing = missing_settings(session, self._cipher, source)
            if missing:
                raise Conflict(not_configured_message(source, missing))
            jobs = [job]
        return [self._queue(session, job, trigger, requested_by) for job in jobs]

    def _queue(
        self, session: Session, job: SyncJob, trigger: str, requested_by: str | None
    ) -> TriggeredRun:
        _serialise_on_job(session, job.name)
        self.fail_stale_runs(session)
        existing = session.scalar(
            select(SyncRun)
            .where(SyncRun.job == job.name, SyncRun.status.in_(ACTIVE))
            .order_by(SyncRun.id)
            .limit(1)
        )
        if existing is not None:
            return TriggeredRun(existing, created=False)
        now = self._clock()
        run = SyncRun(
            source=job.source,
            job=job.name,
            trigger=trigger,
            status="queued",
            requested_by=requested_by,
            owner=self.owner,
            created_at=now,
            heartbeat_at=now,
            cancel_requested=False,
            items=0,
            requests_used=0,
            streams={},
        )
        session.add(run)
        session.flush()
        with self._mutex:
            self._queued_here.add(run.id)  # so this process never takes it for a dead one
        log.info("sync queued", run_id=run.id, job=job.name, trigger=trigger)
        return TriggeredRun(run, created=True)

    def start_in_background(self, run_ids: Sequence[int]) -> None:
        """Run each queued run in a thread of this process (after the queueing commit)."""
        for run_id in run_ids:
            thread = threading.Thread(
                target=self._run_queued_logged,
                args=(run_id,),
                name=f"veelocity-sync-{run_id}",
                daemon=True,
            )
            with self._mutex:
                self._threads[run_id] = thread
            thread.start()

    def _run_queued_logged(self, run_id: int) -> None:
        try:
            self.run_queued(run_id)
        except Exception as exc:  # the thread's last resort (the database went away)
            log.error(
                "sync run thread failed",
                run_id=run_id,
                traceback="".join(traceback.format_exception(exc)),
            )
            with self._mutex:
                decided = run_id in self._unrecorded
            if decided:
                return  # the run's own ending waits to be written; it is the true one
            if is_database_outage(exc):
                outcome = database_unavailable(exc)
            else:
                outcome = Outcome(
                    "failed",
                    "internal_error",
                    f"The sync could not run ({type(exc).__name__}: {_first_line(exc)[:300]}).",
                )
            # It was queued or already running: whichever it is, it ends now.
            self._finish(run_id, outcome, only_if_status=ACTIVE)
        finally:
            with self._mutex:
                self._threads.pop(run_id, None)
                # No thread runs it any more: if it is still open, the stale check may end it.
                self._queued_here.discard(run_id)

    def run_queued(self, run_id: int) -> str | None:
        """Wait for the job's lock, then run this queued run. Returns its final status, or
        None when another process ran it (it adopted the run) or it ended while waiting."""
        with self._factory() as session:
            run = session.get(SyncRun, run_id)
            if run is None:
                raise NotFound(f"There is no sync run {run_id}.")
            job = self.catalogue.jobs.get(run.job)
        if job is None:
            self._finish(run_id, Outcome("failed", "not_supported", "No sync for this job."))
            return "failed"
        lock = self._wait_for_lock(run_id, job.name)
        if lock is None:
            return None
        try:
            if not self._claim(run_id):
                return None
            return self._execute(run_id, job, lock.still_held).status
        finally:
            lock.release()

    def _wait_for_lock(self, run_id: int, job: str) -> JobLock | None:
        last_beat = 0.0
        waited = 0.0
        while True:
            lock = self._locks.try_acquire(job)
            if lock is not None:
                return lock
            if waited - last_beat >= self.heartbeat_seconds or waited == 0.0:
                last_beat = waited
                with self._factory.begin() as session:
                    run = session.get(SyncRun, run_id)
                    if run is None or run.status != "queued":
                        return None
                    run.heartbeat_at = self._clock()
            if self._stopping.wait(self._lock_poll_seconds):
                self._finish(
                    run_id,
                    Outcome(
                        "failed",
                        "interrupted",
                        "Veelocity stopped before this run could start; start it again.",
                    ),
                    only_if_status="queued",
                )
                return None
            waited += self._lock_poll_seconds

    def _claim(self, run_id: int) -> bool:
        """queued → running, atomically: only one process ever runs a queued run."""
        now = self._clock()
        with self._factory.begin() as session:
            claimed = session.scalar(
                update(SyncRun)
                .where(SyncRun.id == run_id, SyncRun.status == "queued")
                .values(status="running", started_at=now, heartbeat_at=now, owner=self.owner)
                .returning(SyncRun.id)
            )
        return claimed is not None

    # --- the schedule -------------------------------------------------------------------
    def job_bodies(self, schedule: Sequence[ScheduleEntry] = SCHEDULE) -> dict[str, JobBody]:
        """The scheduler's job bodies: each slot becomes a run, like a manual one."""
        offsets = {entry.name: entry.first_run_after for entry in schedule}
        bodies: dict[str, JobBody] = {}
        for job in self.catalogue.jobs.values():
            if job.name in offsets:
                bodies[job.name] = self._scheduled_body(job, offsets[job.name])
        return bodies

    def _scheduled_body(self, job: SyncJob, first_run_after: timedelta) -> JobBody:
        def body(context: JobContext) -> None:
            # A slot due within moments of this process's start runs because it started.
            at_startup = context.slot_at <= self.started_at + first_run_after + timedelta(seconds=5)
            run_id = self._adopt_or_create(job, "startup" if at_startup else "schedule")
            if run_id is None:
                raise SlotSkipped(f"{source_title(job.source)} is not configured")
            outcome = self._execute(run_id, job, context.still_leader)
            if outcome.status != "succeeded":
                raise ScheduledRunFailed(
                    f"{outcome.status}: {outcome.error_message or 'no details'}"
                )

        return body

    def _adopt_or_create(self, job: SyncJob, trigger: str) -> int | None:
        """Under the job's lock: run the oldest queued run of the job, or start a new one
        (None when the source is not configured: a slot of an unused source is no run)."""
        with self._factory.begin() as session:
            self.fail_stale_runs(session)
            queued = session.scalars(
                select(SyncRun.id)
                .where(SyncRun.job == job.name, SyncRun.status == "queued")
                .order_by(SyncRun.id)
            ).all()
            missing = missing_settings(session, self._cipher, job.source)
        for run_id in queued:
            if self._claim(run_id):
                return run_id
        if missing:
            log.debug("scheduled sync skipped: source not configured", job=job.name)
            return None
        now = self._clock()
        with self._factory.begin() as session:
            run = SyncRun(
                source=job.source,
                job=job.name,
                trigger=trigger,
                status="running",
                owner=self.owner,
                created_at=now,
                started_at=now,
                heartbeat_at=now,
                cancel_requested=False,
                items=0,
                requests_used=0,
                streams={},
            )
            session.add(run)
            session.flush()
            return run.id

    # --- running ------------------------------------------------------------------------
    def _execute(self, run_id: int, job: SyncJob, still_leader: Callable[[], bool]) -> Outcome:
        reporter = RunProgress(
            self._factory,
            run_id,
            flush_seconds=self._flush_seconds,
            heartbeat_seconds=self.heartbeat_seconds,
            clock=self._clock,
        )
        context = SourceRunContext(
            session_factory=self._factory,
            settings=self._settings,
            cipher=self._cipher,
            reporter=reporter,
            run_id=run_id,
            still_leader=lambda: not self._stopping.is_set() and still_leader(),
        )
        with self._mutex:
            self._active_here.add(run_id)
        log.info("sync started", run_id=run_id, job=job.name)
        reporter.start()
        try:
            outcome = self._call(job, context, reporter)
        finally:
            reporter.stop()
            with self._mutex:
                self._active_here.discard(run_id)
        self._finish(run_id, outcome, progress=reporter)
        log.info(
            "sync finished",
            run_id=run_id,
            job=job.name,
            status=outcome.status,
            error_code=outcome.error_code,
        )
        return outcome

    def _call(self, job: SyncJob, context: SourceRunContext, reporter: RunProgress) -> Outcome:
        try:
            job.sync(context)
        except SyncCancelled as exc:
            if reporter.cancel_requested():
                return Outcome("cancelled")
            if not self._stopping.is_set() and not self._database_available():
                return database_unavailable(None)  # the job's lock went with the database
            reason = (
                "Veelocity was stopping"
                if self._stopping.is_set()
                else f"the run stopped early ({exc})"
            )
            return Outcome(
                "failed",
                "interrupted",
                f"{reason}; the next run continues where this one stopped.",
            )
        except BudgetExhausted as exc:
            return Outcome("budget_exhausted", exc.code, exc.message, exc.resets_at)
        except SyncError as exc:
            return Outcome("failed", exc.code, exc.message, exc.resets_at)
        except Exception as exc:  # recorded on the run and logged with its traceback
            if is_database_outage(exc):
                log.warning(
                    "sync stopped: the database is unavailable",
                    run_id=context.run_id,
                    job=job.name,
                    error=type(exc).__name__,
                )
                return database_unavailable(exc)
            # The traceback as plain text: a rich one would print local values (tokens).
            log.error(
                "sync failed unexpectedly",
                run_id=context.run_id,
                job=job.name,
                traceback="".join(traceback.format_exception(exc)),
            )
            return Outcome(
                "failed",
                "internal_error",
                f"The sync stopped on an unexpected error ({type(exc).__name__}: "
                f"{_first_line(exc)[:300]}); the next run continues where it stopped.",
            )
        return Outcome("succeeded")

    def _finish(
        self,
        run_id: int,
        outcome: Outcome,
        *,
        progress: RunProgress | None = None,
        only_if_status: str | tuple[str, ...] | None = None,
    ) -> None:
        now = self._clock()
        values: dict[str, object] = {
            "status": outcome.status,
            "finished_at": now,
            "heartbeat_at": now,
            "error_code": outcome.error_code,
            "error_message": outcome.error_message,
            "error_resets_at": outcome.error_resets_at,
        }
        if progress is not None:
            values.update(progress.snapshot().columns())
            values["current_stream"] = None
        if isinstance(only_if_status, str):
            only_if_status = (only_if_status,)
        ending = _Ending(values, only_if_status)
        for delay in (*self._ending_retry_delays, None):
            try:
                self._write_ending(run_id, ending)
                return
            except Exception as exc:  # the database is away: wait a little, then try again
                if not is_database_outage(exc):
                    raise
                if delay is None:
                    log.warning(
                        "could not record how a sync run ended; a later scheduler tick will",
                        run_id=run_id,
                        status=outcome.status,
                        error=type(exc).__name__,
                    )
                    with self._mutex:
                        self._unrecorded[run_id] = ending
                    return
                time.sleep(delay)

    def _write_ending(self, run_id: int, ending: _Ending) -> None:
        statement = update(SyncRun).where(SyncRun.id == run_id)
        if ending.only_if_status is not None:
            statement = statement.where(SyncRun.status.in_(ending.only_if_status))
        with self._factory.begin() as session:
            session.execute(statement.values(**ending.values))
        with self._mutex:
            self._queued_here.discard(run_id)
            self._unrecorded.pop(run_id, None)

    # --- cancelling ---------------------------------------------------------------------
    def cancel(self, session: Session, run_id: int) -> SyncRun:
        """Cancel a queued run at once, or ask a running one to stop at its next page."""
        run = session.get(SyncRun, run_id)
        if run is None:
            raise NotFound(f"There is no sync run {run_id}.")
        if run.status in FINISHED:
            raise Conflict(f"Sync run {run_id} already ended ({run.status}).")
        now = self._clock()
        session.execute(
            update(SyncRun)
            .where(SyncRun.id == run_id, SyncRun.status == "queued")
            .values(status="cancelled", cancel_requested=True, finished_at=now)
        )
        session.execute(
            update(SyncRun)
            .where(SyncRun.id == run_id, SyncRun.status == "running")
            .values(cancel_requested=True)
        )
        session.flush()
        session.refresh(run)
        log.info("sync cancel requested", run_id=run_id, status=run.status)
        return run

    # --- recovery -----------------------------------------------------------------------
    def recover(self) -> None:
        """Each scheduler tick: write the endings the database missed, then end the runs
        whose process is gone (not only when someone next asks for a sync)."""
        with self._mutex:
            unrecorded = dict(self._unrecorded)
        for run_id, ending in unrecorded.items():
            self._write_ending(run_id, ending)
            log.info("recorded how a sync run ended", run_id=run_id, status=ending.values["status"])
        with self._factory.begin() as session:
            self.fail_stale_runs(session)

    def fail_stale_runs(self, session: Session) -> int:
        """Mark failed the queued or running runs whose process is gone: a process of this
        host that no longer exists, or one elsewhere silent for a lease. Returns how many."""
        now = self._clock()
        cutoff = now - self.stale_after
        candidates = session.scalars(select(SyncRun).where(SyncRun.status.in_(ACTIVE))).all()
        with self._mutex:
            # A run whose ending waits to be written is not a dead process's.
            active_here = (
                self._active_here | self._queued_here | set(self._threads) | set(self._unrecorded)
            )
        failed = 0
        for run in candidates:
            last_sign = run.heartbeat_at or run.started_at or run.created_at
            alive = _owner_alive(run.owner, self.owner, active_here, run.id)
            # A process of this host is asked directly: on SQLite a long page write can
            # delay its heartbeat past the lease while it is still working.
            if alive or (alive is None and last_sign >= cutoff):
                continue
            run.status = "failed"
            run.finished_at = now
            run.current_stream = None
            run.error_code = "interrupted"
            run.error_message = (
                f"The process running this sync ({run.owner or 'unknown'}) stopped before it "
                "finished; the next run continues where it stopped."
            )
            failed += 1
            log.warning("marked a stale sync run failed", run_id=run.id, owner=run.owner)
        session.flush()
        return failed

    # --- lifecycle ----------------------------------------------------------------------
    @property
    def running_here(self) -> set[int]:
        with self._mutex:
            return set(self._active_here)

    def request_stop(self) -> None:
        """Runs of this process stop at their next page (the service is shutting down)."""
        self._stopping.set()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Ask this process's runs to stop at their next page and wait for them."""
        self._stopping.set()
        with self._mutex:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout=timeout)
        self._locks.close()


def _serialise_on_job(session: Session, job: str) -> None:
    """Hold a write lock for JOB until the caller's transaction ends, so two requests (in
    any process) never both see no active run and both queue one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(f"queue:{job}")}
        )
    else:
        # SQLite has one writer at a time: any write takes the database's write lock.
        session.execute(update(SyncRun).where(SyncRun.id == -1).values(status=SyncRun.status))


# --- reading runs ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RunPage:
    items: list[SyncRun]
    total: int
    page: int
    page_size: int


def list_runs(session: Session, *, source: str | None, page: int, page_size: int) -> RunPage:
    query = select(SyncRun)
    count = select(func.count()).select_from(SyncRun)
    if source:
        query = query.where(SyncRun.source == source)
        count = count.where(SyncRun.source == source)
    rows = session.scalars(
        query.order_by(SyncRun.created_at.desc(), SyncRun.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return RunPage(list(rows), session.scalar(count) or 0, page, page_size)


@dataclass(frozen=True)
class SourceRuns:
    current: SyncRun | None
    last: SyncRun | None
    last_success_at: datetime | None


def source_runs(session: Session, source: str) -> SourceRuns:
    """The source's active run (running before queued), its latest finished run, and when
    a run of it last succeeded."""
    active = session.scalars(
        select(SyncRun)
        .where(SyncRun.source == source, SyncRun.status.in_(ACTIVE))
        .order_by(SyncRun.status.desc(), SyncRun.id.desc())  # "running" sorts after "queued"
    ).first()
    last = session.scalars(
        select(SyncRun)
        .where(SyncRun.source == source, SyncRun.status.in_(FINISHED))
        .order_by(SyncRun.finished_at.desc(), SyncRun.id.desc())
        .limit(1)
    ).first()
    last_success_at = session.scalar(
        select(func.max(SyncRun.finished_at)).where(
            SyncRun.source == source, SyncRun.status == "succeeded"
        )
    )
    return SourceRuns(active, last, last_success_at)
