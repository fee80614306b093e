"""Greptile over HTTP, and nothing else: REST v2 for a repository's index, and the MCP
server (JSON-RPC 2.0 over `POST /mcp`) for code reviews.

Greptile documents no rate-limit headers: a 429 with `Retry-After` is waited out by the
policy. The MCP server answers errors with HTTP 200 and a JSON-RPC `error`; -32603 covers a
refused key, named as such.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from veelocity.connectors.base import ConnectorError, UpstreamNotFound
from veelocity.connectors.greptile.config import GreptileConfig, authorization
from veelocity.connectors.http import HttpPolicy, RateLimitSnapshot, Upstream, json_body
from veelocity.sync.context import SyncError


def rate_limit_of(_response: httpx.Response) -> RateLimitSnapshot:
    return RateLimitSnapshot(remaining=None, reset_at=None)


GREPTILE = Upstream(
    name="Greptile",
    credential="API key",
    settings_page="Settings → Greptile",
    authorization=authorization,
    rate_limit=rate_limit_of,
    limit_statuses=frozenset({429}),
)


def repository_id(full_name: str, branch: str) -> str:
    """Greptile's id of a GitHub repository's branch: `github:main:owner/repo`."""
    return f"github:{branch}:{full_name}"


class RepositoryNotIndexed(Exception):
    """Greptile has no index of this repository (404)."""


class GreptileClient:
    def __init__(self, config: GreptileConfig, http: HttpPolicy) -> None:
        self.config = config
        self.http = http
        self._next_id = 0

    def _headers(self) -> dict[str, str]:
        token = self.config.github_token
        return {"X-GitHub-Token": token.get_secret_value()} if token else {}

    def repository(self, external_id: str) -> dict[str, Any]:
        """`GET /v2/repositories/{id}`, the id URL-encoded as one path segment."""
        path = f"/v2/repositories/{quote(external_id, safe='')}"
        try:
            response = self.http.send("GET", self.config.url(path), headers=self._headers())
        except UpstreamNotFound:
            raise RepositoryNotIndexed(external_id) from None
        body = json_body(response)
        if not isinstance(body, dict):
            raise ConnectorError(f"Greptile answered {path} with something other than an object")
        return body

    def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        """An MCP tool's result: the JSON of its text content (or its structured content)."""
        result = self.rpc("tools/call", {"name": name, "arguments": arguments})
        if not isinstance(result, dict):
            raise ConnectorError(f"Greptile's {name} answered something other than an object")
        if isinstance(result.get("structuredContent"), dict):
            return result["structuredContent"]
        texts = [
            part.get("text")
            for part in result.get("content") or ()
            if isinstance(part, dict) and part.get("type") == "text"
        ]
        if result.get("isError"):
            raise ConnectorError(f"Greptile's {name} failed: {' '.join(map(str, texts))[:200]}")
        try:
            return json.loads(str(texts[0]))
        except (IndexError, ValueError):
            raise ConnectorError(f"Greptile's {name} answered no JSON content") from None

    def rpc(self, method: str, params: dict[str, Any]) -> Any:
        self._next_id += 1
        body = {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}
        response = self.http.send(
            "POST",
            self.config.url("/mcp"),
            json_body=body,
            headers={"Accept": "application/json, text/event-stream"},
        )
        answer = json_body(response)
        if not isinstance(answer, dict):
            raise ConnectorError("Greptile's MCP server answered something other than JSON-RPC")
        error = answer.get("error")
        if isinstance(error, dict):
            message = str(error.get("message") or "")
            if "unauthori" in message.lower() or "api key" in message.lower():
                raise SyncError(
                    "bad_credentials",
                    f"Greptile rejected the API key ({message}). Paste a valid API key in "
                    "Settings → Greptile.",
                )
            raise ConnectorError(f"Greptile's MCP {method} failed ({error.get('code')}: {message})")
        return answer.get("result")
