"""The fake Cursor as an ASGI application: the Admin API and the AI code tracking API over
one generated team.

Credentials, plans, rate limits, date ranges, ETags, faults and statistics behave as
docs/fake-cursor.md describes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import views
from veelocity.fakes.cursor.keys import DEMO_KEY, KeySpec, basic_username
from veelocity.fakes.cursor.limits import RateLimits
from veelocity.fakes.cursor.views import BadRequest, Options, Result, error
from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.serving import Reply, answer_lifespan, read_body, send_reply

JSON_HEADERS = {"content-type": "application/json; charset=utf-8"}
RATE_LIMITED = "Rate limit exceeded. Please try again later."
RETRY_AFTER_SECONDS = 60
#: method and path of every endpoint served
ROUTES: dict[str, str] = {
    "/teams/members": "GET",
    "/teams/daily-usage-data": "POST",
    "/teams/spend": "POST",
    "/teams/filtered-usage-events": "POST",
    "/analytics/ai-code/commits": "GET",
}
#: the analytics endpoints answer ETag / If-None-Match (and `Cache-Control`)
CACHED = frozenset({"/analytics/ai-code/commits"})


@dataclass(slots=True)
class Stats:
    requests: int = 0
    rate_limited: int = 0
    not_modified: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, path: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.by_path[path] += 1
            self.rate_limited += status == 429
            self.not_modified += status == 304


class FakeCursor:
    """`FakeCursor(team)` is an ASGI app; `faults`, `stats`, `limits`, `options` and `keys`
    are set per test. `before_request` runs (under the fake's lock) before every answer, e.g.
    to let a demo's clock move on."""

    def __init__(
        self,
        team: CursorTeam,
        *,
        keys: Sequence[KeySpec] | None = None,
        limits: RateLimits | None = None,
        options: Options | None = None,
        before_request: Callable[[], None] | None = None,
    ) -> None:
        self.team = team
        self.keys: dict[str, KeySpec] = {}
        for spec in keys or [KeySpec(DEMO_KEY)]:
            self.add_key(spec)
        self.limits = limits or RateLimits()
        self.options = options or Options()
        self.before_request = before_request
        self.faults = Faults()
        self.stats = Stats()
        self.lock = threading.RLock()

    def add_key(self, spec: KeySpec) -> None:
        self.keys[spec.key] = spec

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"].rstrip("/") or "/"
        query_string = scope.get("query_string", b"").decode("latin-1")
        faults = self.faults.take(scope["method"], f"{path}?{query_string}")
        delay = self.faults.latency + sum(f.seconds for f in faults if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        hang = next((f for f in faults if f.kind == "hang"), None)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        body = await read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            reply = self.answer(scope["method"], path, query_string, headers, body, faults)
        except Exception as failure:  # a bug in the fake must read as one, not as a hang
            reply = _reply(error(500, f"fake Cursor error: {failure!r}"))
        self.stats.record(path if path in ROUTES else "unknown", reply.status)
        await send_reply(reply, {f.kind for f in faults}, send)

    def answer(
        self,
        method: str,
        path: str,
        query_string: str,
        headers: dict[str, str],
        body: bytes,
        faults: list[Fault],
    ) -> Reply:
        expected = ROUTES.get(path)
        if expected is None:
            return _reply(error(404, "Not Found"))
        if method != expected:
            return _reply(error(405, f"{method} is not allowed on {path}"))
        key = basic_username(headers.get("authorization", ""))
        spec = self.keys.get(key or "")
        if spec is None:
            return _reply(error(401, "Invalid API key"))
        if not spec.enterprise:
            return _reply(error(403, "Enterprise access required"))
        status_fault = next((f for f in faults if f.kind == "status"), None)
        if status_fault is not None:
            return _reply(
                error(status_fault.status, status_fault.message or "Internal Server Error")
            )
        if any(f.kind == "rate_limited" for f in faults):
            return _throttled()
        with self.lock:
            if self.before_request is not None:
                self.before_request()
            if path == "/analytics/ai-code/commits" and not (
                spec.ai_code_tracking and self.team.ai_code_tracking
            ):
                result = error(403, "AI code tracking is not enabled for this team")
            else:
                try:
                    result = self._dispatch(path, query_string, body)
                except BadRequest as bad:
                    result = error(400, str(bad))
        reply = _reply(result)
        if path in CACHED and result.status == 200:
            etag = '"' + hashlib.sha256(reply.body).hexdigest()[:32] + '"'
            reply.headers.update({"etag": etag, "cache-control": "public, max-age=900"})
            if headers.get("if-none-match") == etag:
                # A 304 does not count against the rate limit.
                return Reply(304, b"", {"etag": etag, "cache-control": "public, max-age=900"})
        if not self.limits.admit(spec.key, path):
            return _throttled()
        return reply

    def _dispatch(self, path: str, query_string: str, body: bytes) -> Result:
        team, options = self.team, self.options
        if path == "/teams/members":
            return views.members(team, options)
        if path == "/analytics/ai-code/commits":
            return views.ai_commits(team, dict(parse_qsl(query_string)), options)
        payload = _json_object(body)
        if path == "/teams/daily-usage-data":
            return views.daily_usage(team, payload, options)
        if path == "/teams/spend":
            return views.spend(team, payload)
        return views.usage_events(team, payload, options)


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError as bad:
        raise BadRequest("Invalid JSON body") from bad
    if not isinstance(parsed, dict):
        raise BadRequest("The body must be a JSON object")
    return parsed


def _reply(result: Result) -> Reply:
    return Reply(
        result.status, json.dumps(result.body).encode(), {**JSON_HEADERS, **result.headers}
    )


def _throttled() -> Reply:
    reply = _reply(error(429, RATE_LIMITED))
    reply.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
    return reply
