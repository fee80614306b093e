"""A cycle's (sprint's) figures from its issues' replayed history: committed, added, removed,
completed, carried over, the completion rate, the same in estimate points, and the burn-up.

Membership at the start counts changes made at that moment (Linear fills a cycle as it
starts); membership at the end does not (Linear moves unfinished issues on as it ends).
Cancelled issues are left out of every figure. Points use each issue's current estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from veelocity.metrics.issues.timeline import IssueFacts

COMPLETED = "completed"


@dataclass(frozen=True)
class CycleDates:
    external_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CycleFigures:
    """Each figure is the issues behind it, by id; counts and points follow from them."""

    committed: list[int]
    added: list[int]
    removed: list[int]
    completed: list[int]
    carried_over: list[int]
    #: when each completed issue was completed in the cycle
    completed_at: dict[int, datetime]

    @property
    def scope(self) -> int:
        return len(self.committed) + len(self.added) - len(self.removed)


@dataclass(frozen=True)
class BurnUpPoint:
    day: date
    scope: int
    completed: int
    scope_points: float
    completed_points: float


def _in_cycle_during(issue: IssueFacts, cycle: CycleDates, end: datetime) -> bool:
    if issue.cycle_at(cycle.starts_at) == cycle.external_id:
        return True
    return any(
        value == cycle.external_id
        for _, value in issue.cycles.entries_between(cycle.starts_at, end)
    ) or (cycle.starts_at < issue.created_at < end and issue.cycles.values[0] == cycle.external_id)


def _completed_in_cycle(issue: IssueFacts, cycle: CycleDates, end: datetime) -> datetime | None:
    """The first move into a completed state within [start, end) while in the cycle."""
    previous_type: str | None = None
    for at, state in zip(issue.states.starts, issue.states.values, strict=True):
        state_type = issue.state_types.get(state) if state is not None else None
        entered = state_type == COMPLETED and previous_type != COMPLETED
        previous_type = state_type
        if entered and cycle.starts_at <= at < end and issue.cycle_at(at) == cycle.external_id:
            return at
    return None


def cycle_figures(
    cycle: CycleDates, issues: Sequence[IssueFacts], *, now: datetime | None = None
) -> CycleFigures:
    """The figures of a cycle; for a cycle still running at `now`, the figures so far."""
    end = min(cycle.ends_at, now) if now is not None else cycle.ends_at
    committed: list[int] = []
    added: list[int] = []
    removed: list[int] = []
    completed: list[int] = []
    carried_over: list[int] = []
    completed_at: dict[int, datetime] = {}
    for issue in issues:
        if issue.is_canceled or not _in_cycle_during(issue, cycle, end):
            continue
        at_start = issue.cycle_at(cycle.starts_at) == cycle.external_id
        at_end = issue.cycle_at(end, including_changes_at=False) == cycle.external_id
        (committed if at_start else added).append(issue.id)
        if not at_end:
            removed.append(issue.id)
        done_at = _completed_in_cycle(issue, cycle, end)
        if done_at is not None:
            completed.append(issue.id)
            completed_at[issue.id] = done_at
        if at_end and issue.state_type_at(end, including_changes_at=False) != COMPLETED:
            carried_over.append(issue.id)
    return CycleFigures(committed, added, removed, completed, carried_over, completed_at)


def completion_rate(
    completed: float, committed: float, added: float, removed: float
) -> float | None:
    """completed ÷ (committed + added − removed); None when nothing was in scope."""
    scope = committed + added - removed
    return completed / scope if scope > 0 else None


def points(ids: Sequence[int], estimates: dict[int, float | None]) -> float:
    return float(sum(estimates.get(i) or 0.0 for i in ids))


def burn_up(
    cycle: CycleDates, issues: Sequence[IssueFacts], figures: CycleFigures, *, now: datetime
) -> list[BurnUpPoint]:
    """Scope and completed at the end of each day of the cycle (up to now)."""
    live = [i for i in issues if not i.is_canceled]
    last = min(cycle.ends_at, now)
    result: list[BurnUpPoint] = []
    day = cycle.starts_at.date()
    while True:
        day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
        moment = min(day_end, last)
        if moment <= cycle.starts_at and result:
            break
        members = [
            i for i in live if i.cycle_at(moment, including_changes_at=False) == cycle.external_id
        ]
        done = [
            i for i in live if i.id in figures.completed_at and figures.completed_at[i.id] < moment
        ]
        result.append(
            BurnUpPoint(
                day=day,
                scope=len(members),
                completed=len(done),
                scope_points=float(sum(i.estimate or 0.0 for i in members)),
                completed_points=float(sum(i.estimate or 0.0 for i in done)),
            )
        )
        if day_end >= last:
            break
        day += timedelta(days=1)
    return result
