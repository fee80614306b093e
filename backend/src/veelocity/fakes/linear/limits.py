"""Linear's leaky-bucket budgets: requests and complexity points per credential.

A bucket holds `limit` units and refills at a constant `limit / period`, as Linear documents
(linear.app/developers/rate-limiting). Resets are reported in epoch milliseconds: the moment the
bucket would be full again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

HOUR = 3600.0


@dataclass(slots=True)
class LeakyBucket:
    limit: int
    period: float = HOUR  # seconds to refill from empty
    level: float = 0.0  # units available
    checked: float = 0.0  # when `level` was last brought up to date

    def refill(self, now: float) -> None:
        rate = self.limit / self.period
        self.level = min(float(self.limit), self.level + (now - self.checked) * rate)
        self.checked = now

    def remaining(self) -> int:
        return max(0, math.floor(self.level))

    def reset_ms(self, now: float) -> int:
        """When the bucket is full again, in epoch milliseconds."""
        missing = self.limit - self.level
        return int((now + missing * self.period / self.limit) * 1000)

    def wait_for(self, amount: float) -> int:
        """Whole seconds until `amount` units are available (at least 1)."""
        missing = max(0.0, amount - self.level)
        return max(1, math.ceil(missing * self.period / self.limit))


@dataclass(slots=True)
class Budget:
    requests: LeakyBucket
    complexity: LeakyBucket


@dataclass(slots=True)
class RateLimits:
    """Per-credential budgets; all numbers configurable (Linear has changed them over time)."""

    requests_per_hour: int = 5_000
    complexity_per_hour: int = 250_000
    max_complexity: int = 10_000  # one query may cost at most this
    period: float = HOUR
    clock: Callable[[], float] = time.time
    budgets: dict[str, Budget] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def budget(self, key: str) -> Budget:
        now = self.clock()
        with self.lock:
            budget = self.budgets.get(key)
            if budget is None:
                budget = Budget(
                    LeakyBucket(self.requests_per_hour, self.period, self.requests_per_hour, now),
                    LeakyBucket(
                        self.complexity_per_hour, self.period, self.complexity_per_hour, now
                    ),
                )
                self.budgets[key] = budget
            budget.requests.refill(now)
            budget.complexity.refill(now)
            return budget

    def exhaust(self, key: str, what: str = "requests") -> None:
        """Empty a credential's bucket (tests of budgets and Retry-After)."""
        budget = self.budget(key)
        bucket = budget.requests if what == "requests" else budget.complexity
        bucket.level = 0.0

    def headers(self, budget: Budget, complexity: int | None) -> dict[str, str]:
        now = self.clock()
        headers = {
            "x-ratelimit-requests-limit": str(budget.requests.limit),
            "x-ratelimit-requests-remaining": str(budget.requests.remaining()),
            "x-ratelimit-requests-reset": str(budget.requests.reset_ms(now)),
            "x-ratelimit-complexity-limit": str(budget.complexity.limit),
            "x-ratelimit-complexity-remaining": str(budget.complexity.remaining()),
            "x-ratelimit-complexity-reset": str(budget.complexity.reset_ms(now)),
        }
        if complexity is not None:
            headers["x-complexity"] = str(complexity)
        return headers
