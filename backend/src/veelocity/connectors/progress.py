"""A run's progress from a connector's worker threads: requests per stream as they go, with
the rate limit the last answer reported, and items per stream as pages are written."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from veelocity.connectors.http import RateLimitSnapshot
from veelocity.sync.context import ProgressReporter


class StreamProgress:
    """Serialises progress from worker threads, and counts requests as they go."""

    def __init__(
        self,
        reporter: ProgressReporter,
        rate_limit: Callable[[httpx.Response], RateLimitSnapshot],
    ) -> None:
        self._reporter = reporter
        self._rate_limit = rate_limit
        self._lock = threading.Lock()
        self._current = threading.local()

    def reading(self, stream: str) -> None:
        """The stream this worker thread reads now: its requests count towards it."""
        self._current.stream = stream

    def response(self, response: httpx.Response | None) -> None:
        snapshot = self._rate_limit(response) if response is not None else None
        with self._lock:
            self._reporter.progress(
                stream=getattr(self._current, "stream", None),
                requests=1,
                rate_limit_remaining=snapshot.remaining if snapshot else None,
                rate_limit_reset_at=snapshot.reset_at if snapshot else None,
            )

    def items(self, stream: str, count: int, *, done: bool = False) -> None:
        with self._lock:
            self._reporter.progress(stream=stream, items=count, stream_done=done)
