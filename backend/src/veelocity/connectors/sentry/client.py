"""Sentry over HTTP, and nothing else: REST pages followed by their `Link` cursors, Sentry's
rate limit headers, and its errors in plain words.

Sentry pages with a `Link` header that always lists both `rel="previous"` and `rel="next"`;
the list ends when `rel="next"` says `results="false"`. A cursor Sentry no longer accepts
(HTTP 400 or 404 to a request that sent one) is `CursorExpired`: the stream reads its pass again
from its watermark.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from veelocity.connectors.base import ConnectorError, UpstreamNotFound
from veelocity.connectors.http import HttpPolicy, RateLimitSnapshot, Upstream, json_body
from veelocity.connectors.sentry.config import SentryConfig, authorization
from veelocity.sync.context import SyncError

_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[A-Za-z]+\s*=\s*\"[^\"]*\")*)")
_PARAM = re.compile(r"([A-Za-z]+)\s*=\s*\"([^\"]*)\"")

#: the scope each kind of path needs, named when Sentry answers 403
_SCOPES = (
    ("/stats_v2/", "org:read"),
    ("/releases/", "project:releases (or project:read)"),
    ("/events/", "event:read"),
    ("/issues/", "event:read"),
    ("/projects/", "project:read"),
)


def _number(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def rate_limit_of(response: httpx.Response) -> RateLimitSnapshot:
    """`X-Sentry-Rate-Limit-Remaining` and `-Reset` (UTC epoch seconds)."""
    headers = response.headers
    reset = _number(headers.get("x-sentry-rate-limit-reset"))
    return RateLimitSnapshot(
        remaining=_number(headers.get("x-sentry-rate-limit-remaining")),
        reset_at=datetime.fromtimestamp(reset, UTC) if reset and reset > 0 else None,
    )


SENTRY = Upstream(
    name="Sentry",
    credential="auth token",
    settings_page="Settings → Sentry",
    authorization=authorization,
    rate_limit=rate_limit_of,
    limit_statuses=frozenset({429}),
)


class CursorExpired(Exception):
    """Sentry refused a page cursor it handed out earlier."""


@dataclass(frozen=True)
class SentryPage:
    items: list[dict[str, Any]]
    #: the cursor of the next page, None on the last one
    next_cursor: str | None
    response: httpx.Response


def next_cursor(link: str) -> str | None:
    """The `rel="next"` cursor of a `Link` header, when it says more results follow."""
    for match in _LINK.finditer(link or ""):
        params = {key.lower(): value for key, value in _PARAM.findall(match.group(2))}
        if params.get("rel") != "next":
            continue
        if params.get("results", "true").lower() != "true":
            return None
        cursor = params.get("cursor") or httpx.URL(match.group(1)).params.get("cursor")
        return str(cursor) if cursor else None
    return None


def detail(response: httpx.Response) -> str:
    """Sentry's `detail` (or the start of the body) for messages."""
    try:
        body = json_body(response)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200] or f"HTTP {response.status_code}"
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return response.text[:200]


def _organisation_list(path: str) -> bool:
    """`organizations/{org}/issues/` and the like: a 404 there means the organisation."""
    return path.startswith("organizations/") and path.rstrip("/").count("/") <= 2


def _scope_for(path: str) -> str:
    return next((scope for part, scope in _SCOPES if part in path), "org:read")


class SentryClient:
    def __init__(self, config: SentryConfig, http: HttpPolicy) -> None:
        self.config = config
        self.http = http

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        """The JSON body of one GET (for answers that are not lists)."""
        return json_body(self._send(path, dict(params or {})))

    def page(
        self, path: str, params: Mapping[str, str | int] | None = None, cursor: str | None = None
    ) -> SentryPage:
        """One page of a list, from `cursor` (None: the first page)."""
        query = dict(params or {})
        if cursor:
            query["cursor"] = cursor
        response = self._send(path, query, paged_from=cursor)
        body = json_body(response)
        if not isinstance(body, list):
            raise ConnectorError(f"Sentry answered {path} with something other than a list")
        items = [item for item in body if isinstance(item, dict)]
        return SentryPage(items, next_cursor(response.headers.get("link", "")), response)

    def _send(
        self, path: str, params: dict[str, str | int], paged_from: str | None = None
    ) -> httpx.Response:
        response = self.http.send(
            "GET", self.config.url(path), params=params, accept=(400, 403, 404)
        )
        status = response.status_code
        if status in (400, 404) and paged_from:
            # Sentry refuses a cursor it no longer knows with 400 (or 404 on some lists)
            raise CursorExpired(paged_from)
        if status == 403:
            raise SyncError(
                "missing_scopes",
                f"Sentry refused {httpx.URL(self.config.url(path)).path} (403: "
                f"{detail(response)}). The auth token needs the scope {_scope_for(path)}; "
                "the sync reads with org:read, project:read and event:read.",
            )
        if status == 404:
            if _organisation_list(path):
                raise SyncError(
                    "not_configured",
                    f"Sentry knows no organisation {self.config.organization!r} that this "
                    "token can read (404). Check the organisation slug in Settings → Sentry "
                    "(and the base URL: a region or self-hosted Sentry has its own).",
                )
            raise UpstreamNotFound(path)
        if status == 400:
            raise ConnectorError(f"Sentry refused {path} (400: {detail(response)})")
        return response
