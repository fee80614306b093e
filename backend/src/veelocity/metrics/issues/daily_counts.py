"""Work in progress and backlog at the end of each day, from the issues' replayed history.

WIP counts issues in a `started` state; the backlog, issues in a triage, backlog or
unstarted state, with their age (since creation). A change made exactly at midnight belongs
to the next day. Cancelled issues leave WIP but still count in the backlog while they sat there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from veelocity.metrics.compute.stats import Summary, summarize
from veelocity.metrics.issues.timeline import IssueFacts

BACKLOG_TYPES = ("triage", "backlog", "unstarted")
STARTED = "started"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayCounts:
    day: date
    wip: int
    backlog: int
    backlog_by_type: dict[str, int]
    backlog_age: Summary


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def counts_at(issues: Sequence[IssueFacts], day: date) -> DayCounts:
    moment = end_of_day(day)
    wip = 0
    by_type = dict.fromkeys(BACKLOG_TYPES, 0)
    ages: list[float] = []
    for issue in issues:
        if issue.created_at >= moment:
            continue
        state_type = issue.state_type_at(moment, including_changes_at=False)
        if state_type == STARTED and not issue.is_canceled:
            wip += 1
        elif state_type in by_type:
            by_type[state_type] += 1
            ages.append((moment - issue.created_at).total_seconds())
    return DayCounts(day, wip, sum(by_type.values()), by_type, summarize(ages))


def members_at(issues: Sequence[IssueFacts], day: date) -> tuple[list[int], list[int]]:
    """The issues behind a day's counts: (in progress, in the backlog), by id."""
    moment = end_of_day(day)
    wip: list[int] = []
    backlog: list[int] = []
    for issue in issues:
        if issue.created_at >= moment:
            continue
        state_type = issue.state_type_at(moment, including_changes_at=False)
        if state_type == STARTED and not issue.is_canceled:
            wip.append(issue.id)
        elif state_type in BACKLOG_TYPES:
            backlog.append(issue.id)
    return wip, backlog


def daily_counts(issues: Sequence[IssueFacts], first: date, last: date) -> list[DayCounts]:
    """`counts_at` for every day from `first` to `last`, in one pass over each issue's states:
    a state held from `since` until `until` counts on the days whose end falls in
    (since, until]."""
    days = (last - first).days + 1
    if days <= 0:
        return []
    origin = end_of_day(first)
    wip = [0] * (days + 1)
    by_type = {kind: [0] * (days + 1) for kind in BACKLOG_TYPES}
    ages: list[list[float]] = [[] for _ in range(days)]
    for issue in issues:
        starts, values = issue.states.starts, issue.states.values
        for index, (since, state) in enumerate(zip(starts, values, strict=True)):
            kind = issue.state_types.get(state) if state is not None else None
            counted = kind in by_type or (kind == STARTED and not issue.is_canceled)
            if not counted:
                continue
            low = max((since - origin) // _DAY + 1, 0)
            until = starts[index + 1] if index + 1 < len(starts) else None
            high = min((until - origin) // _DAY, days - 1) if until is not None else days - 1
            if low > high:
                continue
            counter = wip if kind == STARTED else by_type[kind]  # type: ignore[index]
            counter[low] += 1
            counter[high + 1] -= 1
            if kind != STARTED:
                for day in range(low, high + 1):
                    ages[day].append((origin + day * _DAY - issue.created_at).total_seconds())
    result = []
    running_wip = 0
    running = dict.fromkeys(BACKLOG_TYPES, 0)
    for day in range(days):
        running_wip += wip[day]
        for kind in BACKLOG_TYPES:
            running[kind] += by_type[kind][day]
        result.append(
            DayCounts(
                first + timedelta(days=day),
                running_wip,
                sum(running.values()),
                dict(running),
                summarize(ages[day]),
            )
        )
    return result
