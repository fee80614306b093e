"""Error events and new issues per period: in all and per Sentry project.

Scoped by the metric filters through the repository each project maps to (a repository or a
team's repositories); `project_ids` narrows to some projects. Error events are Sentry's daily
counts, so a period counts whole days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import period_start, periods_between, previous_window
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.query import MetricQuery, resolve_scope
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.models import SentryErrorStat, SentryIssue, SentryProject

ERROR_EVENTS = "sentry-error-events"
NEW_ISSUES = "sentry-new-issues"


@dataclass(frozen=True)
class ProjectSeries:
    project_id: int
    slug: str
    repository_id: int | None
    error_events: MetricResult
    new_issues: MetricResult


@dataclass(frozen=True)
class SentrySeries:
    metrics: list[MetricResult]
    projects: list[ProjectSeries]


def scoped_projects(
    session: Session, query: MetricQuery, project_ids: frozenset[int] | None
) -> list[tuple[int, str, int | None]]:
    """(id, slug, repository id) of the projects the filters keep, by slug."""
    scope = resolve_scope(session, query)
    repositories = scope.repository_ids
    if scope.team_repository_ids is not None:
        repositories = (
            scope.team_repository_ids & repositories
            if repositories is not None
            else scope.team_repository_ids
        )
    statement = select(SentryProject.id, SentryProject.slug, SentryProject.repository_id)
    if repositories is not None:
        statement = statement.where(SentryProject.repository_id.in_(sorted(repositories)))
    if project_ids is not None:
        statement = statement.where(SentryProject.id.in_(sorted(project_ids)))
    return [
        (r.id, r.slug, r.repository_id)
        for r in session.execute(statement.order_by(SentryProject.slug, SentryProject.id))
    ]


def _daily_events(
    session: Session, project_ids: list[int], start: date, end: date
) -> list[tuple[int, date, int]]:
    return [
        (project_id, day, events)
        for project_id, day, events in session.execute(
            select(SentryErrorStat.project_id, SentryErrorStat.day, SentryErrorStat.events).where(
                SentryErrorStat.project_id.in_(project_ids),
                SentryErrorStat.day >= start,
                SentryErrorStat.day < end,
            )
        )
    ]


def _new_issues(
    session: Session, project_ids: list[int], start: datetime, end: datetime
) -> list[tuple[int, date]]:
    return [
        (project_id, first_seen.date())
        for project_id, first_seen in session.execute(
            select(SentryIssue.project_id, SentryIssue.first_seen).where(
                SentryIssue.project_id.in_(project_ids),
                SentryIssue.first_seen >= start,
                SentryIssue.first_seen < end,
            )
        )
    ]


def _result(
    slug: str,
    query: MetricQuery,
    current: list[tuple[date, int]],
    previous: list[tuple[date, int]],
) -> MetricResult:
    spec = SPECS[slug]
    value = float(sum(n for _, n in current))
    before = float(sum(n for _, n in previous))
    by_period: dict[date, int] = defaultdict(int)
    for day, n in current:
        by_period[period_start(day, query.period)] += n
    return MetricResult(
        slug=slug,
        title=spec.title,
        unit=spec.unit,
        better=spec.better.value,
        value=value,
        sample_size=len(current),
        level=None,
        previous_value=before,
        previous_sample_size=len(previous),
        trend=trend(value, before, spec.better),
        series=[
            SeriesPoint(p, float(by_period.get(p, 0)), by_period.get(p, 0))
            for p in periods_between(query.start, query.end, query.period)
        ],
    )


def sentry_series(
    session: Session, query: MetricQuery, project_ids: frozenset[int] | None = None
) -> SentrySeries:
    projects = scoped_projects(session, query, project_ids)
    ids = [p[0] for p in projects]
    previous_start, _ = previous_window(query.start, query.end)
    events = _daily_events(session, ids, previous_start.date(), query.end.date()) if ids else []
    issues = _new_issues(session, ids, previous_start, query.end) if ids else []
    current_day = query.start.date()

    def pick(
        rows: list[tuple[int, date, int]], keep: Callable[[int], bool], now: bool
    ) -> list[tuple[date, int]]:
        return [(d, n) for p, d, n in rows if keep(p) and (d >= current_day) == now]

    issue_rows = [(p, d, 1) for p, d in issues]

    def both(keep: Callable[[int], bool]) -> tuple[MetricResult, MetricResult]:
        return (
            _result(ERROR_EVENTS, query, pick(events, keep, True), pick(events, keep, False)),
            _result(NEW_ISSUES, query, pick(issue_rows, keep, True), pick(issue_rows, keep, False)),
        )

    overall = both(lambda _: True)
    per_project = []
    for project_id, slug, repository_id in projects:
        error_events, new_issues = both(project_id.__eq__)
        per_project.append(ProjectSeries(project_id, slug, repository_id, error_events, new_issues))
    return SentrySeries(list(overall), per_project)
