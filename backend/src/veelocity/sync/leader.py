"""Job locks: at most one process runs a given job at any moment, across every replica.

PostgreSQL: a session-level advisory lock per job name, taken with `pg_try_advisory_lock` on
a dedicated connection (outside the pool) that is held for the whole run. When the holder
dies (SIGKILL, out of memory, a lost node) its connection closes and PostgreSQL releases the
lock. A holder that freezes instead (SIGSTOP, a paused VM) keeps its connection open, so the
lock connection also sets `idle_session_timeout` and sends a heartbeat while the job runs:
a frozen holder stops sending it, PostgreSQL ends that session after the lease, and another
replica can take the job over.

Session-level locks need a direct connection: behind PgBouncer in transaction-pooling mode
point DATABASE_URL at PostgreSQL itself, or run the scheduler in one process only.

SQLite: an exclusive `flock` on one file per job in the data directory; the kernel releases
it when the process dies. Every process must run on the host that has the database file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from veelocity.core.logging import get_logger

log = get_logger("veelocity.sync.leader")


class JobLock(Protocol):
    def still_held(self) -> bool:
        """False once the lock is known to be lost (its session was ended)."""

    def release(self) -> None: ...


class JobLocks(Protocol):
    def try_acquire(self, name: str) -> JobLock | None:
        """The lock for this job, or None when another process holds it."""

    def close(self) -> None: ...


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key per job name (the same in every replica and release)."""
    digest = hashlib.sha256(f"veelocity.job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresJobLock:
    def __init__(self, connection: Connection, key: int, heartbeat_seconds: float) -> None:
        self._connection = connection
        self._key = key
        self._mutex = threading.Lock()
        self._lost = False
        self._stop = threading.Event()
        self._heartbeat = threading.Thread(
            target=self._beat, args=(heartbeat_seconds,), name="veelocity-job-lock", daemon=True
        )
        self._heartbeat.start()

    def _ping(self) -> bool:
        with self._mutex:
            if self._lost:
                return False
            try:
                self._connection.execute(text("SELECT 1"))
            except SQLAlchemyError:
                self._lost = True
                log.warning("lost a job lock: its database session ended")
            return not self._lost

    def _beat(self, every: float) -> None:
        while not self._stop.wait(every):
            if not self._ping():
                return

    def still_held(self) -> bool:
        return self._ping()

    def release(self) -> None:
        self._stop.set()
        self._heartbeat.join(timeout=5)
        with self._mutex:
            try:
                if not self._lost:
                    self._connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                    )
            except SQLAlchemyError:
                pass  # closing the session below releases it anyway
            finally:
                with contextlib.suppress(SQLAlchemyError):  # a lost connection is closed already
                    self._connection.close()


class PostgresJobLocks:
    """Advisory locks on connections of their own, so closing one really ends its session."""

    def __init__(
        self,
        url: str,
        *,
        lease_seconds: int,
        connect_timeout_seconds: int,
        connect_args: dict[str, Any] | None = None,
    ) -> None:
        self.engine: Engine = create_engine(
            make_url(url),
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "connect_timeout": connect_timeout_seconds,
                **(connect_args or {}),
                "application_name": "veelocity-job-lock",
            },
        )
        self._lease_ms = lease_seconds * 1000
        self._heartbeat_seconds = max(1.0, lease_seconds / 4)

    def try_acquire(self, name: str) -> JobLock | None:
        key = advisory_key(name)
        connection = self.engine.connect()
        try:
            # A session idle for longer than the lease (its process frozen) is ended by the
            # server, which frees the lock. The heartbeat keeps a live holder's session busy.
            connection.execute(text(f"SET idle_session_timeout = {int(self._lease_ms)}"))
            acquired = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
            ).scalar_one()
        except BaseException:
            connection.close()
            raise
        if not acquired:
            connection.close()
            return None
        return PostgresJobLock(connection, key, self._heartbeat_seconds)

    def close(self) -> None:
        self.engine.dispose()


class FileJobLock:
    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def still_held(self) -> bool:
        return True  # only the death of this process releases it

    def release(self) -> None:
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            os.close(self._descriptor)


class FileJobLocks:
    """One lock file per job under DIRECTORY (for SQLite, next to the database)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def try_acquire(self, name: str) -> JobLock | None:
        self._directory.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        descriptor = os.open(self._directory / f"{safe}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
        return FileJobLock(descriptor)

    def close(self) -> None:
        pass


def job_locks_for(
    url: str,
    *,
    data_dir: Path,
    lease_seconds: int,
    connect_timeout_seconds: int,
    connect_args: dict[str, Any] | None = None,
) -> JobLocks:
    """Advisory locks on PostgreSQL; lock files beside the SQLite database otherwise.
    CONNECT_ARGS are more libpq options for the lock connections (keepalives)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return PostgresJobLocks(
            url,
            lease_seconds=lease_seconds,
            connect_timeout_seconds=connect_timeout_seconds,
            connect_args=connect_args,
        )
    database = parsed.database
    if database and database != ":memory:":
        # Every process that opens this database file finds the same lock files.
        return FileJobLocks(Path(database).resolve().parent / "locks")
    return FileJobLocks(data_dir / "locks")
