"""Linear over HTTP, and nothing else: GraphQL documents, Linear's errors and rate limits.

Linear answers errors in GraphQL's `errors[]` with a code in `extensions` (also with HTTP
200), so every answer is inspected: `AUTHENTICATION_ERROR` is a bad key, `FORBIDDEN` a team
the key may not read, `RATELIMITED` (HTTP 429, or HTTP 400 with `extensions.statusCode`
429) a rate limit the HTTP policy waits out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from veelocity.connectors.base import ConnectorError
from veelocity.connectors.http import HttpPolicy, RateLimitSnapshot, Upstream, json_body
from veelocity.connectors.linear.config import LinearConfig, authorization
from veelocity.sync.context import SyncError


def _count(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def epoch(value: str | None) -> datetime | None:
    """A reset time in epoch milliseconds (Linear's), or seconds (an older page said so)."""
    number = _count(value)
    if number is None or number <= 0:
        return None
    seconds = number / 1000 if number > 10**11 else number
    return datetime.fromtimestamp(seconds, UTC)


def rate_limit_of(response: httpx.Response) -> RateLimitSnapshot:
    headers = response.headers
    return RateLimitSnapshot(
        remaining=_count(headers.get("x-ratelimit-requests-remaining")),
        reset_at=epoch(headers.get("x-ratelimit-requests-reset")),
        points_remaining=_count(headers.get("x-ratelimit-complexity-remaining")),
        points_reset_at=epoch(headers.get("x-ratelimit-complexity-reset")),
        points_limit=_count(headers.get("x-ratelimit-complexity-limit")),
    )


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = json_body(response)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors or () if isinstance(e, dict)]


def _extensions(error: dict[str, Any]) -> dict[str, Any]:
    extensions = error.get("extensions")
    return extensions if isinstance(extensions, dict) else {}


def _code(error: dict[str, Any]) -> str:
    extensions = _extensions(error)
    return str(extensions.get("code") or extensions.get("type") or "").upper()


def rate_limited(response: httpx.Response) -> bool:
    """Linear's rate-limited answer: a RATELIMITED error, whatever the HTTP status."""
    return any(
        _code(e) == "RATELIMITED" or _extensions(e).get("statusCode") == 429
        for e in _errors(response)
    )


LINEAR = Upstream(
    name="Linear",
    credential="API key",
    settings_page="Settings → Linear",
    authorization=authorization,
    rate_limit=rate_limit_of,
    body_rate_limited=rate_limited,
    limit_statuses=frozenset({429}),
)


def _message(error: dict[str, Any]) -> str:
    extensions = _extensions(error)
    return str(extensions.get("userPresentableMessage") or error.get("message") or "no message")


def _what(about: str | Mapping[str, str], errors: list[dict[str, Any]]) -> str:
    if isinstance(about, str):
        return about
    for error in errors:
        path = error.get("path")
        if isinstance(path, list) and path and str(path[0]) in about:
            return about[str(path[0])]
    return ""


class LinearClient:
    def __init__(self, config: LinearConfig, http: HttpPolicy) -> None:
        self.config = config
        self.http = http

    def graphql(
        self, query: str, *, points: float | None = None, about: str | Mapping[str, str] = ""
    ) -> dict[str, Any]:
        """The `data` of an answer. `points`: what the query costs (the policy waits or
        stops before Linear's complexity allowance runs out); `about` names what was asked
        (e.g. "team ENG") in a FORBIDDEN message, or names it per alias of the query."""
        response = self.http.send(
            "POST",
            self.config.api_url,
            json_body={"query": query},
            graphql=True,
            accept=(400, 401, 403),
            points=points,
        )
        try:
            body = json_body(response)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ConnectorError(
                f"Linear answered HTTP {response.status_code} with a body that is not JSON"
            ) from None
        errors = _errors(response)
        codes = {_code(e) for e in errors}
        if response.status_code == 401 or "AUTHENTICATION_ERROR" in codes:
            raise SyncError(
                "bad_credentials",
                "Linear rejected the API key (AUTHENTICATION_ERROR): it is wrong, expired or "
                "revoked. Paste a valid key in Settings → Linear.",
            )
        if response.status_code == 403 or "FORBIDDEN" in codes:
            what = _what(about, errors) or "what the sync reads"
            detail = "; ".join(_message(e) for e in errors) or "HTTP 403"
            raise SyncError(
                "missing_scopes",
                f"The Linear API key has no access to {what} (FORBIDDEN: {detail}). Give the "
                "key's user access to the team in Linear, or use a key that has it.",
            )
        if errors:
            messages = "; ".join(f"{_code(e) or 'ERROR'}: {_message(e)}" for e in errors)
            raise ConnectorError(f"Linear's API refused the query: {messages}")
        data = body.get("data") if isinstance(body, dict) else None
        if response.status_code >= 400 or not isinstance(data, dict):
            raise ConnectorError(f"Linear answered HTTP {response.status_code} without data")
        return data
