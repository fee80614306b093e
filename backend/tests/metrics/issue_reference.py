"""A plain-Python reference of metrics.md's "Issues (Linear)" over generated histories, written
from the definitions without the product's code, for the property tests.

Boundaries, as docs/metrics.md states them: a cycle's start counts the changes made at that
moment, its end does not; a day's end does not count a change made exactly at midnight.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

BACKLOG = ("triage", "backlog", "unstarted")
NO_CYCLE = -1


@dataclass(frozen=True)
class GenMove:
    at: datetime
    #: the state type moved to, or None when the entry did not change the state
    state: str | None = None
    #: the cycle (index) moved to, NO_CYCLE to leave it, None when unchanged
    cycle: int | None = None


@dataclass
class GenIssue:
    created_at: datetime
    state: str
    cycle: int | None
    moves: list[GenMove] = field(default_factory=list)
    estimate: float | None = None

    def states(self) -> list[tuple[datetime, str]]:
        """(since, state type), oldest first."""
        result = [(self.created_at, self.state)]
        for move in self.moves:
            if move.state is not None:
                result.append((move.at, move.state))
        return result

    def cycles(self) -> list[tuple[datetime, int | None]]:
        result = [(self.created_at, self.cycle)]
        for move in self.moves:
            if move.cycle is not None:
                result.append((move.at, None if move.cycle == NO_CYCLE else move.cycle))
        return result

    @property
    def current_state(self) -> str:
        return self.states()[-1][1]

    @property
    def canceled(self) -> bool:
        return self.current_state == "canceled"

    def state_at(self, moment: datetime, *, inclusive: bool) -> str | None:
        held = None
        for since, value in self.states():
            if since < moment or (inclusive and since == moment):
                held = value
        return held

    def cycle_at(self, moment: datetime, *, inclusive: bool) -> int | None:
        held = None
        for since, value in self.cycles():
            if since < moment or (inclusive and since == moment):
                held = value
        return held

    # --- flow -------------------------------------------------------------------------------

    def started_at(self) -> datetime | None:
        return next((since for since, kind in self.states() if kind == "started"), None)

    def completed_at(self) -> datetime | None:
        if self.current_state != "completed":
            return None
        entered = [
            since
            for (since, kind), previous in zip(
                self.states(), [None, *[k for _, k in self.states()]], strict=False
            )
            if kind == "completed" and previous != "completed"
        ]
        return entered[-1]

    def lead_seconds(self) -> float | None:
        done = self.completed_at()
        return (done - self.created_at).total_seconds() if done else None

    def cycle_seconds(self) -> float | None:
        done, started = self.completed_at(), self.started_at()
        return (done - started).total_seconds() if done and started else None

    def seconds_by_type(self) -> dict[str, float]:
        """Time in each state the issue has left."""
        spans = self.states()
        totals: dict[str, float] = {}
        for (since, kind), (until, _) in pairwise(spans):
            totals[kind] = totals.get(kind, 0.0) + (until - since).total_seconds()
        return totals


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def completed_between(issues: list[GenIssue], start: datetime, end: datetime) -> list[GenIssue]:
    return [
        i
        for i in issues
        if not i.canceled and (done := i.completed_at()) is not None and start <= done < end
    ]


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def wip_on(issues: list[GenIssue], day: date) -> int:
    moment = end_of(day)
    return sum(
        1
        for i in issues
        if not i.canceled
        and i.created_at < moment
        and i.state_at(moment, inclusive=False) == "started"
    )


def backlog_on(issues: list[GenIssue], day: date) -> int:
    moment = end_of(day)
    return sum(
        1
        for i in issues
        if i.created_at < moment and i.state_at(moment, inclusive=False) in BACKLOG
    )


@dataclass(frozen=True)
class CycleCounts:
    committed: int
    added: int
    removed: int
    completed: int
    carried_over: int
    completed_points: float


def cycle_counts(
    issues: list[GenIssue], cycle: int, starts_at: datetime, ends_at: datetime
) -> CycleCounts:
    committed = added = removed = completed = carried = 0
    completed_points = 0.0
    for issue in issues:
        if issue.canceled:
            continue
        in_at_start = (
            issue.created_at <= starts_at and issue.cycle_at(starts_at, inclusive=True) == cycle
        )
        joined_during = any(
            starts_at < since < ends_at and value == cycle for since, value in issue.cycles()
        )
        if not (in_at_start or joined_during):
            continue
        in_at_end = issue.cycle_at(ends_at, inclusive=False) == cycle
        committed += in_at_start
        added += not in_at_start
        removed += not in_at_end
        states = issue.states()
        done = any(
            kind == "completed"
            and (index == 0 or states[index - 1][1] != "completed")
            and starts_at <= since < ends_at
            and issue.cycle_at(since, inclusive=True) == cycle
            for index, (since, kind) in enumerate(states)
        )
        if done:
            completed += 1
            completed_points += issue.estimate or 0.0
        carried += in_at_end and issue.state_at(ends_at, inclusive=False) != "completed"
    return CycleCounts(committed, added, removed, completed, carried, completed_points)
