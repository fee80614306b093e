"""Accepted tokens and their primary rate limits (per token, per resource, hourly windows)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# The token the demo configures Veelocity with. It only opens this local fake.
DEMO_TOKEN = "ghp_demo0000000000000000000000000000000000"  # noqa: S105  # pragma: allowlist secret
DEFAULT_SCOPES = ("repo", "read:org", "workflow")
WINDOW_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class TokenSpec:
    """A token the fake accepts: whose it is, its classic scopes, and its hourly limits."""

    token: str
    login: str | None = None  # None: the organisation's first developer
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    core_limit: int = 5000
    graphql_limit: int = 5000


@dataclass(slots=True)
class Bucket:
    limit: int
    used: int = 0
    reset: int = 0  # epoch seconds when the window ends

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(slots=True)
class RateLimits:
    """Windows start at a token's first request, as GitHub's do."""

    clock: Callable[[], float] = time.time
    buckets: dict[tuple[str, str], Bucket] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bucket(self, key: str, resource: str, limit: int) -> Bucket:
        now = int(self.clock())
        with self.lock:
            bucket = self.buckets.get((key, resource))
            if bucket is None or bucket.reset <= now:
                bucket = Bucket(limit=limit, reset=now + WINDOW_SECONDS)
                self.buckets[(key, resource)] = bucket
            return bucket

    def exhaust(self, key: str, resource: str, limit: int) -> None:
        """Use up a token's window (tests of budget and reset handling)."""
        bucket = self.bucket(key, resource, limit)
        bucket.used = bucket.limit
