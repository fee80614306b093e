"""Pull-request flow: phase times, throughput and size, for PRs merged in the window.

Bot-authored PRs are left out: bots never count as contributors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import periods_between, previous_window
from veelocity.metrics.compute.stats import Summary
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.metrics.sql import (
    count_by_bucket,
    period_bucket,
    summarize_by_bucket,
    summarize_values,
)
from veelocity.models import PullRequest

#: slug → (column, the timestamp that places a PR in a window)
DURATIONS: dict[str, tuple[Any, Any]] = {
    "pr-review-time": (PullRequest.review_seconds, PullRequest.merged_at),
    "pickup-time": (PullRequest.pickup_seconds, PullRequest.merged_at),
    "pr-merge-time": (PullRequest.merge_seconds, PullRequest.merged_at),
    "cycle-time": (PullRequest.cycle_seconds, PullRequest.merged_at),
    "coding-time": (PullRequest.coding_seconds, PullRequest.merged_at),
    "deploy-time": (PullRequest.deploy_seconds, PullRequest.deployed_at),
    "pr-size": (PullRequest.size, PullRequest.merged_at),
}
DEVELOPMENT_KEYS = (
    "pr-review-time",
    "pickup-time",
    "pr-merge-time",
    "cycle-time",
    "throughput",
    "pr-size",
)
SIZE_BUCKETS = (
    ("XS", 0, 10),
    ("S", 10, 100),
    ("M", 100, 400),
    ("L", 400, 1000),
    ("XL", 1000, None),
)


def in_window(
    column: Any, scope: Scope, start: datetime, end: datetime
) -> list[ColumnElement[bool]]:
    return [
        column >= start,
        column < end,
        PullRequest.is_bot_author.is_(False),
        scope.pull_requests(),
    ]


def _value(
    session: Session, slug: str, query: MetricQuery, scope: Scope, start: datetime, end: datetime
) -> tuple[float | None, int, dict[str, Any]]:
    if slug == "throughput":
        count = (
            session.scalar(
                select(func.count())
                .select_from(PullRequest)
                .where(*in_window(PullRequest.merged_at, scope, start, end))
            )
            or 0
        )
        return float(count), int(count), {"merged": int(count)}
    column, when = DURATIONS[slug]
    summary: Summary = summarize_values(
        session, select(column).where(*in_window(when, scope, start, end))
    )
    details: dict[str, Any] = {
        "median": summary.median,
        "mean": summary.mean,
        "p75": summary.p75,
        "p90": summary.p90,
    }
    if slug == "pr-size":
        details["distribution"] = _size_distribution(session, scope, start, end)
    return summary.value(query.statistic), summary.count, details


def _size_distribution(
    session: Session, scope: Scope, start: datetime, end: datetime
) -> dict[str, int]:
    label = case(
        *[
            ((PullRequest.size < high) if high is not None else (PullRequest.size >= low), name)
            for name, low, high in SIZE_BUCKETS
        ],
    )
    rows = session.execute(
        select(label, func.count())
        .where(*in_window(PullRequest.merged_at, scope, start, end), PullRequest.size.is_not(None))
        .group_by(label)
    )
    counts = dict.fromkeys((name for name, _, _ in SIZE_BUCKETS), 0)
    counts.update({str(name): int(n) for name, n in rows})
    return counts


def _series(session: Session, slug: str, query: MetricQuery, scope: Scope) -> list[SeriesPoint]:
    buckets = periods_between(query.start, query.end, query.period)
    if slug == "throughput":
        bucket = period_bucket(session, PullRequest.merged_at, query.period)
        counts = count_by_bucket(
            session,
            select(bucket, PullRequest.id).where(
                *in_window(PullRequest.merged_at, scope, query.start, query.end)
            ),
        )
        return [SeriesPoint(b, float(counts.get(b, 0)), counts.get(b, 0)) for b in buckets]
    column, when = DURATIONS[slug]
    rows = select(period_bucket(session, when, query.period), column).where(
        *in_window(when, scope, query.start, query.end)
    )
    summaries = summarize_by_bucket(session, rows)
    return [
        SeriesPoint(
            b,
            summaries[b].value(query.statistic) if b in summaries else None,
            summaries[b].count if b in summaries else 0,
        )
        for b in buckets
    ]


def development_metric(
    session: Session,
    slug: str,
    query: MetricQuery,
    *,
    with_series: bool,
    scope: Scope | None = None,
) -> MetricResult:
    scope = scope or resolve_scope(session, query)
    spec = SPECS[slug]
    value, sample, details = _value(session, slug, query, scope, query.start, query.end)
    previous_start, previous_end = previous_window(query.start, query.end)
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


def development_summary(session: Session, query: MetricQuery) -> list[MetricResult]:
    scope = resolve_scope(session, query)
    slugs = (*DEVELOPMENT_KEYS, "coding-time", "deploy-time")
    return [
        development_metric(session, slug, query, with_series=False, scope=scope) for slug in slugs
    ]
