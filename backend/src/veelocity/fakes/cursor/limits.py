"""Cursor's per-minute rate limits: per team (key) and endpoint, windows reset every minute.

The documented numbers are the defaults: 20 a minute for most Admin API endpoints and 20 a
minute per endpoint of the AI code tracking API. A refused request gets 429 with Cursor's body
and `Retry-After: 60`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0


@dataclass(slots=True)
class RateLimits:
    admin_per_minute: int = 20
    ai_code_per_minute: int = 20
    clock: Callable[[], float] = time.time
    used: dict[tuple[str, str, int], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def limit_for(self, endpoint: str) -> int:
        return (
            self.ai_code_per_minute if endpoint.startswith("/analytics/") else self.admin_per_minute
        )

    def admit(self, key: str, endpoint: str) -> bool:
        window = int(self.clock() // WINDOW_SECONDS)
        with self.lock:
            slot = (key, endpoint, window)
            if self.used.get(slot, 0) >= self.limit_for(endpoint):
                return False
            self.used[slot] = self.used.get(slot, 0) + 1
            return True

    def exhaust(self, key: str, endpoint: str) -> None:
        """Spend a key's whole minute on an endpoint (tests of 429)."""
        window = int(self.clock() // WINDOW_SECONDS)
        with self.lock:
            self.used[(key, endpoint, window)] = self.limit_for(endpoint)
