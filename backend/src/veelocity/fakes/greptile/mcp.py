"""Greptile's MCP server as the fake speaks it: JSON-RPC 2.0 over `POST /mcp`.

Methods: `initialize`, `ping`, `tools/list` and `tools/call` of `list_pull_requests` (alias
`list_merge_requests`) and `list_code_reviews`, with their filters and offset paging. A tool's
answer is MCP's `{"content": [{"type": "text", "text": "<JSON>"}]}`. Errors use the standard
codes Greptile documents (−32603 includes authentication failures).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from veelocity.demo.ai_model import GreptileAccount, GreptileCodeReview, GreptileMergeRequest

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
PROTOCOL_VERSION = "2025-06-18"
REVIEW_STATUSES = (
    "PENDING",
    "REVIEWING_FILES",
    "GENERATING_SUMMARY",
    "COMPLETED",
    "FAILED",
    "SKIPPED",
)
REMOTES = ("github", "gitlab", "azure", "bitbucket")
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class RpcError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(request_id: object, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _tool(name: str, description: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "inputSchema": {"type": "object", "properties": properties},
    }


_REPOSITORY_FILTER = {
    "name": {"type": "string", "description": "Repository name (owner/repo)"},
    "remote": {"type": "string", "enum": list(REMOTES)},
    "defaultBranch": {"type": "string"},
}
_PAGING = {"limit": {"type": "number"}, "offset": {"type": "number"}}
TOOLS = [
    _tool(
        "list_pull_requests",
        "List pull requests with optional filtering.",
        {
            **_REPOSITORY_FILTER,
            "sourceBranch": {"type": "string"},
            "authorLogin": {"type": "string"},
            "state": {"type": "string", "enum": ["open", "closed"]},
            **_PAGING,
        },
    ),
    _tool(
        "list_code_reviews",
        "List code reviews with optional filtering.",
        {
            **_REPOSITORY_FILTER,
            "prNumber": {"type": "number"},
            "status": {"type": "string", "enum": list(REVIEW_STATUSES)},
            **_PAGING,
        },
    ),
]


class Mcp:
    """Answers one JSON-RPC request (a parsed object) over ACCOUNT."""

    def __init__(self, account: GreptileAccount) -> None:
        self.account = account
        self.tools: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "list_pull_requests": self.list_pull_requests,
            "list_merge_requests": self.list_pull_requests,
            "list_code_reviews": self.list_code_reviews,
        }

    def call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "ping":
            return {}
        if method == "initialize":
            return {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "greptile", "version": "fake"},
            }
        if method == "tools/list":
            return {"tools": TOOLS}
        if method == "tools/call":
            name = params.get("name")
            arguments = params.get("arguments") or {}
            if not isinstance(name, str) or name not in self.tools:
                raise RpcError(INVALID_PARAMS, f"Unknown tool: {name}")
            if not isinstance(arguments, dict):
                raise RpcError(INVALID_PARAMS, "arguments must be an object")
            payload = self.tools[name](arguments)
            return {"content": [{"type": "text", "text": json.dumps(payload)}], "isError": False}
        raise RpcError(METHOD_NOT_FOUND, f"Method not found: {method}")

    # --- tools ------------------------------------------------------------------------------
    def list_pull_requests(self, arguments: dict[str, Any]) -> dict[str, Any]:
        repository = _repository_filter(arguments)
        limit, offset = _paging(arguments)
        state = arguments.get("state")
        if state is not None and state not in ("open", "closed"):
            raise RpcError(INVALID_PARAMS, "state must be open or closed")
        source = str(arguments.get("sourceBranch") or "").lower()
        author = str(arguments.get("authorLogin") or "").lower()
        found = [
            mr
            for mr in self.account.merge_requests
            if _in_repository(mr.repository, mr.remote, mr.target_branch, repository)
            and (state is None or mr.state == state)
            and source in mr.source_branch.lower()
            and author in mr.author_login.lower()
        ]
        found.sort(key=lambda mr: (mr.created_at, mr.id), reverse=True)
        page = found[offset : offset + limit]
        return {"mergeRequests": [_merge_request(mr) for mr in page], "total": len(found)}

    def list_code_reviews(self, arguments: dict[str, Any]) -> dict[str, Any]:
        repository = _repository_filter(arguments)
        limit, offset = _paging(arguments)
        status = arguments.get("status")
        if status is not None and status not in REVIEW_STATUSES:
            raise RpcError(INVALID_PARAMS, f"status must be one of {', '.join(REVIEW_STATUSES)}")
        number = arguments.get("prNumber")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
            raise RpcError(INVALID_PARAMS, "prNumber must be a number")
        found = [
            review
            for review in self.account.code_reviews
            if _in_repository(review.repository, review.remote, review.default_branch, repository)
            and (status is None or review.status == status)
            and (number is None or review.pr_number == int(number))
        ]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        page = found[offset : offset + limit]
        return {"codeReviews": [_code_review(r) for r in page], "total": len(found)}


def _repository_filter(arguments: dict[str, Any]) -> tuple[str, str, str] | None:
    given = [arguments.get(k) for k in ("name", "remote", "defaultBranch")]
    if all(v is None for v in given):
        return None
    if any(v is None for v in given) or not all(isinstance(v, str) for v in given):
        raise RpcError(
            INVALID_PARAMS, "name, remote and defaultBranch must be provided together or omitted"
        )
    name, remote, branch = (str(v) for v in given)
    if remote not in REMOTES:
        raise RpcError(INVALID_PARAMS, f"remote must be one of {', '.join(REMOTES)}")
    return name, remote, branch


def _in_repository(
    name: str, remote: str, branch: str, wanted: tuple[str, str, str] | None
) -> bool:
    return wanted is None or (name.lower(), remote, branch) == (
        wanted[0].lower(),
        wanted[1],
        wanted[2],
    )


def _paging(arguments: dict[str, Any]) -> tuple[int, int]:
    limit = arguments.get("limit", DEFAULT_LIMIT)
    offset = arguments.get("offset", 0)
    for name, value in (("limit", limit), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise RpcError(INVALID_PARAMS, f"{name} must be an integer")
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise RpcError(INVALID_PARAMS, f"limit must be between 1 and {MAX_LIMIT}")
    if int(offset) < 0:
        raise RpcError(INVALID_PARAMS, "offset must not be negative")
    return int(limit), int(offset)


def _merge_request(mr: GreptileMergeRequest) -> dict[str, Any]:
    return {
        "id": mr.id,
        "number": mr.number,
        "title": mr.title,
        "state": mr.state,
        "isDraft": mr.is_draft,
        "authorLogin": mr.author_login,
        "branches": {"source": mr.source_branch, "target": mr.target_branch},
        "repository": {"name": mr.repository, "remote": mr.remote},
        "stats": {
            "changedFiles": mr.changed_files,
            "additions": mr.additions,
            "deletions": mr.deletions,
        },
        "commentsCount": mr.comments_count,
        "reviewsCount": mr.reviews_count,
        "createdAt": _iso(mr.created_at),
    }


def _code_review(review: GreptileCodeReview) -> dict[str, Any]:
    return {
        "id": review.id,
        "status": review.status,
        "createdAt": _iso(review.created_at),
        "completedAt": _iso(review.completed_at),
        "commentsCount": review.comments_count,
        "mergeRequest": {
            "number": review.pr_number,
            "title": review.pr_title,
            "repository": {"name": review.repository, "remote": review.remote},
        },
    }
