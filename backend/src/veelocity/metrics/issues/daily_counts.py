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


def daily_counts(issues: Sequence[IssueFacts], first: date, last: date) -> list[DayCounts]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [counts_at(issues, day) for day in days]
