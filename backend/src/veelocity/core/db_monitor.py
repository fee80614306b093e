"""Notices a database that stopped answering, and stops everyone from waiting for it.

A frozen PostgreSQL (a paused VM, SIGSTOP, a route that drops packets into a buffer) keeps
its TCP connections open and the kernel keeps accepting bytes, so neither libpq nor TCP
keepalives notice: a query simply waits for as long as the freeze lasts, and so do the
requests queued behind it for a pooled connection. The monitor sends `SELECT 1` on a
connection of its own, with a deadline. When an answer is late or the probe fails, it:

- marks the database unavailable, so the watched engines refuse new connections at once
  (`DatabaseUnavailable`: 503 `database_unavailable` with `Retry-After`) instead of each
  waiting out its connect timeout;
- shuts down the sockets of every connection those engines hold, so statements in flight
  and pool pings fail at once as disconnects, and SQLAlchemy invalidates the whole pool
  (stale connections are dropped together, not found one at a time);

and it keeps probing: the first answer marks the database available again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import NullPool

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, postgres_connect_args
from veelocity.core.errors import DatabaseUnavailable
from veelocity.core.logging import get_logger

log = get_logger("veelocity.core.db_monitor")

UNAVAILABLE_MESSAGE = "The database is not answering. Try again shortly."


def is_database_outage(exc: BaseException) -> bool:
    """Whether EXC says the database could not be used (gone, frozen, refusing, out of
    connections, a statement cut off by its timeout), as opposed to a bug in a query."""
    if isinstance(exc, DatabaseUnavailable | PoolTimeout | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def abort_connection(dbapi_connection: Any) -> None:
    """Make a PostgreSQL connection fail now, from any thread: a statement waiting on it
    gets a disconnect error. `shutdown` acts on the socket (not on the descriptor), so the
    owner's descriptor stays valid until the owner closes it."""
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None or getattr(dbapi_connection, "closed", True):
        return  # SQLite (nothing to wait on over a network) or already closed
    try:
        duplicate = socket.fromfd(pgconn.socket, socket.AF_INET, socket.SOCK_STREAM)
    except Exception:  # closed meanwhile: nothing left to abort
        return
    with duplicate, contextlib.suppress(OSError):
        duplicate.shutdown(socket.SHUT_RDWR)


class DatabaseMonitor:
    """Probes the database every `deadline / 4` seconds and guards the engines it watches."""

    def __init__(
        self,
        probe_engine: Engine,
        *,
        deadline_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe_engine = probe_engine
        self._deadline = deadline_seconds
        self._interval = deadline_seconds / 4
        self._clock = clock
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()
        self._mutex = threading.Lock()
        self._probed = threading.Condition(self._mutex)
        self._probes = 0
        self._available = True
        self._changed_at = clock()
        self._probe: Connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        self.watch(probe_engine, gate=False)

    # --- what others ask ------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self._available

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def watch(self, engine: Engine, *, gate: bool = True) -> None:
        """Track ENGINE's connections so an outage aborts them; with GATE, refuse its new
        connections while the database is unavailable."""
        event.listen(engine, "connect", self._track)
        # A SQLite file cannot freeze like a server: its connections are never refused.
        if gate and engine.dialect.name != "sqlite":
            event.listen(engine, "do_connect", self._refuse_while_unavailable)

    def available_now(self) -> bool:
        """Whether the database answers, by the next probe's answer (not the last one's):
        for a caller that just saw a connection fail and must know why."""
        if not self.running:
            return self.probe_once()
        with self._probed:
            seen = self._probes
            self._probed.wait_for(
                lambda: self._probes > seen, timeout=self._deadline + self._interval + 1
            )
            return self._available

    def probe_once(self) -> bool:
        """Probe now, in the calling thread (with the deadline), and record the answer."""
        executor = self._executor or ThreadPoolExecutor(1, "veelocity-db-probe")
        try:
            return self._probe_with_deadline(executor)
        finally:
            if executor is not self._executor:
                executor.shutdown(wait=False)

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._executor = ThreadPoolExecutor(1, "veelocity-db-probe")
        self._thread = threading.Thread(target=self._loop, name="veelocity-db-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._deadline + 5)
            self._thread = None
        if self._probe is not None:
            abort_connection(self._probe.connection.dbapi_connection)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._close_probe()
        self._probe_engine.dispose()

    # --- inside ---------------------------------------------------------------------------
    def _loop(self) -> None:
        assert self._executor is not None
        while not self._stop.is_set():
            self._probe_with_deadline(self._executor)
            self._stop.wait(self._interval)

    def _probe_with_deadline(self, executor: ThreadPoolExecutor) -> bool:
        future: Future[None] = executor.submit(self._select_one)
        try:
            future.result(timeout=self._deadline)
        except FutureTimeout:
            self._record(False, f"no answer within {self._deadline:g} s")
            self._abort_all()  # also frees the probe, which fails and reconnects next time
            return False
        except Exception as exc:  # any failure to get an answer means "unavailable"
            self._record(False, type(exc).__name__)
            return False
        self._record(True, None)
        return True

    def _select_one(self) -> None:
        try:
            if self._probe is None:
                self._probe = self._probe_engine.connect()
            self._probe.execute(text("SELECT 1"))
            self._probe.rollback()
        except BaseException:
            self._close_probe()
            raise

    def _close_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            with contextlib.suppress(Exception):
                probe.invalidate()
                probe.close()

    def _record(self, available: bool, reason: str | None) -> None:
        with self._mutex:
            self._probes += 1
            self._probed.notify_all()
            if available == self._available:
                return
            self._available = available
            down_for = self._clock() - self._changed_at
            self._changed_at = self._clock()
        if available:
            log.info("the database answers again", unavailable_seconds=round(down_for, 1))
        else:
            log.warning("the database stopped answering", reason=reason)
            self._abort_all()

    def _abort_all(self) -> None:
        for connection in list(self._connections):
            abort_connection(connection)

    def _track(self, dbapi_connection: Any, _record: Any) -> None:
        if hasattr(dbapi_connection, "pgconn"):  # SQLite has no socket to abort
            self._connections.add(dbapi_connection)

    def _refuse_while_unavailable(self, *_args: Any) -> None:
        if not self._available:
            raise DatabaseUnavailable(UNAVAILABLE_MESSAGE)


def make_database_monitor(settings: Settings, url: str) -> DatabaseMonitor:
    """A monitor of the database at URL, probing on a connection of its own."""
    if url.startswith("sqlite"):
        probe = make_engine(settings, url)
    else:
        probe = create_engine(
            url,
            poolclass=NullPool,
            connect_args=postgres_connect_args(
                settings, statement_timeout_seconds=None, application_name="veelocity-probe"
            ),
        )
    return DatabaseMonitor(probe, deadline_seconds=settings.database_unresponsive_seconds)
