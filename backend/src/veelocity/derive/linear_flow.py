"""An issue's flow figures from its state history, as metrics.md defines them (pure functions).

State types are Linear's: triage, backlog, unstarted, started, completed, canceled. A state
derive cannot type (deleted before it was ever read) starts or completes nothing and its time
is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from veelocity.derive.timelines import span_seconds

STARTED = "started"
COMPLETED = "completed"
CANCELED = "canceled"


@dataclass(frozen=True)
class StateMove:
    """One history entry that changed the state (Linear's state ids as they were)."""

    at: datetime
    from_state: str | None
    to_state: str | None


@dataclass(frozen=True)
class IssueFacts:
    created_at: datetime
    #: the type of the issue's current state (None when its state is unknown)
    current_type: str | None
    moves: Sequence[StateMove]
    #: as Linear reports them: used only when the history holds no state change
    reported_started_at: datetime | None = None
    reported_completed_at: datetime | None = None


@dataclass(frozen=True)
class Flow:
    started_at: datetime | None
    completed_at: datetime | None
    is_canceled: bool
    lead_seconds: int | None
    cycle_seconds: int | None
    state_type_seconds: dict[str, int] = field(default_factory=dict)


def _segments(facts: IssueFacts, types: dict[str, str]) -> list[tuple[datetime, str | None]]:
    """(entered at, state type) for each state the issue has been in, oldest first."""
    moves = sorted(facts.moves, key=lambda m: m.at)
    first = types.get(moves[0].from_state or "") if moves else facts.current_type
    segments: list[tuple[datetime, str | None]] = [(facts.created_at, first)]
    for move in moves:
        segments.append((move.at, types.get(move.to_state or "")))
    return segments


def compute_flow(facts: IssueFacts, types: dict[str, str]) -> Flow:
    """Flow figures of one issue. `types` maps Linear state ids to state types.

    started: the first time the issue entered a started state (its creation counts when it
    was created in one). completed: the last time it entered a completed state, when it is
    completed now. Time in each state type sums the states the issue has left: up to its
    completion for a completed issue, up to its current state for an open one (whose current
    state is still running, so it is not counted yet).
    """
    segments = _segments(facts, types)
    current_type = facts.current_type or segments[-1][1]
    has_moves = bool(facts.moves)
    started_at = next((at for at, kind in segments if kind == STARTED), None)
    if started_at is None and not has_moves:
        started_at = facts.reported_started_at
    completed_at = None
    if current_type == COMPLETED:
        completed_at = next((at for at, kind in reversed(segments) if kind == COMPLETED), None)
        if completed_at is None or not has_moves:
            completed_at = facts.reported_completed_at or completed_at
    seconds: dict[str, int] = {}
    for (entered, kind), (left, _next) in pairwise(segments):
        span = span_seconds(entered, left)
        if kind is not None and span is not None:
            seconds[kind] = seconds.get(kind, 0) + span
    is_canceled = current_type == CANCELED
    return Flow(
        started_at=started_at,
        completed_at=completed_at,
        is_canceled=is_canceled,
        lead_seconds=span_seconds(facts.created_at, completed_at),
        cycle_seconds=span_seconds(started_at, completed_at),
        state_type_seconds=seconds,
    )


@dataclass(frozen=True)
class LinkedPullRequest:
    first_commit_at: datetime | None
    created_at: datetime
    merged_at: datetime | None
    deployed_at: datetime | None
    deployment_id: int | None


@dataclass(frozen=True)
class ToProduction:
    deployment_id: int | None
    deployed_at: datetime | None
    seconds: int | None = None
    before_pr_seconds: int | None = None
    pr_cycle_seconds: int | None = None
    deploy_seconds: int | None = None


def _clamp(value: datetime, low: datetime, high: datetime) -> datetime:
    return min(max(value, low), high)


def compute_to_production(
    *, created_at: datetime, started_at: datetime | None, prs: Iterable[LinkedPullRequest]
) -> ToProduction:
    """Issue-to-production: from started (created, when never started) to the earliest
    production deployment that ships a linked, merged PR, in three parts that add up to the
    whole: before the first linked PR's first commit, the PR cycle (to the last merge that
    deployment ships), and deploy time. A part that would run backwards (work committed
    before the issue started) counts zero; an issue started after its PR reached production
    has no figure."""
    prs = list(prs)
    shipped = [p for p in prs if p.merged_at is not None and p.deployed_at is not None]
    if not shipped:
        return ToProduction(None, None)
    first = min(shipped, key=lambda p: (p.deployed_at, p.deployment_id or 0))
    deployed_at = first.deployed_at
    assert deployed_at is not None  # filtered above
    start = started_at or created_at
    total = span_seconds(start, deployed_at)
    if total is None:
        return ToProduction(first.deployment_id, deployed_at)
    merges = [p.merged_at for p in shipped if p.deployed_at == deployed_at and p.merged_at]
    merged = _clamp(max(merges), start, deployed_at)
    commits = [p.first_commit_at or p.created_at for p in prs if p.created_at <= deployed_at]
    coding = _clamp(min(commits), start, merged) if commits else merged
    return ToProduction(
        deployment_id=first.deployment_id,
        deployed_at=deployed_at,
        seconds=total,
        before_pr_seconds=span_seconds(start, coding),
        pr_cycle_seconds=span_seconds(coding, merged),
        deploy_seconds=span_seconds(merged, deployed_at),
    )
