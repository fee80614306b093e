"""Reading the recording fake's request log (`processes.py`): which stream each request read,
and which pages a run asked for again after the run before it was killed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: (stream, scope) as the connector's checkpoints name them
StreamScope = tuple[str, str]

_REPOSITORY = re.compile(
    r"^/(?:repos/(?P<full>[^/]+/[^/]+)|repositories/(?P<id>\d+))(?P<rest>/.*)?$"
)
_ORGANISATION = re.compile(r"^/(?:orgs/(?P<login>[^/]+)|organizations/\d+)/repos$")
_RUNS = re.compile(r"^/actions/workflows/(?P<workflow>\d+)/runs$")
_GRAPHQL_STREAMS = {"query PullRequests": "pull_requests", "query Deployments": "deployments"}


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    body: str
    status: int | None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.method, self.target, self.body


def read_from(log: Path, line: int) -> list[Request]:
    """The requests logged from line `line` (0-based) on."""
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()[line:]
    return [Request(**json.loads(text)) for text in lines if text.strip()]


def stream_of(request: Request, organisation: str, names: Mapping[int, str]) -> StreamScope | None:
    """The stream and scope a sync request reads (None for anything else)."""
    path = request.target.split("?", 1)[0]
    if request.method == "POST" and path == "/graphql":
        document: dict[str, Any] = json.loads(request.body)
        variables = document.get("variables") or {}
        for opening, stream in _GRAPHQL_STREAMS.items():
            if opening in document.get("query", ""):
                return stream, f"{variables['owner']}/{variables['name']}"
        return None
    if _ORGANISATION.match(path):
        return "repositories", organisation
    match = _REPOSITORY.match(path)
    if match is None:
        return None
    full = match.group("full") or names[int(match.group("id"))]
    rest = match.group("rest") or ""
    runs = _RUNS.match(rest)
    if runs:
        return "workflow_runs", f"{full}:{runs.group('workflow')}"
    streams = {"/commits": "commits", "/releases": "releases", "/issues": "issues"}
    if rest in streams:
        return streams[rest], full
    if rest == "/actions/workflows":
        return "workflows", full
    return None


def refetched(
    killed: Iterable[Request],
    following: Iterable[Request],
    finished: set[StreamScope],
    organisation: str,
    names: Mapping[int, str],
) -> list[Request]:
    """Pages the run after a kill asked for again: answered in full (200) to the killed run,
    and again to the next one, for a stream whose pass the kill left unfinished. (A finished
    stream's next pass starts over at its first page: that is the incremental sync, not a
    page read twice.)"""
    answered = {r.key for r in killed if r.status == 200}
    again: list[Request] = []
    for request in following:
        stream = stream_of(request, organisation, names)
        if request.status != 200 or request.key not in answered:
            continue
        if stream is not None and stream not in finished:
            again.append(request)
    return again
