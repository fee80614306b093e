"""GitHub over HTTP, and nothing else: REST pages with ETags and GraphQL documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from veelocity.connectors.base import ConnectorError, UpstreamNotFound
from veelocity.connectors.github.config import GitHubConfig
from veelocity.connectors.http import HttpPolicy

_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
REST_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


@dataclass(frozen=True)
class RestPage:
    #: None when GitHub answered 304 Not Modified to our ETag
    body: Any
    etag: str | None
    next_url: str | None
    response: httpx.Response

    @property
    def not_modified(self) -> bool:
        return self.response.status_code == 304


class GitHubClient:
    def __init__(self, config: GitHubConfig, http: HttpPolicy) -> None:
        self.config = config
        self.http = http

    def rest(
        self,
        path_or_url: str,
        *,
        params: dict[str, str | int] | None = None,
        etag: str | None = None,
        accept: tuple[int, ...] = (),
    ) -> RestPage:
        """GET one REST page. Give the ETag of the last answer to get a (free) 304 when
        nothing changed. Later pages are followed by their `Link` URL, as GitHub advises."""
        url = path_or_url if "://" in path_or_url else f"{self.config.rest_url}{path_or_url}"
        headers = dict(REST_HEADERS)
        if etag:
            headers["If-None-Match"] = etag
        response = self.http.send("GET", url, params=params, headers=headers, accept=accept)
        match = _NEXT_LINK.search(response.headers.get("link", ""))
        body = None if response.status_code in (304, 204, *accept) else response.json()
        return RestPage(
            body=body,
            etag=response.headers.get("etag") or (etag if response.status_code == 304 else None),
            next_url=match.group(1) if match else None,
            response=response,
        )

    def graphql(
        self, query: str, variables: dict[str, Any], *, too_heavy_signal: bool = False
    ) -> dict[str, Any]:
        """The `data` of a GraphQL answer. NOT_FOUND errors raise UpstreamNotFound; any other
        error is a ConnectorError naming GitHub's message."""
        response = self.http.send(
            "POST",
            self.config.graphql_url,
            json_body={"query": query, "variables": variables},
            graphql=True,
            too_heavy_signal=too_heavy_signal,
        )
        body = response.json()
        if not isinstance(body, dict):
            raise ConnectorError("GitHub's GraphQL API answered with something other than JSON")
        errors = body.get("errors") or []
        for error in errors:
            if isinstance(error, dict) and error.get("type") == "NOT_FOUND":
                raise UpstreamNotFound(str(error.get("message", "not found")))
        if errors:
            messages = "; ".join(
                str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
            )
            raise ConnectorError(f"GitHub's GraphQL API refused the query: {messages}")
        data = body.get("data")
        if not isinstance(data, dict):
            raise ConnectorError("GitHub's GraphQL API answered without data")
        return data
