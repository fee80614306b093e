"""Overload: a full worker answers 503 with Retry-After at once, never queues for seconds."""

import asyncio
import time

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from veelocity.api.shedding import LoadSheddingMiddleware
from veelocity.app import create_app
from veelocity.core.config import Settings


class SlowApp:
    """Answers 200 once `release` is set; counts the requests it started."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.started += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})


def _client(app: LoadSheddingMiddleware) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def _timed(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.get(path)
    return response, time.perf_counter() - started


def test_a_full_worker_answers_503_with_retry_after_within_its_queue_timeout() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        shedding = LoadSheddingMiddleware(inner, max_in_flight=1, max_wait_seconds=0.3)
        async with _client(shedding) as client:
            running = asyncio.create_task(_timed(client, "/api/v1/metrics/dora"))
            await asyncio.sleep(0.05)
            waiting = asyncio.create_task(_timed(client, "/api/v1/metrics/dora"))
            await asyncio.sleep(0.05)
            # The queue (as long as the limit: one) is full: refused at once.
            refused, refused_after = await _timed(client, "/api/v1/github/prs")
            # The queued one gives up after its 0.3 s.
            timed_out, timed_out_after = await waiting
            inner.release.set()
            finished, _ = await running
            again, _ = await _timed(client, "/api/v1/metrics/dora")

        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["error"]["code"] == "overloaded"
        assert refused_after < 0.1
        assert timed_out.status_code == 503
        assert 0.25 <= timed_out_after < 1.0
        assert finished.status_code == 200
        assert again.status_code == 200  # the place was given back
        assert inner.started == 2

    asyncio.run(scenario())


def test_a_queued_request_runs_when_a_place_frees() -> None:
    async def scenario() -> None:
        inner = SlowApp()
        shedding = LoadSheddingMiddleware(inner, max_in_flight=1, max_wait_seconds=5)
        async with _client(shedding) as client:
            first = asyncio.create_task(_timed(client, "/api/v1/status"))
            await asyncio.sleep(0.05)
            second = asyncio.create_task(_timed(client, "/api/v1/status"))
            await asyncio.sleep(0.05)
            inner.release.set()
            responses = [(await first)[0], (await second)[0]]
        assert [r.status_code for r in responses] == [200, 200]
        assert shedding.queue.in_flight == 0

    asyncio.run(scenario())


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/health/live", "/health", "/metrics"])
def test_health_and_prometheus_are_never_shed(path: str) -> None:
    async def scenario() -> None:
        inner = SlowApp()
        shedding = LoadSheddingMiddleware(inner, max_in_flight=1, max_wait_seconds=0)
        async with _client(shedding) as client:
            busy = asyncio.create_task(_timed(client, "/api/v1/metrics/dora"))
            await asyncio.sleep(0.05)
            probe = asyncio.create_task(_timed(client, path))
            await asyncio.sleep(0.05)
            inner.release.set()
            assert (await probe)[0].status_code == 200
            assert (await busy)[0].status_code == 200

    asyncio.run(scenario())


def test_the_app_sheds_with_the_configured_limits(make_settings: object) -> None:
    settings: Settings = make_settings(max_requests_in_flight=3, request_queue_timeout_ms=250)  # type: ignore[operator]
    app = create_app(settings)
    try:
        shedding = [m for m in app.user_middleware if m.cls is LoadSheddingMiddleware]
        assert len(shedding) == 1
        assert shedding[0].kwargs == {"max_in_flight": 3, "max_wait_seconds": 0.25}
    finally:
        app.state.context.engine.dispose()
