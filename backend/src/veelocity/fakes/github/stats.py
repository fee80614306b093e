"""Counts of what the fake answered, for benchmarks and request-budget tests."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class Stats:
    rest: int = 0
    graphql: int = 0
    not_modified: int = 0
    graphql_points: int = 0
    errors: int = 0
    by_route: Counter[str] = field(default_factory=Counter)
    not_modified_by_route: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return self.rest + self.graphql

    def record(self, kind: str, route: str, status: int, points: int = 0) -> None:
        with self.lock:
            if kind == "graphql":
                self.graphql += 1
                self.graphql_points += points
            else:
                self.rest += 1
            if status == 304:
                self.not_modified += 1
                self.not_modified_by_route[route] += 1
            elif status >= 400:
                self.errors += 1
            self.by_route[route] += 1

    def reset(self) -> None:
        with self.lock:
            self.rest = self.graphql = self.not_modified = self.graphql_points = self.errors = 0
            self.by_route.clear()
            self.not_modified_by_route.clear()

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.rest + self.graphql,
                "rest": self.rest,
                "graphql": self.graphql,
                "not_modified": self.not_modified,
                "graphql_points": self.graphql_points,
                "errors": self.errors,
            }
