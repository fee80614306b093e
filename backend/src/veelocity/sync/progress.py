"""Live progress of a run, written to its SyncRun row so every replica can show it.

A connector calls `progress()` after each page, possibly from several threads. Those calls
only add up in memory; a writer thread of the run writes the totals to the row at most every
`flush_seconds` (and a heartbeat every `heartbeat_seconds` even when nothing moved), and reads
back the row's cancel flag. So a page never waits for a progress write, a busy database only
delays the figures, and a cancel request is seen within `flush_seconds`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.errors import DatabaseUnavailable
from veelocity.core.logging import get_logger
from veelocity.core.time import utcnow
from veelocity.models import SyncRun

log = get_logger("veelocity.sync.progress")


@dataclass
class ProgressSnapshot:
    items: int = 0
    requests: int = 0
    current_stream: str | None = None
    rate_limit_remaining: int | None = None
    rate_limit_reset_at: datetime | None = None
    #: stream name → {"items": n, "requests": n, "done": bool, "order": n}
    streams: dict[str, dict[str, Any]] = field(default_factory=dict)

    def columns(self) -> dict[str, Any]:
        """The SyncRun columns this snapshot sets."""
        return {
            "items": self.items,
            "requests_used": self.requests,
            "current_stream": self.current_stream,
            "rate_limit_remaining": self.rate_limit_remaining,
            "rate_limit_reset_at": self.rate_limit_reset_at,
            "streams": {name: dict(value) for name, value in self.streams.items()},
        }


class RunProgress:
    """The ProgressReporter of one SyncRun row."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        run_id: int,
        *,
        flush_seconds: float = 0.5,
        heartbeat_seconds: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.run_id = run_id
        self._factory = session_factory
        self._flush_seconds = flush_seconds
        self._heartbeat_seconds = heartbeat_seconds
        self._clock = clock
        self._mutex = threading.Lock()
        self._state = ProgressSnapshot()
        self._dirty = False
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the ProgressReporter protocol ----------------------------------------------------
    def progress(
        self,
        *,
        stream: str | None = None,
        items: int = 0,
        requests: int = 0,
        rate_limit_remaining: int | None = None,
        rate_limit_reset_at: datetime | None = None,
        stream_done: bool = False,
    ) -> None:
        with self._mutex:
            state = self._state
            state.items += items
            state.requests += requests
            if rate_limit_remaining is not None:
                state.rate_limit_remaining = rate_limit_remaining
            if rate_limit_reset_at is not None:
                state.rate_limit_reset_at = rate_limit_reset_at
            if stream is not None:
                # "order" keeps the streams in the order they ran (JSONB sorts keys).
                share = state.streams.setdefault(
                    stream,
                    {"items": 0, "requests": 0, "done": False, "order": len(state.streams)},
                )
                share["items"] += items
                share["requests"] += requests
                if stream_done:
                    share["done"] = True
                    if state.current_stream == stream:
                        state.current_stream = None
                else:
                    state.current_stream = stream
            self._dirty = True

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    # --- the writer ---------------------------------------------------------------------
    def snapshot(self) -> ProgressSnapshot:
        with self._mutex:
            state = self._state
            return ProgressSnapshot(
                items=state.items,
                requests=state.requests,
                current_stream=state.current_stream,
                rate_limit_remaining=state.rate_limit_remaining,
                rate_limit_reset_at=state.rate_limit_reset_at,
                streams={name: dict(value) for name, value in state.streams.items()},
            )

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._write_until_stopped, name=f"veelocity-sync-run-{self.run_id}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop writing (the orchestration writes the final figures with the outcome)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def write_now(self) -> None:
        """Write the figures and the heartbeat, and read the cancel flag (one transaction)."""
        with self._mutex:
            self._dirty = False
        snapshot = self.snapshot()
        with self._factory.begin() as session:
            session.execute(
                update(SyncRun)
                .where(SyncRun.id == self.run_id)
                .values(**snapshot.columns(), heartbeat_at=self._clock())
            )
            if session.scalar(select(SyncRun.cancel_requested).where(SyncRun.id == self.run_id)):
                self._cancel.set()

    def _read_cancel_flag(self) -> None:
        with self._factory() as session:
            if session.scalar(select(SyncRun.cancel_requested).where(SyncRun.id == self.run_id)):
                self._cancel.set()

    def _write_until_stopped(self) -> None:
        last_write = time.monotonic()
        while not self._stop.wait(self._flush_seconds):
            try:
                if self._dirty or time.monotonic() - last_write >= self._heartbeat_seconds:
                    self.write_now()
                    last_write = time.monotonic()
                else:
                    self._read_cancel_flag()
            except (SQLAlchemyError, DatabaseUnavailable) as exc:
                # The figures stay in memory and go out with the next write (or the outcome).
                log.warning("could not write sync progress", run_id=self.run_id, error=str(exc))
