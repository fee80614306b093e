"""Fault injection for the fakes: what to break, on which requests, how many times.

`fake.faults.latency = 0.03` adds 30 ms to every response; `fake.faults.add("status",
path="/pulls", status=502, count=2)` answers the next two matching requests with a 502.
Kinds: `status` (any status, e.g. 500/502/504), `hang` (never answers within `seconds`),
`reset` (the connection drops in the middle of the body), `malformed` (a body that is not
JSON), `truncated` (JSON cut in half), `secondary_rate_limit` (403 with GitHub's message and
`retry-after`), `graphql_rate_limited` (HTTP 200 with a RATE_LIMITED error), `change_page`
(after answering, a pull request of the repository is updated, so the next page shifts).
The fake Linear adds `rate_limited` (a RATELIMITED error: HTTP 400 with `statusCode: 429` in
its extensions, or HTTP 429 when `status=429`) and `errors_with_200` (an error answered with
HTTP 200), and matches `path` against the GraphQL operation name and query as well. The fake
Sentry answers `rate_limited` with its 429 and adds `cursor_expired` (a request with a cursor
is refused as Sentry refuses a cursor it no longer knows).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "status",
    "hang",
    "reset",
    "malformed",
    "truncated",
    "secondary_rate_limit",
    "graphql_rate_limited",
    "change_page",
    "latency",
    "rate_limited",
    "errors_with_200",
    "cursor_expired",
)


@dataclass(slots=True)
class Fault:
    kind: str
    path: str = ""  # a regular expression searched in the path and query
    count: int | None = 1  # how many requests it hits; None: every matching request
    skip: int = 0  # matching requests to let through first
    method: str | None = None
    status: int = 500
    seconds: float = 60.0  # hang duration, retry-after, or added latency
    message: str | None = None
    mutate: Callable[[Any], None] | None = None  # change_page: what to change
    hits: int = 0
    seen: int = 0
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")
        self.pattern = re.compile(self.path)

    @property
    def spent(self) -> bool:
        return self.count is not None and self.hits >= self.count


@dataclass(slots=True)
class Faults:
    latency: float = 0.0  # seconds added to every response
    active: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, path: str = "", count: int | None = 1, **options: Any) -> Fault:
        fault = Fault(kind=kind, path=path, count=count, **options)
        with self.lock:
            self.active.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.active.clear()
        self.latency = 0.0

    def take(self, method: str, target: str) -> list[Fault]:
        """The faults that hit this request (each counted once)."""
        taken: list[Fault] = []
        with self.lock:
            for fault in self.active:
                if fault.spent or (fault.method and fault.method != method):
                    continue
                if not fault.pattern.search(target):
                    continue
                fault.seen += 1
                if fault.seen <= fault.skip:
                    continue
                fault.hits += 1
                taken.append(fault)
        return taken
