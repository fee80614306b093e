"""Counts of what the fake Linear answered: requests and complexity points, per operation."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class Stats:
    requests: int = 0
    errors: int = 0
    rate_limited: int = 0
    complexity: int = 0  # points of the queries answered
    per_request: list[int] = field(default_factory=list)  # points of each answered query
    by_operation: Counter[str] = field(default_factory=Counter)
    complexity_by_operation: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, status: int, points: int | None = None) -> None:
        with self.lock:
            self.requests += 1
            self.by_operation[operation] += 1
            if status >= 400:
                self.errors += 1
            if points is not None:
                self.complexity += points
                self.per_request.append(points)
                self.complexity_by_operation[operation] += points

    def limited(self) -> None:
        with self.lock:
            self.rate_limited += 1

    def reset(self) -> None:
        with self.lock:
            self.requests = self.errors = self.rate_limited = self.complexity = 0
            self.per_request.clear()
            self.by_operation.clear()
            self.complexity_by_operation.clear()

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "errors": self.errors,
                "rate_limited": self.rate_limited,
                "complexity": self.complexity,
                "max_complexity": max(self.per_request, default=0),
            }
