"""The fake Greptile as an ASGI application: `GET /v2/repositories/{repositoryId}` of the REST
API and the MCP server at `POST /mcp`, over one generated account.

Keys, faults and statistics behave as docs/fake-greptile.md describes.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.types import Receive, Scope, Send

from veelocity.demo.ai_model import GreptileAccount, GreptileRepository
from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.greptile.mcp import (
    INTERNAL_ERROR,
    INVALID_REQUEST,
    PARSE_ERROR,
    Mcp,
    RpcError,
    error_response,
)
from veelocity.fakes.serving import Reply, answer_lifespan, read_body, send_reply

# The key the demo configures Veelocity with. It only opens this local fake.
DEMO_KEY = "greptile_demo_0000000000000000000000000000"  # pragma: allowlist secret
JSON_HEADERS = {"content-type": "application/json"}
REPOSITORIES = "/v2/repositories/"


@dataclass(slots=True)
class Stats:
    requests: int = 0
    errors: int = 0  # HTTP errors; JSON-RPC errors travel with HTTP 200
    #: "GET /v2/repositories/{id}" or "mcp <method>" / "mcp tools/call <tool>"
    by_call: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, call: str, failed: bool) -> None:
        with self.lock:
            self.requests += 1
            self.errors += failed
            self.by_call[call] += 1


class FakeGreptile:
    """`FakeGreptile(account)` is an ASGI app; `faults`, `stats` and `keys` are set per test."""

    def __init__(
        self,
        account: GreptileAccount,
        *,
        keys: Sequence[str] | None = None,
        before_request: Callable[[], None] | None = None,
    ) -> None:
        self.account = account
        self.keys = set(keys or [DEMO_KEY])
        self.before_request = before_request
        self.faults = Faults()
        self.stats = Stats()
        self.lock = threading.RLock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        path = raw_path.split("?", 1)[0]
        faults = self.faults.take(scope["method"], path)
        delay = self.faults.latency + sum(f.seconds for f in faults if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        hang = next((f for f in faults if f.kind == "hang"), None)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        body = await read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        call = "unknown"
        try:
            call, reply = self.answer(scope["method"], path, headers, body, faults)
        except Exception as failure:  # a bug in the fake must read as one, not as a hang
            reply = _json(500, {"message": "Internal Server Error", "error": repr(failure)})
        self.stats.record(call, reply.status >= 400)
        await send_reply(reply, {f.kind for f in faults}, send)

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() in self.keys

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes, faults: list[Fault]
    ) -> tuple[str, Reply]:
        status_fault = next((f for f in faults if f.kind == "status"), None)
        if path.rstrip("/") == "/mcp":
            if method != "POST":
                return "mcp", _json(405, {"message": "Method Not Allowed", "error": method})
            if status_fault is not None:
                message = status_fault.message or "Internal Server Error"
                return "mcp", _json(status_fault.status, {"message": message, "error": message})
            return self._mcp(headers, body)
        if not path.startswith(REPOSITORIES) or method != "GET":
            return "unknown", _json(404, {"message": "Not Found", "error": "Not Found"})
        call = "GET /v2/repositories/{id}"
        if not self._authorised(headers):
            return call, _json(401, {"message": "Unauthorized", "error": "Invalid API key"})
        if status_fault is not None:
            message = status_fault.message or "Internal Server Error"
            return call, _json(status_fault.status, {"message": message, "error": message})
        encoded = path[len(REPOSITORIES) :]
        # The id travels URL-encoded as one segment; a bare `/` makes it another route.
        if not encoded or "/" in encoded:
            return call, _json(404, {"message": "Not Found", "error": "Not Found"})
        wanted = unquote(encoded)
        with self.lock:
            if self.before_request is not None:
                self.before_request()
            found = next((r for r in self.account.repositories if r.id == wanted), None)
            if found is None:
                return call, _json(404, {"message": "Repository not found", "error": wanted})
            return call, _json(200, repository_info(found))

    def _mcp(self, headers: dict[str, str], body: bytes) -> tuple[str, Reply]:
        try:
            request = json.loads(body)
        except ValueError:
            return "mcp", _json(200, error_response(None, PARSE_ERROR, "Parse error"))
        if not isinstance(request, dict) or request.get("jsonrpc") != "2.0":
            return "mcp", _json(200, error_response(None, INVALID_REQUEST, "Invalid Request"))
        request_id = request.get("id")
        method = request.get("method")
        params = request.get("params") or {}
        if not isinstance(method, str) or not isinstance(params, dict):
            return "mcp", _json(200, error_response(request_id, INVALID_REQUEST, "Invalid Request"))
        call = f"mcp {method}"
        if method == "tools/call":
            call += f" {params.get('name')}"
        if not self._authorised(headers):
            message = "Unauthorized: missing or invalid API key"
            return call, _json(200, error_response(request_id, INTERNAL_ERROR, message))
        if "id" not in request:  # a notification: nothing to answer
            return call, Reply(202, b"", {})
        try:
            with self.lock:
                if self.before_request is not None:
                    self.before_request()
                result: Any = Mcp(self.account).call(method, params)
        except RpcError as failure:
            return call, _json(200, error_response(request_id, failure.code, failure.message))
        return call, _json(200, {"jsonrpc": "2.0", "id": request_id, "result": result})


def repository_info(repository: GreptileRepository) -> dict[str, Any]:
    info: dict[str, Any] = {
        "repository": repository.repository,
        "remote": repository.remote,
        "branch": repository.branch,
        "private": repository.private,
        "status": repository.status,
        "filesProcessed": repository.files_processed,
        "numFiles": repository.num_files,
    }
    if repository.sha is not None:  # set once the repository is indexed
        info["sha"] = repository.sha
    return info


def _json(status: int, body: object) -> Reply:
    return Reply(status, json.dumps(body).encode(), dict(JSON_HEADERS))
