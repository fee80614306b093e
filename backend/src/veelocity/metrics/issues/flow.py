"""Issue flow from the columns derive writes: lead, cycle and issue-to-production times with
its three phases, time in each state type, and issues completed (count and points).

Lead, cycle, time in state and completions place an issue by its completion; issue-to-
production and its phases by its deployment. Cancelled issues are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import periods_between, previous_window
from veelocity.metrics.compute.stats import Summary, summarize
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.issues.facts import load_issue_facts
from veelocity.metrics.issues.scope import IssueQuery, issue_scope
from veelocity.metrics.issues.timeline import seconds_in_each
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.metrics.sql import (
    count_by_bucket,
    parse_bucket,
    period_bucket,
    summarize_by_bucket,
    summarize_values,
)
from veelocity.models import LinearIssue, LinearWorkflowState

#: slug → (column, the timestamp that places an issue in a window)
ISSUE_DURATIONS: dict[str, tuple[Any, Any]] = {
    "issue-lead-time": (LinearIssue.lead_seconds, LinearIssue.flow_completed_at),
    "issue-cycle-time": (LinearIssue.cycle_seconds, LinearIssue.flow_completed_at),
    "issue-to-production": (LinearIssue.to_production_seconds, LinearIssue.deployed_at),
    "issue-before-pr-time": (LinearIssue.before_pr_seconds, LinearIssue.deployed_at),
    "issue-pr-cycle-time": (LinearIssue.pr_cycle_seconds, LinearIssue.deployed_at),
    "issue-deploy-time": (LinearIssue.deploy_seconds, LinearIssue.deployed_at),
}
FLOW_KEYS = ("issue-lead-time", "issue-cycle-time", "issue-to-production")
PHASE_KEYS = ("issue-before-pr-time", "issue-pr-cycle-time", "issue-deploy-time")
THROUGHPUT_KEYS = ("issues-completed", "issue-points-completed")
STATE_TYPES = ("triage", "backlog", "unstarted", "started", "completed")


def _in_window(
    when: Any, scope: ColumnElement[bool], start: datetime, end: datetime
) -> list[ColumnElement[bool]]:
    return [when >= start, when < end, LinearIssue.is_canceled.is_(False), scope]


def _value(
    session: Session,
    slug: str,
    query: IssueQuery,
    scope: ColumnElement[bool],
    start: datetime,
    end: datetime,
) -> tuple[float | None, int, dict[str, Any]]:
    completed = _in_window(LinearIssue.flow_completed_at, scope, start, end)
    if slug == "issues-completed":
        count = session.scalar(select(func.count()).select_from(LinearIssue).where(*completed))
        return float(count or 0), int(count or 0), {"completed": int(count or 0)}
    if slug == "issue-points-completed":
        total, estimated = session.execute(
            select(func.sum(LinearIssue.estimate), func.count(LinearIssue.estimate)).where(
                *completed
            )
        ).one()
        value = float(total) if estimated and total is not None else None
        return value, int(estimated or 0), {"estimated_issues": int(estimated or 0)}
    column, when = ISSUE_DURATIONS[slug]
    summary: Summary = summarize_values(
        session, select(column).where(*_in_window(when, scope, start, end))
    )
    details = {
        "median": summary.median,
        "mean": summary.mean,
        "p75": summary.p75,
        "p90": summary.p90,
    }
    return summary.value(query.metric.statistic), summary.count, details


def _sum_by_bucket(session: Session, bucket: Any, conditions: list[Any]) -> dict[date, float]:
    rows = session.execute(
        select(bucket, func.sum(LinearIssue.estimate))
        .where(*conditions, LinearIssue.estimate.is_not(None))
        .group_by(bucket)
    )
    return {parse_bucket(b): float(total) for b, total in rows}


def _series(
    session: Session, slug: str, query: IssueQuery, scope: ColumnElement[bool]
) -> list[SeriesPoint]:
    window = query.metric
    buckets = periods_between(window.start, window.end, window.period)
    if slug in THROUGHPUT_KEYS:
        when = LinearIssue.flow_completed_at
        bucket = period_bucket(session, when, window.period)
        conditions = _in_window(when, scope, window.start, window.end)
        counts = count_by_bucket(session, select(bucket, LinearIssue.id).where(*conditions))
        if slug == "issues-completed":
            return [SeriesPoint(b, float(counts.get(b, 0)), counts.get(b, 0)) for b in buckets]
        sums = _sum_by_bucket(session, bucket, conditions)
        estimated = count_by_bucket(
            session,
            select(bucket, LinearIssue.id).where(*conditions, LinearIssue.estimate.is_not(None)),
        )
        return [SeriesPoint(b, sums.get(b), estimated.get(b, 0)) for b in buckets]
    column, when = ISSUE_DURATIONS[slug]
    rows = select(period_bucket(session, when, window.period), column).where(
        *_in_window(when, scope, window.start, window.end)
    )
    summaries = summarize_by_bucket(session, rows)
    return [
        SeriesPoint(
            b,
            summaries[b].value(window.statistic) if b in summaries else None,
            summaries[b].count if b in summaries else 0,
        )
        for b in buckets
    ]


def issue_metric(
    session: Session,
    slug: str,
    query: IssueQuery,
    *,
    with_series: bool,
    scope: ColumnElement[bool] | None = None,
) -> MetricResult:
    scope = scope if scope is not None else issue_scope(session, query)
    spec = SPECS[slug]
    window = query.metric
    value, sample, details = _value(session, slug, query, scope, window.start, window.end)
    previous_start, previous_end = previous_window(window.start, window.end)
    previous, previous_sample, _ = _value(session, slug, query, scope, previous_start, previous_end)
    return MetricResult(
        slug=slug,
        title=spec.title,
        unit=spec.unit,
        better=spec.better.value,
        value=value,
        sample_size=sample,
        level=None,
        previous_value=previous,
        previous_sample_size=previous_sample,
        trend=trend(value, previous, spec.better),
        details=details,
        series=_series(session, slug, query, scope) if with_series else [],
    )


@dataclass(frozen=True)
class StateTypeTime:
    state_type: str
    summary: Summary
    total_seconds: int


def time_in_state_types(
    session: Session, query: IssueQuery, scope: ColumnElement[bool] | None = None
) -> list[StateTypeTime]:
    """Per state type, the time issues completed in the window spent in it (issues that never
    entered a type are not in its sample)."""
    scope = scope if scope is not None else issue_scope(session, query)
    window = query.metric
    values: dict[str, list[float]] = defaultdict(list)
    for (seconds,) in session.execute(
        select(LinearIssue.state_type_seconds).where(
            *_in_window(LinearIssue.flow_completed_at, scope, window.start, window.end)
        )
    ):
        for state_type, spent in (seconds or {}).items():
            values[state_type].append(float(spent))
    ordered = [*STATE_TYPES, *sorted(set(values) - set(STATE_TYPES))]
    return [
        StateTypeTime(t, summarize(values[t]), int(sum(values[t])))
        for t in ordered
        if t in values or t in STATE_TYPES
    ]


@dataclass(frozen=True)
class StateTime:
    name: str
    state_type: str
    summary: Summary
    total_seconds: int


def time_in_states(
    session: Session, query: IssueQuery, scope: ColumnElement[bool] | None = None
) -> list[StateTime]:
    """Per workflow state (by name and type, across teams), the time issues completed in the
    window spent in it before their completion, from their replayed history."""
    scope = scope if scope is not None else issue_scope(session, query)
    window = query.metric
    completed = {
        issue_id: at
        for issue_id, at in session.execute(
            select(LinearIssue.id, LinearIssue.flow_completed_at).where(
                *_in_window(LinearIssue.flow_completed_at, scope, window.start, window.end)
            )
        )
        if at is not None
    }
    if not completed:
        return []
    names = {
        external_id: (name, state_type)
        for external_id, name, state_type in session.execute(
            select(
                LinearWorkflowState.external_id, LinearWorkflowState.name, LinearWorkflowState.type
            )
        )
    }
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for facts in load_issue_facts(session, LinearIssue.id.in_(list(completed))):
        per_issue: dict[tuple[str, str], int] = defaultdict(int)
        for state, seconds in seconds_in_each(facts.states, completed[facts.id]).items():
            if state in names and seconds > 0:
                per_issue[names[state]] += seconds
        for key, seconds in per_issue.items():
            values[key].append(float(seconds))
    order = {t: n for n, t in enumerate(STATE_TYPES)}
    return [
        StateTime(name, state_type, summarize(spent), int(sum(spent)))
        for (name, state_type), spent in sorted(
            values.items(), key=lambda item: (order.get(item[0][1], len(order)), item[0][0])
        )
    ]
