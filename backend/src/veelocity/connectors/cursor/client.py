"""Cursor over HTTP, and nothing else: the Admin API and the AI code tracking API, Basic auth
with the key, Cursor's 429s, and its errors in plain words.

Cursor sends no rate-limit headers: a 429 names its wait in `Retry-After` (waited out by the
policy), and one without it is read as "this minute's requests are spent" (limits reset every
minute). A 403 from the AI code tracking API means the team does not have it:
`AiTrackingUnavailable`, which the sync records without failing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import httpx

from veelocity.connectors.base import ConnectorError
from veelocity.connectors.cursor.config import CursorConfig, authorization
from veelocity.connectors.http import HttpPolicy, RateLimitSnapshot, Upstream, json_body
from veelocity.core.time import utcnow
from veelocity.sync.context import SyncError

AI_CODE_PREFIX = "/analytics/ai-code/"


def rate_limit_of(response: httpx.Response) -> RateLimitSnapshot:
    """A 429 spends the minute; other answers say nothing of what is left."""
    if response.status_code == 429:
        return RateLimitSnapshot(remaining=0, reset_at=utcnow() + timedelta(minutes=1))
    return RateLimitSnapshot(remaining=None, reset_at=None)


CURSOR = Upstream(
    name="Cursor",
    credential="API key",
    settings_page="Settings → Cursor",
    authorization=authorization,
    rate_limit=rate_limit_of,
    limit_statuses=frozenset({429}),
)


class AiTrackingUnavailable(Exception):
    """The team has no AI code tracking (403 on /analytics/ai-code/…)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def message_of(response: httpx.Response) -> str:
    """Cursor's `message` (or `error`, or the start of the body) for messages."""
    try:
        body = json_body(response)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200] or f"HTTP {response.status_code}"
    if isinstance(body, dict):
        for key in ("message", "error"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return response.text[:200]


class CursorClient:
    def __init__(self, config: CursorConfig, http: HttpPolicy) -> None:
        self.config = config
        self.http = http

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        return self._send("GET", path, params=dict(params or {}))

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("POST", path, body=dict(body))

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str | int] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        response = self.http.send(
            method, self.config.url(path), params=params, json_body=body, accept=(400, 403)
        )
        status = response.status_code
        if status == 403:
            said = message_of(response)
            if path.startswith(AI_CODE_PREFIX):
                raise AiTrackingUnavailable(
                    f"Cursor's AI code tracking is not available to this team (403: {said}); "
                    "AI lines per commit are not read, the rest of the sync goes on."
                )
            raise SyncError(
                "missing_scopes",
                f"Cursor refused {path} (403: {said}): the Admin API is for Enterprise teams "
                "only, and the key must be an Admin API key of that team (Settings → Cursor).",
            )
        if status == 400:
            raise ConnectorError(f"Cursor refused {method} {path} (400: {message_of(response)})")
        parsed = json_body(response)
        if not isinstance(parsed, dict):
            raise ConnectorError(f"Cursor answered {path} with something other than an object")
        return parsed
