"""The pure maths of the issue metrics, scenario by scenario, with no database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from veelocity.metrics.issues.cycle_figures import (
    CycleDates,
    burn_up,
    completion_rate,
    cycle_figures,
)
from veelocity.metrics.issues.daily_counts import counts_at
from veelocity.metrics.issues.timeline import Change, IssueFacts, build_timeline, seconds_in_each

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday, the cycle's start
END = T0 + timedelta(days=14)
TYPES = {s: s for s in ("triage", "backlog", "unstarted", "started", "completed", "canceled")}
CYCLE = CycleDates("C", T0, END)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def issue(
    created: float,
    states: Sequence[tuple[float, str]] = (),
    cycles: Sequence[tuple[float, str | None]] = (),
    *,
    state: str = "backlog",
    cycle: str | None = "C",
    estimate: float | None = 1.0,
    number: int = 1,
) -> IssueFacts:
    """An issue created in `state` and `cycle` that then moves as listed."""
    state_changes: list[Change] = []
    current = state
    for at, to in states:
        state_changes.append(Change(day(at), current, to))
        current = to
    cycle_changes: list[Change] = []
    in_cycle = cycle
    for at, to_cycle in cycles:
        cycle_changes.append(Change(day(at), in_cycle, to_cycle))
        in_cycle = to_cycle
    return IssueFacts(
        id=number,
        created_at=day(created),
        estimate=estimate,
        is_canceled=current == "canceled",
        states=build_timeline(day(created), current, state_changes),
        cycles=build_timeline(day(created), in_cycle, cycle_changes),
        state_types=TYPES,
    )


@pytest.mark.parametrize(
    ("moment", "including", "expected"),
    [
        (day(-1), True, None),  # before creation
        (day(0), True, "a"),
        (day(1), True, "b"),  # a change at the moment counts
        (day(1), False, "a"),  # ... unless asked for what held just before it
        (day(2.5), True, "c"),
    ],
)
def test_a_timeline_holds_each_value_from_its_change(
    moment: datetime, including: bool, expected: str | None
) -> None:
    timeline = build_timeline(day(0), "c", [Change(day(1), "a", "b"), Change(day(2), "b", "c")])
    assert timeline.at(moment, including_changes_at=including) == expected


def test_with_no_change_the_current_value_held_since_creation() -> None:
    assert build_timeline(day(0), "x", []).at(day(5)) == "x"


def test_before_a_first_change_from_nothing_the_value_is_unknown() -> None:
    timeline = build_timeline(day(0), "b", [Change(day(1), None, "b")])
    assert (timeline.at(day(0.5)), timeline.at(day(1))) == (None, "b")


def test_seconds_in_each_value_stop_at_the_end() -> None:
    timeline = build_timeline(day(0), "b", [Change(day(1), "a", "b")])
    assert seconds_in_each(timeline, day(3)) == {"a": 86400, "b": 2 * 86400}


@pytest.mark.parametrize(
    ("name", "facts", "expected"),
    [
        ("in at the start, completed inside", issue(-1, [(3, "completed")]), "committed completed"),
        ("created inside", issue(2), "added carried_over"),
        (
            "joined at the very start",
            issue(-2, cycles=[(0, "C")], cycle=None),
            "committed carried_over",
        ),
        (
            "joined inside, then left",
            issue(-2, cycles=[(1, "C"), (2, None)], cycle=None),
            "added removed",
        ),
        ("moved on exactly at the end", issue(-1, cycles=[(14, "D")]), "committed carried_over"),
        ("completed after the end", issue(-1, [(15, "completed")]), "committed carried_over"),
        ("completed before the start", issue(-3, [(-1, "completed")]), "committed"),
        (
            "completed while out of the cycle",
            issue(-1, [(3, "completed")], [(2, None)]),
            "committed removed",
        ),
        ("cancelled", issue(-1, [(3, "canceled")]), ""),
        ("never in it", issue(-1, cycle="D"), ""),
        ("created after the end", issue(15), ""),
    ],
)
def test_cycle_figures_per_scenario(name: str, facts: IssueFacts, expected: str) -> None:
    figures = cycle_figures(CYCLE, [facts])
    found = [
        figure
        for figure in ("committed", "added", "removed", "completed", "carried_over")
        if getattr(figures, figure)
    ]
    assert found == expected.split(), name


def test_a_running_cycle_counts_so_far() -> None:
    figures = cycle_figures(CYCLE, [issue(-1, [(10, "completed")])], now=day(5))
    assert (figures.completed, figures.carried_over) == ([], [1])


@pytest.mark.parametrize(
    ("completed", "committed", "added", "removed", "rate"),
    [
        (1, 1, 1, 0, 0.5),
        (3, 4, 0, 1, 1.0),
        (0, 0, 0, 0, None),
        (0, 1, 0, 1, None),
        (2, 5, 3, 0, 0.25),
    ],
)
def test_completion_rate(
    completed: int, committed: int, added: int, removed: int, rate: float | None
) -> None:
    assert completion_rate(completed, committed, added, removed) == rate


def test_burn_up_shows_scope_and_completed_at_each_days_end() -> None:
    issues = [
        issue(-1, [(2, "completed")], estimate=3, number=1),
        issue(4, estimate=2, number=2),
    ]
    figures = cycle_figures(CYCLE, issues)
    points = burn_up(CYCLE, issues, figures, now=day(100))
    assert points[0].day == date(2026, 1, 5)
    assert [(p.scope, p.completed) for p in points[:6]] == [
        (1, 0),
        (1, 0),
        (1, 1),  # 7 Jan: the first completed at 09:00
        (1, 1),
        (2, 1),  # 9 Jan: the second joined
        (2, 1),
    ]
    assert points[-1].day == date(2026, 1, 19)
    assert (points[-1].scope_points, points[-1].completed_points) == (5.0, 3.0)


def test_wip_and_backlog_at_a_days_end() -> None:
    issues = [
        issue(-1, [(1, "started")], number=1),
        issue(-1, state="triage", number=2),
        issue(-1, [(0.5, "canceled")], state="started", number=3),
        issue(-1, [(0.625, "started")], state="unstarted", number=4),  # at midnight: next day
    ]
    first = counts_at(issues, date(2026, 1, 5))
    assert (first.wip, first.backlog, first.backlog_by_type) == (
        0,
        3,  # the cancelled one had left the backlog; the fourth starts at midnight
        {"triage": 1, "backlog": 1, "unstarted": 1},
    )
    second = counts_at(issues, date(2026, 1, 6))
    assert (second.wip, second.backlog) == (2, 1)
    assert second.backlog_age.median == (day(1.625) - day(-1)).total_seconds()
