"""AI figures as pure functions over plain facts (docs/metrics.md, "AI-assisted development")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from veelocity.metrics.ai.comparison import Comparison, compare, median, share
from veelocity.metrics.ai.facts import MergedPr, ShippedDeployment, Usage

#: the share of a team's members active in a week at which the team has adopted
ADOPTION_THRESHOLD = 0.5

#: (name, how a PR gives its value, which statistic compares the groups)
MEASURES: tuple[
    tuple[str, Callable[[MergedPr], float | None], Callable[..., float | None]], ...
] = (
    ("pickup_seconds", lambda pr: pr.pickup_seconds, median),
    ("review_seconds", lambda pr: pr.review_seconds, median),
    ("cycle_seconds", lambda pr: pr.cycle_seconds, median),
    ("size", lambda pr: pr.size, median),
    (
        "failed_or_rework_share",
        lambda pr: None if pr.shipped_badly is None else float(pr.shipped_badly),
        share,
    ),
)


def below_floor(people: int, min_group_size: int) -> str | None:
    if people < min_group_size:
        return f"fewer than {min_group_size} people"
    return None


@dataclass(frozen=True)
class Adoption:
    people: int
    active_users: int
    accepted_lines: int
    spend_cents: int
    merged_prs: int
    assisted_prs: int
    reviewed_prs: int
    #: merged PRs whose AI share is known, and their AI share weighted by added lines
    prs_known: int
    ai_share: float | None
    review_coverage: float | None


def adoption(
    prs: Sequence[MergedPr], usage: Sequence[Usage], spend_cents: int, people: int
) -> Adoption:
    known = [pr for pr in prs if pr.ai_share is not None]
    lines = sum(pr.additions or 0 for pr in known)
    ai_lines = sum((pr.additions or 0) * (pr.ai_share or 0.0) for pr in known)
    reviewed = sum(1 for pr in prs if pr.reviewed)
    return Adoption(
        people=people,
        active_users=len({u.login for u in usage if u.is_active}),
        accepted_lines=sum(u.accepted_lines for u in usage),
        spend_cents=spend_cents,
        merged_prs=len(prs),
        assisted_prs=sum(1 for pr in prs if pr.assisted != "none"),
        reviewed_prs=reviewed,
        prs_known=len(known),
        ai_share=ai_lines / lines if lines else None,
        review_coverage=reviewed / len(prs) if prs else None,
    )


@dataclass(frozen=True)
class MeasureComparison:
    measure: str
    comparison: Comparison


@dataclass(frozen=True)
class Cohort:
    """Two groups of merged PRs compared on every measure, or why not."""

    name: str
    ai_prs: int
    other_prs: int
    ai_people: int
    other_people: int
    suppressed: str | None
    measures: list[MeasureComparison]


def compare_groups(
    name: str,
    ai: Sequence[MergedPr],
    other: Sequence[MergedPr],
    min_group_size: int,
) -> Cohort:
    ai_people = len({pr.author for pr in ai if pr.author})
    other_people = len({pr.author for pr in other if pr.author})
    floor = below_floor(min(ai_people, other_people), min_group_size)
    measures = []
    if floor is None:
        for measure, value_of, statistic in MEASURES:
            a = [v for v in map(value_of, ai) if v is not None]
            b = [v for v in map(value_of, other) if v is not None]
            measures.append(MeasureComparison(measure, compare(a, b, statistic)))
    return Cohort(name, len(ai), len(other), ai_people, other_people, floor, measures)


def cohorts(prs: Sequence[MergedPr], min_group_size: int) -> list[Cohort]:
    return [
        compare_groups(
            "ai_assisted",
            [pr for pr in prs if pr.assisted != "none"],
            [pr for pr in prs if pr.assisted == "none"],
            min_group_size,
        ),
        compare_groups(
            "ai_reviewed",
            [pr for pr in prs if pr.reviewed],
            [pr for pr in prs if not pr.reviewed],
            min_group_size,
        ),
    ]


def adoption_crossing(
    members: frozenset[str], usage: Sequence[Usage], weeks: Sequence[date]
) -> date | None:
    """The first week (its Monday) in which at least half of the members were active."""
    if not members:
        return None
    active_by_week: dict[date, set[str]] = {}
    for u in usage:
        if u.is_active and u.login in members:
            monday = u.day - timedelta(days=u.day.weekday())
            active_by_week.setdefault(monday, set()).add(u.login)
    for week in weeks:
        if len(active_by_week.get(week, ())) / len(members) >= ADOPTION_THRESHOLD:
            return week
    return None


@dataclass(frozen=True)
class WeightedFailures:
    deployments: int
    failed: int
    change_failure_rate: float | None
    #: deployments whose AI share is known
    deployments_known: int
    ai_weighted_deployments: float
    ai_weighted_failures: float
    ai_weighted_failure_rate: float | None


def weighted_failures(deployments: Sequence[ShippedDeployment]) -> WeightedFailures:
    failed = sum(1 for d in deployments if d.is_failed)
    known = [d for d in deployments if d.ai_share is not None]
    weighted = sum(d.ai_share or 0.0 for d in known)
    weighted_failed = sum(d.ai_share or 0.0 for d in known if d.is_failed)
    return WeightedFailures(
        deployments=len(deployments),
        failed=failed,
        change_failure_rate=failed / len(deployments) if deployments else None,
        deployments_known=len(known),
        ai_weighted_deployments=weighted,
        ai_weighted_failures=weighted_failed,
        ai_weighted_failure_rate=weighted_failed / weighted if weighted else None,
    )
