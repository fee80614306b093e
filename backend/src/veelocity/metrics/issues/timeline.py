"""An issue's history replayed: which state and which cycle it was in at any moment.

Pure functions over plain facts, so that the cycle, WIP and backlog maths need no database.
Linear's history names states and cycles by their Linear ids; a first entry's `from` side is
what the issue had before it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Change:
    """One history entry's move of one field (state or cycle)."""

    at: datetime
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Timeline:
    """What a field held from `created_at` on: `values[i]` from `starts[i]` until the next."""

    starts: tuple[datetime, ...]
    values: tuple[str | None, ...]

    def at(self, moment: datetime, *, including_changes_at: bool = True) -> str | None:
        """The value at `moment` (None before creation). With `including_changes_at=False` a
        change made exactly at `moment` is not yet applied: what held just before it."""
        find = bisect_right if including_changes_at else bisect_left
        index = find(self.starts, moment) - 1
        return self.values[index] if index >= 0 else None

    def entries_between(self, start: datetime, end: datetime) -> list[tuple[datetime, str | None]]:
        """The changes made strictly after `start` and strictly before `end`."""
        return [
            (at, value)
            for at, value in zip(self.starts[1:], self.values[1:], strict=True)
            if start < at < end
        ]


def build_timeline(
    created_at: datetime, current: str | None, changes: Sequence[Change]
) -> Timeline:
    """The field's values over time, from its changes in the order they happened: before the
    first change, what that change moved from (nothing known, when it names nothing — as
    derive counts a state's time); with no change, the current value since creation."""
    ordered = sorted(changes, key=lambda c: c.at)
    if not ordered:
        return Timeline((created_at,), (current,))
    initial = ordered[0].before
    starts = [created_at]
    values = [initial]
    for change in ordered:
        at = max(change.at, created_at)
        if at == starts[-1]:
            values[-1] = change.after
        else:
            starts.append(at)
            values.append(change.after)
    return Timeline(tuple(starts), tuple(values))


def seconds_in_each(timeline: Timeline, until: datetime) -> dict[str | None, int]:
    """Seconds spent holding each value, from creation until `until`."""
    totals: dict[str | None, int] = {}
    ends = (*timeline.starts[1:], until)
    for start, end, value in zip(timeline.starts, ends, timeline.values, strict=True):
        stop = min(end, until)
        if stop > start:
            totals[value] = totals.get(value, 0) + int((stop - start).total_seconds())
    return totals


@dataclass(frozen=True)
class IssueFacts:
    """What the cycle, WIP and backlog figures need of one issue."""

    id: int
    created_at: datetime
    estimate: float | None
    is_canceled: bool
    states: Timeline
    cycles: Timeline
    #: Linear state id → state type (triage, backlog, unstarted, started, completed, canceled)
    state_types: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def state_type_at(self, moment: datetime, *, including_changes_at: bool = True) -> str | None:
        if moment < self.created_at:
            return None
        state = self.states.at(moment, including_changes_at=including_changes_at)
        return self.state_types.get(state) if state is not None else None

    def cycle_at(self, moment: datetime, *, including_changes_at: bool = True) -> str | None:
        if moment < self.created_at or (not including_changes_at and moment == self.created_at):
            return None
        return self.cycles.at(moment, including_changes_at=including_changes_at)
