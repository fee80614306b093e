"""Counts of what the fake Sentry answered: requests per endpoint, errors and 429s."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class Stats:
    requests: int = 0
    errors: int = 0
    rate_limited: int = 0
    #: per endpoint template, e.g. "/organizations/{org}/issues/"
    by_path: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, path: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.by_path[path] += 1
            if status >= 400:
                self.errors += 1
            if status == 429:
                self.rate_limited += 1

    def reset(self) -> None:
        with self.lock:
            self.requests = self.errors = self.rate_limited = 0
            self.by_path.clear()

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "errors": self.errors,
                "rate_limited": self.rate_limited,
            }
