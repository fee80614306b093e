"""AI figures for a metric query: the scope resolved, facts loaded, figures computed, and the
privacy floor applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.errors import NotFound
from veelocity.metrics.ai import facts
from veelocity.metrics.ai.figures import (
    Adoption,
    Cohort,
    WeightedFailures,
    adoption,
    adoption_crossing,
    below_floor,
    cohorts,
    compare_groups,
    weighted_failures,
)
from veelocity.metrics.compute.periods import Period, next_period, periods_between
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope, team_scope
from veelocity.models import Team

#: how far back a team's Cursor usage is read to find the week it adopted
CROSSING_LOOKBACK = timedelta(days=3 * 366)


@dataclass(frozen=True)
class AdoptionPoint:
    period_start: date
    figures: Adoption | None


@dataclass(frozen=True)
class AdoptionReport:
    people: int
    suppressed: str | None
    figures: Adoption | None
    series: list[AdoptionPoint]


@dataclass(frozen=True)
class CohortReport:
    people: int
    suppressed: str | None
    cohorts: list[Cohort]


@dataclass(frozen=True)
class TeamCrossing:
    team_id: int
    team: str
    people: int
    suppressed: str | None
    crossed_on: date | None
    comparison: Cohort | None


@dataclass(frozen=True)
class FailuresPoint:
    period_start: date
    figures: WeightedFailures


@dataclass(frozen=True)
class FailuresReport:
    people: int
    suppressed: str | None
    figures: WeightedFailures | None
    series: list[FailuresPoint]


def _people(session: Session, scope: Scope, prs: list[facts.MergedPr]) -> frozenset[str]:
    """A team's members or the chosen author; else the authors of the merged PRs and, with
    no repository chosen, every developer matched to a Cursor member."""
    if scope.authors is not None:
        return scope.authors
    people = {pr.author for pr in prs if pr.author}
    if scope.repository_ids is None:
        people |= facts.matched_logins(session)
    return frozenset(people)


def scope_floor(session: Session, query: MetricQuery, min_group_size: int) -> str | None:
    """The privacy floor's reason when the query's scope has too few people, else None."""
    scope = resolve_scope(session, query)
    prs = facts.merged_prs(session, scope, query.start, query.end)
    return below_floor(len(_people(session, scope, prs)), min_group_size)


def _period_bounds(query: MetricQuery, first_day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first_day, time.min, tzinfo=UTC)
    end = datetime.combine(next_period(first_day, query.period), time.min, tzinfo=UTC)
    return max(start, query.start), min(end, query.end)


def adoption_report(session: Session, query: MetricQuery, min_group_size: int) -> AdoptionReport:
    scope = resolve_scope(session, query)
    prs = facts.merged_prs(session, scope, query.start, query.end)
    people = _people(session, scope, prs)
    floor = below_floor(len(people), min_group_size)
    if floor is not None:
        return AdoptionReport(len(people), floor, None, [])
    usage = facts.usage_of(session, people, query.start.date(), query.end.date())
    total = adoption(
        prs,
        usage,
        facts.spend_cents(session, people, query.start.date(), query.end.date()),
        len(people),
    )
    series = []
    for first_day in periods_between(query.start, query.end, query.period):
        start, end = _period_bounds(query, first_day)
        series.append(
            AdoptionPoint(
                first_day,
                adoption(
                    [pr for pr in prs if start <= pr.merged_at < end],
                    [u for u in usage if start.date() <= u.day < end.date()],
                    facts.spend_cents(session, people, start.date(), end.date()),
                    len(people),
                ),
            )
        )
    return AdoptionReport(len(people), None, total, series)


def cohort_report(session: Session, query: MetricQuery, min_group_size: int) -> CohortReport:
    scope = resolve_scope(session, query)
    prs = facts.merged_prs(session, scope, query.start, query.end)
    people = _people(session, scope, prs)
    floor = below_floor(len(people), min_group_size)
    if floor is not None:
        return CohortReport(len(people), floor, [])
    return CohortReport(len(people), None, cohorts(prs, min_group_size))


def crossing_report(
    session: Session, query: MetricQuery, min_group_size: int
) -> list[TeamCrossing]:
    """For the chosen team, or every team: the week its adoption crossed half of its people,
    and the window's merged PRs before it compared with those after."""
    if query.team_id is not None:
        team = session.get(Team, query.team_id)
        if team is None:
            raise NotFound("No such team.")
        teams = [(team.id, team.name)]
    else:
        teams = [
            (team_id, name)
            for team_id, name in session.execute(
                select(Team.id, Team.name).order_by(Team.name, Team.id)
            )
        ]
    result = []
    for team_id, name in teams:
        scope = team_scope(
            session,
            team_id,
            repository_ids=frozenset(query.repository_ids) if query.repository_ids else None,
        )
        members = scope.authors or frozenset()
        floor = below_floor(len(members), min_group_size)
        if floor is not None:
            result.append(TeamCrossing(team_id, name, len(members), floor, None, None))
            continue
        first = query.end - CROSSING_LOOKBACK
        usage = facts.usage_of(session, members, first.date(), query.end.date())
        crossed_on = adoption_crossing(
            members, usage, periods_between(first, query.end, Period.WEEK)
        )
        comparison = None
        if crossed_on is not None:
            split = datetime.combine(crossed_on, time.min, tzinfo=UTC)
            prs = facts.merged_prs(session, scope, query.start, query.end)
            comparison = compare_groups(
                "after_adoption",
                [pr for pr in prs if pr.merged_at >= split],
                [pr for pr in prs if pr.merged_at < split],
                min_group_size,
            )
        result.append(TeamCrossing(team_id, name, len(members), None, crossed_on, comparison))
    return result


def failures_report(session: Session, query: MetricQuery, min_group_size: int) -> FailuresReport:
    scope = resolve_scope(session, query)
    prs = facts.merged_prs(session, scope, query.start, query.end)
    people = _people(session, scope, prs)
    floor = below_floor(len(people), min_group_size)
    if floor is not None:
        return FailuresReport(len(people), floor, None, [])
    deployments = facts.production_deployments(session, scope, query.start, query.end)
    series = []
    for first_day in periods_between(query.start, query.end, query.period):
        start, end = _period_bounds(query, first_day)
        series.append(
            FailuresPoint(
                first_day,
                weighted_failures([d for d in deployments if start <= d.finished_at < end]),
            )
        )
    return FailuresReport(len(people), None, weighted_failures(deployments), series)
