"""A deployment that names the pull requests it ships: their merge commits, looked up.

Tools that deploy pull requests (rather than commits) know them by number or web address.
Shipping is decided by merge commits, so each named pull request must be known and merged;
an unknown one fails the batch with a sentence that says what to send first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import DeploymentIn
from veelocity.models import PullRequest
from veelocity.store import find_repositories


@dataclass(frozen=True)
class _Known:
    number: int | None
    url: str | None
    merge_commit_sha: str | None


def _normalised_url(url: str) -> str:
    return url.rstrip("/").lower()


def _known_pull_requests(session: Session, repository_id: int) -> list[_Known]:
    return [
        _Known(number, url, sha)
        for number, url, sha in session.execute(
            select(PullRequest.number, PullRequest.url, PullRequest.merge_commit_sha).where(
                PullRequest.repository_id == repository_id
            )
        )
    ]


def _describe(named: int | str) -> str:
    return f"pull request #{named}" if isinstance(named, int) else f"pull request at {named}"


def merge_commits_of_named_pull_requests(
    session: Session,
    items: Sequence[DeploymentIn],
    *,
    prefix: Sequence[str | int] = ("items",),
    loc_root: Sequence[str] = (),
) -> dict[int, list[str]]:
    """For each item (by index) that names pull requests, their merge commits. Raises
    InvalidInput naming `items.N.pull_requests.M` for each one that is unknown or unmerged."""
    wanted = [(index, item) for index, item in enumerate(items) if item.pull_requests]
    if not wanted:
        return {}
    repository_ids = find_repositories(session, {item.repository for _, item in wanted})
    cache: dict[int, list[_Known]] = {}
    found: dict[int, list[str]] = {}
    problems: list[dict[str, Any]] = []
    for index, item in wanted:
        repository_id = repository_ids.get(item.repository)
        known: list[_Known] = []
        if repository_id is not None:
            if repository_id not in cache:
                cache[repository_id] = _known_pull_requests(session, repository_id)
            known = cache[repository_id]
        shas: list[str] = []
        for position, named in enumerate(item.pull_requests or ()):
            if isinstance(named, int):
                matches = [k for k in known if k.number == named]
            else:
                matches = [
                    k for k in known if k.url and _normalised_url(k.url) == _normalised_url(named)
                ]
            merged = [k.merge_commit_sha for k in matches if k.merge_commit_sha]
            if merged:
                shas.extend(merged)
                continue
            what = _describe(named)
            message = (
                f"{what} of {item.repository} has no merge commit yet; send it merged (with "
                "merge_commit_sha) first, or list the deployed commits in commits"
                if matches
                else f"no {what} is known in {item.repository}; send the pull request first "
                "(or sync its repository), or list the deployed commits in commits"
            )
            problems.append(
                {
                    "loc": [*loc_root, *prefix, index, "pull_requests", position],
                    "msg": message,
                    "type": "unknown_pull_request",
                }
            )
        found[index] = shas
    if problems:
        first = problems[0]
        where = ".".join(str(part) for part in first["loc"][len(loc_root) :])
        raise InvalidInput(f"{where}: {first['msg']}", details=problems)
    return found
