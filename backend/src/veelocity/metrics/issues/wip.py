"""Work in progress and backlog over a window: daily counts, and as metrics with a previous
window and a series. WIP's value is the mean of the daily counts; the backlog's size and age
are those at the end of the window's (or a period's) last day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import next_period, periods_between, previous_window
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.issues.daily_counts import DayCounts, daily_counts, end_of_day, members_at
from veelocity.metrics.issues.facts import load_issue_facts
from veelocity.metrics.issues.scope import IssueQuery, issue_scope
from veelocity.metrics.issues.timeline import IssueFacts
from veelocity.metrics.query import MetricQuery
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.models import LinearIssue

WIP_KEYS = ("work-in-progress", "backlog-size", "backlog-age")


@dataclass(frozen=True)
class WipFigures:
    days: list[DayCounts]
    metrics: list[MetricResult]


def _days(window: MetricQuery) -> tuple[date, date]:
    return window.start.date(), (window.end - timedelta(microseconds=1)).date()


def _figure(slug: str, days: list[DayCounts]) -> tuple[float | None, int]:
    if not days:
        return None, 0
    if slug == "work-in-progress":
        return sum(d.wip for d in days) / len(days), len(days)
    last = days[-1]
    if slug == "backlog-size":
        return float(last.backlog), last.backlog
    return last.backlog_age.median, last.backlog_age.count


def _result(
    slug: str, days: list[DayCounts], previous: list[DayCounts], window: MetricQuery
) -> MetricResult:
    spec = SPECS[slug]
    value, sample = _figure(slug, days)
    previous_value, previous_sample = _figure(slug, previous)
    series = []
    for first in periods_between(window.start, window.end, window.period):
        inside = [d for d in days if first <= d.day < next_period(first, window.period)]
        point, size = _figure(slug, inside)
        series.append(SeriesPoint(first, point, size))
    return MetricResult(
        slug=slug,
        title=spec.title,
        unit=spec.unit,
        better=spec.better.value,
        value=value,
        sample_size=sample,
        level=None,
        previous_value=previous_value,
        previous_sample_size=previous_sample,
        trend=trend(value, previous_value, spec.better),
        series=series,
    )


def wip_figures(
    session: Session, query: IssueQuery, scope: ColumnElement[bool] | None = None
) -> WipFigures:
    scope = scope if scope is not None else issue_scope(session, query)
    window = query.metric
    previous_start, previous_end = previous_window(window.start, window.end)
    # An issue completed before both windows sits in a completed state through them: it is
    # neither in progress nor in the backlog, and need not be replayed.
    facts: list[IssueFacts] = load_issue_facts(
        session,
        scope
        & (LinearIssue.created_at < window.end)
        & or_(
            LinearIssue.flow_completed_at.is_(None),
            LinearIssue.flow_completed_at >= previous_start,
        ),
    )
    first, last = _days(window)
    days = daily_counts(facts, first, last)
    previous = daily_counts(
        facts, previous_start.date(), (previous_end - timedelta(microseconds=1)).date()
    )
    return WipFigures(days, [_result(slug, days, previous, window) for slug in WIP_KEYS])


def issues_on(session: Session, query: IssueQuery, day: date) -> tuple[list[int], list[int]]:
    """The issues in progress and in the backlog at the end of `day`, in scope."""
    scope = issue_scope(session, query)
    moment = end_of_day(day)
    facts = load_issue_facts(
        session,
        scope
        & (LinearIssue.created_at < moment)
        & or_(LinearIssue.flow_completed_at.is_(None), LinearIssue.flow_completed_at >= moment),
    )
    return members_at(facts, day)
