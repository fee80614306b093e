"""Requests fired at a server during a database outage, and what each got back."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

HEALTH = "/api/v1/health"


@dataclass(frozen=True)
class Answer:
    path: str
    status: int | None  # None: no answer before the client gave up
    seconds: float
    body: Any
    retry_after: str | None


def ask(base: str, path: str, headers: dict[str, str], timeout: float = 15.0) -> Answer:
    started = time.monotonic()
    try:
        response = httpx.get(f"{base}{path}", headers=headers, timeout=timeout)
    except httpx.HTTPError:
        return Answer(path, None, time.monotonic() - started, None, None)
    seconds = time.monotonic() - started
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    return Answer(path, response.status_code, seconds, body, response.headers.get("retry-after"))


def fire(base: str, paths: list[str], headers: dict[str, str]) -> list[Answer]:
    """Ask for every path at once (one thread each)."""
    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda path: ask(base, path, headers), paths))


def seconds_until(base: str, path: str, headers: dict[str, str], limit: float) -> float | None:
    """How long until PATH answers 200 (None: not within LIMIT seconds)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if ask(base, path, headers, timeout=limit).status == 200:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def problems(answers: list[Answer], *, within: float) -> list[str]:
    """What is wrong with answers given during an outage: late, not 200 or 503, not JSON,
    a 503 without a stable code or Retry-After."""
    found = []
    for answer in answers:
        where = f"{answer.path} ({answer.status}, {answer.seconds:.2f} s)"
        if answer.status is None or answer.seconds > within:
            found.append(f"{where}: no answer within {within} s")
        elif answer.status not in (200, 503) or not isinstance(answer.body, dict):
            found.append(f"{where}: not 200 or 503 JSON: {answer.body!r}")
        elif answer.status == 503 and answer.path == HEALTH:
            if answer.body != {"status": "unhealthy"}:
                found.append(f"{where}: {answer.body!r}")
        elif answer.status == 503:
            code = answer.body.get("error", {}).get("code")
            if code not in ("database_unavailable", "overloaded") or not answer.retry_after:
                found.append(f"{where}: code {code!r}, Retry-After {answer.retry_after!r}")
    return found
