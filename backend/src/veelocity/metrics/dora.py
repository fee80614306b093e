"""The five DORA keys for a window and scope, with levels, previous window and series."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from veelocity.metrics.compute.levels import (
    Level,
    LevelTable,
    change_failure_rate_level,
    deployment_frequency_level,
    lead_time_level,
    overall_level,
    recovery_time_level,
)
from veelocity.metrics.compute.periods import Period, periods_between, previous_window
from veelocity.metrics.compute.stats import Statistic, percentile_cont
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.metrics.sql import (
    count_by_bucket,
    parse_bucket,
    period_bucket,
    summarize_by_bucket,
    summarize_values,
)
from veelocity.models import Deployment, PullRequest

DORA_KEYS = (
    "deployment-frequency",
    "lead-time",
    "change-failure-rate",
    "recovery-time",
    "rework-rate",
)
SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class KeyValue:
    value: float | None
    sample_size: int
    level: Level | None
    details: dict[str, Any]


def production_conditions(scope: Scope, start: datetime, end: datetime) -> list[Any]:
    return [
        Deployment.is_production.is_(True),
        Deployment.finished_at >= start,
        Deployment.finished_at < end,
        scope.deployments(),
    ]


def successful_conditions(scope: Scope, start: datetime, end: datetime) -> list[Any]:
    return [*production_conditions(scope, start, end), Deployment.status == "success"]


def _days(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / SECONDS_PER_DAY, 1e-9)


# --- one function per key: the value for a window -------------------------------------------


def deployment_frequency(
    session: Session, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> KeyValue:
    count = (
        session.scalar(
            select(func.count())
            .select_from(Deployment)
            .where(*successful_conditions(scope, start, end))
        )
        or 0
    )
    day_bucket = period_bucket(session, Deployment.finished_at, Period.DAY)
    deploy_days = {
        date.fromisoformat(str(d)[:10])
        for (d,) in session.execute(
            select(day_bucket).where(*successful_conditions(scope, start, end)).distinct()
        )
    }
    return frequency(query.level_table, start, end, count, deploy_days)


def frequency(
    level_table: LevelTable, start: datetime, end: datetime, count: int, deploy_days: set[date]
) -> KeyValue:
    """Deployment frequency from the deployments counted and the days they happened on."""
    days = _days(start, end)
    weeks = periods_between(start, end, Period.WEEK)
    per_week_days = sorted(
        float(sum(1 for d in deploy_days if week <= d < _plus_days(week, 7))) for week in weeks
    )
    median_days = percentile_cont(per_week_days, 0.5) or 0.0
    per_day = count / days
    details = {
        "per_day": per_day,
        "per_week": per_day * 7,
        "per_month": per_day * 30,
        "deployment_days_per_week": median_days,
        "deployments": count,
    }
    level = deployment_frequency_level(
        level_table,
        median_deploy_days_per_week=median_days,
        per_day=per_day,
        per_week=per_day * 7,
        per_month=per_day * 30,
    )
    return KeyValue(per_day * 7, count, level, details)


def _plus_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def lead_time_conditions(scope: Scope, start: datetime, end: datetime) -> list[Any]:
    return [
        PullRequest.deployed_at >= start,
        PullRequest.deployed_at < end,
        PullRequest.lead_time_seconds.is_not(None),
        scope.pull_requests(),
    ]


def _lead_times(scope: Scope, start: datetime, end: datetime) -> Select[Any]:
    return select(PullRequest.lead_time_seconds).where(*lead_time_conditions(scope, start, end))


def lead_time(
    session: Session, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> KeyValue:
    summary = summarize_values(session, _lead_times(scope, start, end))
    level = (
        lead_time_level(query.level_table, summary.median) if summary.median is not None else None
    )
    return KeyValue(summary.value(query.statistic), summary.count, level, _summary_details(summary))


def change_failure_rate(
    session: Session, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> KeyValue:
    total, failed = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Deployment.is_failed.is_(True), 1), else_=0)), 0),
        ).where(
            *production_conditions(scope, start, end), Deployment.status.in_(("success", "failure"))
        )
    ).one()
    if not total:
        return KeyValue(None, 0, None, {"failed": 0, "deployments": 0})
    rate = failed / total
    return KeyValue(
        rate,
        int(total),
        change_failure_rate_level(query.level_table, rate),
        {"failed": int(failed), "deployments": int(total)},
    )


def _recovery_conditions(scope: Scope, start: datetime, end: datetime) -> list[Any]:
    return [
        *production_conditions(scope, start, end),
        Deployment.is_failed.is_(True),
        Deployment.recovery_seconds.is_not(None),
    ]


def _recovery_times(scope: Scope, start: datetime, end: datetime) -> Select[Any]:
    return select(Deployment.recovery_seconds).where(*_recovery_conditions(scope, start, end))


def recovery_time(
    session: Session, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> KeyValue:
    summary = summarize_values(session, _recovery_times(scope, start, end))
    unrecovered = (
        session.scalar(
            select(func.count())
            .select_from(Deployment)
            .where(
                *production_conditions(scope, start, end),
                Deployment.is_failed.is_(True),
                Deployment.recovered_at.is_(None),
            )
        )
        or 0
    )
    level = (
        recovery_time_level(query.level_table, summary.median)
        if summary.median is not None
        else None
    )
    details = {**_summary_details(summary), "unrecovered": int(unrecovered)}
    return KeyValue(summary.value(query.statistic), summary.count, level, details)


def rework_rate(
    session: Session, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> KeyValue:
    total, rework = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Deployment.is_rework.is_(True), 1), else_=0)), 0),
        ).where(*successful_conditions(scope, start, end))
    ).one()
    if not total:
        return KeyValue(None, 0, None, {"rework": 0, "deployments": 0})
    return KeyValue(
        rework / total, int(total), None, {"rework": int(rework), "deployments": int(total)}
    )


def _summary_details(summary: Any) -> dict[str, Any]:
    return {"median": summary.median, "mean": summary.mean, "p75": summary.p75, "p90": summary.p90}


KEY_FUNCTIONS: dict[str, Callable[[Session, MetricQuery, Scope, datetime, datetime], KeyValue]] = {
    "deployment-frequency": deployment_frequency,
    "lead-time": lead_time,
    "change-failure-rate": change_failure_rate,
    "recovery-time": recovery_time,
    "rework-rate": rework_rate,
}


# --- series -------------------------------------------------------------------------------


def _series(session: Session, slug: str, query: MetricQuery, scope: Scope) -> list[SeriesPoint]:
    buckets = periods_between(query.start, query.end, query.period)
    if slug in ("lead-time", "recovery-time"):
        if slug == "lead-time":
            rows = select(
                period_bucket(session, PullRequest.deployed_at, query.period),
                PullRequest.lead_time_seconds,
            ).where(*lead_time_conditions(scope, query.start, query.end))
        else:
            rows = select(
                period_bucket(session, Deployment.finished_at, query.period),
                Deployment.recovery_seconds,
            ).where(*_recovery_conditions(scope, query.start, query.end))
        summaries = summarize_by_bucket(session, rows)
        return [
            SeriesPoint(
                b,
                summaries[b].value(query.statistic) if b in summaries else None,
                summaries[b].count if b in summaries else 0,
            )
            for b in buckets
        ]
    bucket = period_bucket(session, Deployment.finished_at, query.period)
    if slug == "deployment-frequency":
        counts = count_by_bucket(
            session,
            select(bucket, Deployment.id).where(
                *successful_conditions(scope, query.start, query.end)
            ),
        )
        return [SeriesPoint(b, float(counts.get(b, 0)), counts.get(b, 0)) for b in buckets]
    flag = Deployment.is_failed if slug == "change-failure-rate" else Deployment.is_rework
    where = (
        [
            *production_conditions(scope, query.start, query.end),
            Deployment.status.in_(("success", "failure")),
        ]
        if slug == "change-failure-rate"
        else successful_conditions(scope, query.start, query.end)
    )
    sub = (
        select(bucket.label("bucket"), case((flag.is_(True), 1), else_=0).label("hit"))
        .where(*where)
        .subquery()
    )
    points: dict[date, tuple[int, int]] = {}
    for b, total, hits in session.execute(
        select(sub.c.bucket, func.count(), func.sum(sub.c.hit)).group_by(sub.c.bucket)
    ):
        points[parse_bucket(b)] = (int(total), int(hits or 0))
    return [
        SeriesPoint(
            b,
            (points[b][1] / points[b][0]) if b in points else None,
            points[b][0] if b in points else 0,
        )
        for b in buckets
    ]


# --- the service ---------------------------------------------------------------------------


def dora_key(
    session: Session,
    slug: str,
    query: MetricQuery,
    *,
    with_series: bool,
    scope: Scope | None = None,
) -> MetricResult:
    scope = scope or resolve_scope(session, query)
    return _key_result(session, slug, query, scope, with_series=with_series)


def _key_result(
    session: Session, slug: str, query: MetricQuery, scope: Scope, *, with_series: bool
) -> MetricResult:
    spec = SPECS[slug]
    compute = KEY_FUNCTIONS[slug]
    current = compute(session, query, scope, query.start, query.end)
    previous_start, previous_end = previous_window(query.start, query.end)
    previous = compute(session, query, scope, previous_start, previous_end)
    return MetricResult(
        slug=slug,
        title=spec.title,
        unit=spec.unit,
        better=spec.better.value,
        value=current.value,
        sample_size=current.sample_size,
        level=current.level.label if current.level is not None else None,
        previous_value=previous.value,
        previous_sample_size=previous.sample_size,
        trend=trend(current.value, previous.value, spec.better),
        details=current.details,
        series=_series(session, slug, query, scope) if with_series else [],
    )


@dataclass(frozen=True)
class DoraSummary:
    keys: list[MetricResult]
    overall_level: str | None
    level_table: str


def dora_summary(session: Session, query: MetricQuery) -> DoraSummary:
    scope = resolve_scope(session, query)
    keys = [_key_result(session, slug, query, scope, with_series=False) for slug in DORA_KEYS]
    levels = [Level[k.level.upper()] for k in keys if k.level is not None]
    overall = overall_level(levels)
    return DoraSummary(
        keys, overall.label if overall is not None else None, query.level_table.value
    )


__all__ = ["DORA_KEYS", "DoraSummary", "Statistic", "dora_key", "dora_summary"]
