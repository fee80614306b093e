"""Linear's error shape: `errors[].extensions` with `type`, `code`, `statusCode`, `userError`
and `userPresentableMessage` (the fields Linear's SDK reads in `src/error.ts`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from veelocity.fakes.serving import Reply

JSON_HEADERS = {"content-type": "application/json; charset=utf-8"}


def error_entry(
    message: str, code: str, kind: str, status: int, presentable: str | None = None
) -> dict[str, Any]:
    return {
        "message": message,
        "extensions": {
            "type": kind,
            "code": code,
            "statusCode": status,
            "userError": status < 500,
            "userPresentableMessage": presentable or message,
        },
    }


def error_reply(
    http_status: int,
    entries: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
) -> Reply:
    body = json.dumps({"data": None, "errors": entries}).encode()
    return Reply(http_status, body, {**JSON_HEADERS, **(headers or {})})


def authentication_error() -> Reply:
    return error_reply(
        401,
        [
            error_entry(
                "Authentication required, not authenticated",
                "AUTHENTICATION_ERROR",
                "authentication error",
                401,
                "You need to authenticate to access this operation.",
            )
        ],
    )


def rate_limited(http_status: int, retry_after: int, headers: dict[str, str]) -> Reply:
    entry = error_entry(
        "Rate limit exceeded",
        "RATELIMITED",
        "ratelimited",
        429,
        "You've made too many requests. Please wait a bit and try again.",
    )
    return error_reply(http_status, [entry], {**headers, "retry-after": str(retry_after)})


def validation_failed(messages: Sequence[Mapping[str, Any]], headers: dict[str, str]) -> Reply:
    entries = []
    for problem in messages:
        entry = error_entry(problem["message"], "GRAPHQL_VALIDATION_FAILED", "graphql error", 400)
        if "locations" in problem:
            entry["locations"] = problem["locations"]
        entries.append(entry)
    return error_reply(400, entries, headers)
