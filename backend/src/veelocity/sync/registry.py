"""The sync schedule of the contract, and the bodies that run in each slot.

The schedule is staggered so the sources never all hit the network at once:

| Job               | Interval | First run after start |
|-------------------|----------|-----------------------|
| `github` (+ Actions) | 5 min | immediately           |
| `linear`          | 5 min    | 2 min                 |
| `sentry`          | 5 min    | 3 min                 |
| `cursor`          | 5 min    | 4 min                 |
| `greptile`        | 5 min    | 6 min                 |
| `fill_pr_details` | 10 min   | 8 min                 |

A connector makes its job run by adding one line to JOB_BODIES; a job without a body is
listed in the status but never scheduled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from veelocity.sync.scheduler import JobContext

JobBody = Callable[["JobContext"], None]


@dataclass(frozen=True)
class ScheduleEntry:
    name: str
    interval: timedelta
    first_run_after: timedelta


SCHEDULE: tuple[ScheduleEntry, ...] = (
    ScheduleEntry("github", timedelta(minutes=5), timedelta(0)),
    ScheduleEntry("linear", timedelta(minutes=5), timedelta(minutes=2)),
    ScheduleEntry("sentry", timedelta(minutes=5), timedelta(minutes=3)),
    ScheduleEntry("cursor", timedelta(minutes=5), timedelta(minutes=4)),
    ScheduleEntry("greptile", timedelta(minutes=5), timedelta(minutes=6)),
    ScheduleEntry("fill_pr_details", timedelta(minutes=10), timedelta(minutes=8)),
)

#: Job name → what runs in each of its slots. Filled by the connectors.
JOB_BODIES: dict[str, JobBody] = {}


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    first_run_after: timedelta
    body: JobBody


def scheduled_jobs(
    bodies: Mapping[str, JobBody] | None = None,
    *,
    schedule: tuple[ScheduleEntry, ...] = SCHEDULE,
    time_scale: float = 1.0,
) -> list[Job]:
    """The jobs of the schedule that have a body. `time_scale` shrinks intervals (tests)."""
    bodies = JOB_BODIES if bodies is None else bodies
    return [
        Job(
            entry.name,
            entry.interval * time_scale,
            entry.first_run_after * time_scale,
            bodies[entry.name],
        )
        for entry in schedule
        if entry.name in bodies
    ]
