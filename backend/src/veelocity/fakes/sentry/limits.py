"""Sentry's rate limits: requests per fixed window and concurrent requests, per caller and
endpoint (docs/api/ratelimits in getsentry/sentry-docs).

Every answer carries `X-Sentry-Rate-Limit-Limit`, `-Remaining`, `-Reset` (UTC epoch seconds,
when the window ends), `-ConcurrentLimit` and `-ConcurrentRemaining`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Window:
    started: float
    used: int = 0
    in_flight: int = 0


@dataclass(slots=True)
class Admission:
    """The outcome of one request against its caller's window for that endpoint."""

    allowed: bool
    headers: dict[str, str]
    retry_after: int = 0
    concurrent: bool = False  # refused for concurrency rather than the window


@dataclass(slots=True)
class RateLimits:
    """Per caller and endpoint; the numbers are configurable (Sentry sets them per endpoint)."""

    limit: int = 40
    window: float = 1.0  # seconds
    concurrent: int = 25
    clock: Callable[[], float] = time.time
    windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _window(self, key: tuple[str, str], now: float) -> Window:
        current = self.windows.get(key)
        # Fixed windows aligned on multiples of `window` seconds.
        start = now - now % self.window
        if current is None or current.started < start:
            in_flight = current.in_flight if current else 0
            current = Window(started=start, in_flight=in_flight)
            self.windows[key] = current
        return current

    def admit(self, caller: str, endpoint: str) -> Admission:
        now = self.clock()
        with self.lock:
            window = self._window((caller, endpoint), now)
            reset = window.started + self.window
            if window.in_flight >= self.concurrent:
                return Admission(False, self._headers(window, reset), 1, concurrent=True)
            if window.used >= self.limit:
                retry = max(1, math.ceil(reset - now))
                return Admission(False, self._headers(window, reset), retry)
            window.used += 1
            window.in_flight += 1
            return Admission(True, self._headers(window, reset))

    def release(self, caller: str, endpoint: str) -> None:
        with self.lock:
            window = self.windows.get((caller, endpoint))
            if window is not None and window.in_flight:
                window.in_flight -= 1

    def exhaust(self, caller: str, endpoint: str) -> None:
        """Spend a caller's whole window on an endpoint (tests of 429 and Retry-After)."""
        with self.lock:
            self._window((caller, endpoint), self.clock()).used = self.limit

    def _headers(self, window: Window, reset: float) -> dict[str, str]:
        return {
            "x-sentry-rate-limit-limit": str(self.limit),
            "x-sentry-rate-limit-remaining": str(max(0, self.limit - window.used)),
            "x-sentry-rate-limit-reset": str(math.ceil(reset)),
            "x-sentry-rate-limit-concurrentlimit": str(self.concurrent),
            "x-sentry-rate-limit-concurrentremaining": str(
                max(0, self.concurrent - window.in_flight)
            ),
        }
