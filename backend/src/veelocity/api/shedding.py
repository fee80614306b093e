"""Load shedding: a worker answers 503 at once instead of queueing requests for seconds.

A worker runs at most `max_in_flight` requests at a time. A request that arrives while the
worker is full waits for a free place for at most `max_wait_seconds`, in a queue no longer
than `max_in_flight`; past either bound it gets 503 `overloaded` with `Retry-After`. Clients
(and a load balancer in front of several replicas) then retry elsewhere or later, and the
requests already admitted keep their latency instead of every request slowing down together.

The health check and Prometheus metrics are never shed: an overloaded worker is alive, and
an orchestrator must not restart it for being busy.
"""

from __future__ import annotations

import asyncio
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send

from veelocity.api.errors import error_response

NEVER_SHED = ("/api/v1/health", "/api/v1/health/live", "/health", "/metrics")
RETRY_AFTER_SECONDS = 1


class AdmissionQueue:
    """At most `capacity` holders; a bounded line of waiters, served first come first."""

    def __init__(self, capacity: int, max_waiting: int) -> None:
        self.capacity = capacity
        self.max_waiting = max_waiting
        self.in_flight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def enter(self, timeout: float) -> bool:
        """Take a place, waiting at most `timeout` seconds; False when refused."""
        if self.in_flight < self.capacity and not self._waiters:
            self.in_flight += 1
            return True
        if len(self._waiters) >= self.max_waiting or timeout <= 0:
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            if waiter.done():  # handed a place just as the wait ran out: keep it
                return True
            self._waiters.remove(waiter)
            waiter.cancel()
            return False
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.leave()  # the place was handed over, but this request is gone
            else:
                self._waiters.remove(waiter)
                waiter.cancel()
            raise
        return True

    def leave(self) -> None:
        """Give the place to the longest waiter, or free it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the place passes on: in_flight is unchanged
                return
        self.in_flight -= 1


class LoadSheddingMiddleware:
    def __init__(self, app: ASGIApp, max_in_flight: int, max_wait_seconds: float) -> None:
        self.app = app
        self.max_wait_seconds = max_wait_seconds
        self.queue = AdmissionQueue(max_in_flight, max_waiting=max_in_flight)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in NEVER_SHED:
            await self.app(scope, receive, send)
            return
        if not await self.queue.enter(self.max_wait_seconds):
            response = error_response(
                503,
                "overloaded",
                "The server is busy. Try again in a moment.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.queue.leave()
