"""The AI figures' maths on plain facts: comparisons, the floor, adoption, weighted failures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from veelocity.metrics.ai.comparison import MIN_GROUP_PRS, compare, median, share
from veelocity.metrics.ai.facts import MergedPr, ShippedDeployment, Usage
from veelocity.metrics.ai.figures import (
    adoption,
    adoption_crossing,
    below_floor,
    compare_groups,
    weighted_failures,
)

MERGED = datetime(2026, 1, 5, tzinfo=UTC)


def _pr(author: str, cycle: int, **overrides: object) -> MergedPr:
    values: dict[str, object] = {
        "id": 0,
        "author": author,
        "merged_at": MERGED,
        "assisted": "none",
        "reviewed": False,
        "ai_share": None,
        "additions": 10,
        "pickup_seconds": None,
        "review_seconds": None,
        "cycle_seconds": cycle,
        "size": None,
        "shipped_badly": None,
    }
    values.update(overrides)
    return MergedPr(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ai", "other", "statistic", "expected"),
    [
        ([1.0, 2, 3], [1.0, 1], median, (2.0, 1.0)),
        ([1.0, 0, 0, 1], [0.0], share, (0.5, 0.0)),
        ([], [5.0], median, (None, 5.0)),
    ],
)
def test_small_groups_give_values_but_no_difference(
    ai: list[float], other: list[float], statistic: object, expected: tuple[object, object]
) -> None:
    result = compare(ai, other, statistic)  # type: ignore[arg-type]
    assert (result.ai_value, result.other_value) == expected
    assert (result.difference, result.interval_low, result.interval_high) == (None, None, None)
    assert result.reason == "fewer than 20 PRs in a group"


def test_twenty_prs_each_give_a_difference_inside_its_interval() -> None:
    ai = [float(v) for v in range(10, 10 + MIN_GROUP_PRS)]
    other = [float(v) for v in range(MIN_GROUP_PRS)]
    result = compare(ai, other, median)
    assert result.difference == 10.0
    assert result.interval_low is not None
    assert result.interval_high is not None
    assert result.interval_low <= 10.0 <= result.interval_high
    assert result.reason is None


def test_the_bootstrap_is_seeded_so_the_same_data_gives_the_same_interval() -> None:
    ai = [float(v * v % 37) for v in range(40)]
    other = [float(v * 7 % 23) for v in range(30)]
    first, second = compare(ai, other, median), compare(ai, other, median)
    assert (first.interval_low, first.interval_high) == (second.interval_low, second.interval_high)
    other_seed = compare(ai, other, median, seed=16)
    assert (other_seed.interval_low, other_seed.interval_high) != (
        first.interval_low,
        first.interval_high,
    )


def test_identical_groups_differ_by_nothing_with_certainty() -> None:
    result = compare([3.0] * 25, [3.0] * 25, median)
    assert (result.difference, result.interval_low, result.interval_high) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("people", "floor", "reason"), [(4, 5, "fewer than 5 people"), (5, 5, None)]
)
def test_the_privacy_floor(people: int, floor: int, reason: str | None) -> None:
    assert below_floor(people, floor) == reason


def test_a_cohort_with_too_few_people_in_a_group_is_suppressed() -> None:
    ai = [_pr(f"p{i % 4}", 100, assisted="high") for i in range(30)]
    other = [_pr(f"q{i % 9}", 50) for i in range(30)]
    cohort = compare_groups("ai_assisted", ai, other, 5)
    assert (cohort.ai_people, cohort.other_people) == (4, 9)
    assert cohort.suppressed == "fewer than 5 people"
    assert cohort.measures == []


def test_adoption_weights_the_ai_share_by_added_lines_where_known() -> None:
    prs = [
        _pr("a", 1, ai_share=1.0, additions=100, reviewed=True, assisted="high"),
        _pr("b", 1, ai_share=0.0, additions=300),
        _pr("c", 1),
    ]
    usage = [
        Usage("a", date(2026, 1, 5), True, 40),
        Usage("a", date(2026, 1, 6), True, 2),
        Usage("b", date(2026, 1, 5), False, 0),
    ]
    figures = adoption(prs, usage, 1234, 6)
    assert figures.ai_share == 0.25
    assert (figures.prs_known, figures.merged_prs, figures.assisted_prs) == (2, 3, 1)
    assert figures.review_coverage == pytest.approx(1 / 3)
    assert (figures.active_users, figures.accepted_lines, figures.spend_cents) == (1, 42, 1234)


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        ({"a"}, None),  # one of four: 25 %
        ({"a", "b"}, date(2026, 1, 12)),  # two of four: 50 %, in the second week
    ],
)
def test_adoption_crosses_at_half_of_the_team(active: set[str], expected: date | None) -> None:
    usage = [Usage(login, date(2026, 1, 14), True, 0) for login in active]
    usage.append(Usage("c", date(2026, 1, 6), False, 0))
    weeks = [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]
    assert adoption_crossing(frozenset({"a", "b", "c", "d"}), usage, weeks) == expected


def test_each_failed_deployment_counts_its_ai_share() -> None:
    deployments = [
        ShippedDeployment(1, MERGED, True, 0.5),
        ShippedDeployment(2, MERGED, False, 0.25),
        ShippedDeployment(3, MERGED, True, None),
        ShippedDeployment(4, MERGED, False, None),
    ]
    figures = weighted_failures(deployments)
    assert (figures.deployments, figures.failed, figures.change_failure_rate) == (4, 2, 0.5)
    assert (figures.deployments_known, figures.ai_weighted_failures) == (2, 0.5)
    assert figures.ai_weighted_failure_rate == pytest.approx(0.5 / 0.75)
    assert weighted_failures([]).change_failure_rate is None
