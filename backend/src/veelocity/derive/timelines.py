"""Each pull request's timeline and phases, as metrics.md defines them (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

REVIEW_KINDS = frozenset({"review", "review_comment", "comment"})
_REVERT_BRANCH = re.compile(r"^revert-(\d+)(?:-|$)")


@dataclass(frozen=True)
class EventFact:
    kind: str
    actor_login: str
    at: datetime
    state: str | None = None


@dataclass(frozen=True)
class PullRequestFacts:
    author_login: str | None
    created_at: datetime
    is_draft: bool
    merged_at: datetime | None
    title: str
    head_branch: str | None
    labels: list[str]
    additions: int | None
    deletions: int | None
    commit_authored_at: list[datetime | None]
    events: list[EventFact]
    #: Lines added and deleted in files that PR size leaves out (known file lists only).
    excluded_lines: int = 0


@dataclass(frozen=True)
class Timeline:
    first_commit_at: datetime | None
    opened_at: datetime | None
    first_review_at: datetime | None
    approved_at: datetime | None
    coding_seconds: int | None
    pickup_seconds: int | None
    review_seconds: int | None
    merge_seconds: int | None
    cycle_seconds: int | None
    size: int | None
    is_revert: bool
    is_bot_author: bool


def span_seconds(start: datetime | None, end: datetime | None) -> int | None:
    """Whole seconds from start to end; None when either is missing or the span is negative."""
    if start is None or end is None:
        return None
    seconds = int((end - start).total_seconds())
    return seconds if seconds >= 0 else None


def _earliest(values: Iterable[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def is_revert(title: str, head_branch: str | None) -> bool:
    return title.startswith('Revert "') or bool(_REVERT_BRANCH.match(head_branch or ""))


def reverted_number(head_branch: str | None) -> int | None:
    """The number of the PR a GitHub revert branch (`revert-123-…`) reverts."""
    match = _REVERT_BRANCH.match(head_branch or "")
    return int(match[1]) if match else None


def reverted_title(title: str) -> str | None:
    if title.startswith('Revert "') and title.endswith('"'):
        return title[len('Revert "') : -1]
    return None


def compute_timeline(facts: PullRequestFacts, is_bot: Callable[[str | None], bool]) -> Timeline:
    first_commit_at = _earliest(facts.commit_authored_at)
    ready = _earliest(e.at for e in facts.events if e.kind == "ready_for_review")
    if ready is not None:
        opened_at: datetime | None = ready
    elif facts.is_draft:
        opened_at = None  # still a draft: not opened for review yet
    else:
        opened_at = facts.created_at
    author = (facts.author_login or "").lower()
    first_review_at = _earliest(
        e.at
        for e in facts.events
        if e.kind in REVIEW_KINDS
        and not is_bot(e.actor_login)
        and (not author or e.actor_login.lower() != author)
    )
    approved_at = _earliest(
        e.at for e in facts.events if e.kind == "review" and e.state == "APPROVED"
    )
    merged_at = facts.merged_at
    size = None
    if facts.additions is not None or facts.deletions is not None:
        size = max(0, (facts.additions or 0) + (facts.deletions or 0) - facts.excluded_lines)
    return Timeline(
        first_commit_at=first_commit_at,
        opened_at=opened_at,
        first_review_at=first_review_at,
        approved_at=approved_at,
        coding_seconds=span_seconds(first_commit_at, opened_at),
        pickup_seconds=span_seconds(opened_at, first_review_at),
        review_seconds=span_seconds(first_review_at, merged_at),
        merge_seconds=span_seconds(opened_at, merged_at),
        cycle_seconds=span_seconds(first_commit_at, merged_at),
        size=size,
        is_revert=is_revert(facts.title, facts.head_branch),
        is_bot_author=is_bot(facts.author_login),
    )


def lead_time_seconds(
    *,
    coding_seconds: int | None,
    merge_seconds: int | None,
    deploy_seconds: int | None,
    deployed: bool,
) -> int | None:
    """coding + (opened → merged) + deploy, a missing part counting 0; only once deployed."""
    if not deployed:
        return None
    return (coding_seconds or 0) + (merge_seconds or 0) + (deploy_seconds or 0)
