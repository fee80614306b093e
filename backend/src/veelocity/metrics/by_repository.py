"""One metric per repository: the breakdown behind a chart's "by repository" view.

Each repository's figure is the metric itself computed for that repository alone (within the
asked scope), so a row always equals what the metric route returns with that `repo_id`.
Only repositories with data for the metric in the window or the one before are listed, and
at most `limit` of them (the most active), so the cost stays bounded however many
repositories there are: each repository costs the same few indexed aggregates as the metric.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from veelocity.metrics.compute.levels import change_failure_rate_level, lead_time_level
from veelocity.metrics.compute.periods import Period, periods_between, previous_window
from veelocity.metrics.compute.stats import EMPTY, Summary
from veelocity.metrics.compute.trends import trend
from veelocity.metrics.development import DURATIONS, in_window
from veelocity.metrics.dora import (
    KeyValue,
    frequency,
    lead_time_conditions,
    production_conditions,
    successful_conditions,
)
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.metrics.results import MetricResult, SeriesPoint
from veelocity.metrics.specs import SPECS
from veelocity.metrics.sql import parse_bucket, period_bucket, summarize_by_group
from veelocity.models import Deployment, PullRequest, Repository


class MetricInScope(Protocol):
    """How a metric family computes one metric for a given scope."""

    def __call__(
        self,
        session: Session,
        slug: str,
        query: MetricQuery,
        *,
        with_series: bool,
        scope: Scope | None = None,
    ) -> MetricResult: ...


@dataclass(frozen=True)
class RepositoryMetric:
    repository_id: int
    repository: str
    metric: MetricResult


@dataclass(frozen=True)
class Breakdown:
    repositories: list[RepositoryMetric]
    #: Repositories with activity in the scope, of which the `limit` most active were computed.
    active_repositories: int


def _active_repositories(session: Session, query: MetricQuery, scope: Scope) -> dict[int, int]:
    """Repositories with a deployment finished, or a PR merged or deployed, in the window or
    the one before (three range scans on indexed timestamps), within the scope's repositories,
    with how many such events each had."""
    since, _ = previous_window(query.start, query.end)
    active = union_all(
        select(Deployment.repository_id).where(
            Deployment.finished_at >= since, Deployment.finished_at < query.end
        ),
        select(PullRequest.repository_id).where(
            PullRequest.merged_at >= since, PullRequest.merged_at < query.end
        ),
        select(PullRequest.repository_id).where(
            PullRequest.deployed_at >= since, PullRequest.deployed_at < query.end
        ),
    ).subquery()
    repository_id = active.c[0]
    counts = {
        int(rid): int(n)
        for rid, n in session.execute(select(repository_id, func.count()).group_by(repository_id))
    }
    for named in (scope.repository_ids, scope.team_repository_ids):
        if named is not None:
            counts = {rid: n for rid, n in counts.items() if rid in named}
    return counts


def metric_by_repository(
    session: Session, slug: str, query: MetricQuery, compute: MetricInScope, *, limit: int
) -> Breakdown:
    """The metric, with its series, for each of the `limit` most active repositories that
    have data for it; by name."""
    scope = resolve_scope(session, query)
    active = _active_repositories(session, query, scope)
    if slug in GROUPED_DURATIONS:
        return _grouped_durations(session, slug, query, scope, active, limit=limit)
    if slug in GROUPED_RATIOS:
        return _grouped_ratios(session, slug, query, scope, active, limit=limit)
    if slug == "deployment-frequency":
        return _grouped_frequency(session, query, scope, active, limit=limit)
    chosen = _most_active(active, limit)
    names = _names(session, chosen)
    found = []
    for repository_id, name in sorted(names.items(), key=lambda item: item[1]):
        own = Scope(
            repository_ids=frozenset({repository_id}),
            authors=scope.authors,
            team_repository_ids=scope.team_repository_ids,
        )
        result = compute(session, slug, query, with_series=True, scope=own)
        if result.sample_size or result.previous_sample_size:
            found.append(RepositoryMetric(repository_id, name, result))
    return Breakdown(found, len(active))


def _most_active(active: dict[int, int], limit: int) -> list[int]:
    return sorted(active, key=lambda rid: (-active[rid], rid))[:limit]


def _names(session: Session, repository_ids: list[int]) -> dict[int, str]:
    if not repository_ids:
        return {}
    rows = session.execute(
        select(Repository.id, Repository.full_name).where(Repository.id.in_(repository_ids))
    )
    return {repository_id: name for repository_id, name in rows}


# --- durations: one grouped aggregate per window and one for the series -------------------


@dataclass(frozen=True)
class _Durations:
    value: Any
    when: Any
    conditions: Callable[[Scope, datetime, datetime], list[Any]]


def _development(slug: str) -> _Durations:
    value, when = DURATIONS[slug]
    return _Durations(value, when, lambda scope, start, end: in_window(when, scope, start, end))


#: Duration metrics whose breakdown is computed grouped by repository (the same rows and
#: the same statistics as the metric, so each entry still equals the metric for that
#: repository). Others (counts, ratios, PR size, recovery time) are computed per repository.
GROUPED_DURATIONS: dict[str, _Durations] = {
    "lead-time": _Durations(
        PullRequest.lead_time_seconds, PullRequest.deployed_at, lead_time_conditions
    ),
    **{
        slug: _development(slug)
        for slug in (
            "pr-review-time",
            "pickup-time",
            "pr-merge-time",
            "cycle-time",
            "coding-time",
            "deploy-time",
        )
    },
}


def _grouped_durations(
    session: Session,
    slug: str,
    query: MetricQuery,
    scope: Scope,
    active: dict[int, int],
    *,
    limit: int,
) -> Breakdown:
    facts = GROUPED_DURATIONS[slug]
    chosen = _most_active(active, limit)
    names = _names(session, chosen)
    if not names:
        return Breakdown([], len(active))
    # Grouped over every repository in scope and then picked: a `repository_id IN (…)`
    # condition would lead SQLite to the (repository_id, merged_at) index and read every PR
    # of those repositories instead of the window's range.
    repository = PullRequest.repository_id

    def per_repository(start: datetime, end: datetime) -> dict[int, Summary]:
        rows = select(repository, facts.value).where(*facts.conditions(scope, start, end))
        return {key[0]: summary for key, summary in summarize_by_group(session, rows, 1).items()}

    current = per_repository(query.start, query.end)
    previous = per_repository(*previous_window(query.start, query.end))
    bucket = period_bucket(session, facts.when, query.period)
    series_rows = select(repository, bucket, facts.value).where(
        *facts.conditions(scope, query.start, query.end)
    )
    series = {
        (key[0], parse_bucket(key[1])): summary
        for key, summary in summarize_by_group(session, series_rows, 2).items()
    }
    buckets = periods_between(query.start, query.end, query.period)
    spec = SPECS[slug]
    found = []
    for repository_id, name in sorted(names.items(), key=lambda item: item[1]):
        now = current.get(repository_id, EMPTY)
        before = previous.get(repository_id, EMPTY)
        if not now.count and not before.count:
            continue
        value, previous_value = now.value(query.statistic), before.value(query.statistic)
        level = (
            lead_time_level(query.level_table, now.median).label
            if slug == "lead-time" and now.median is not None
            else None
        )
        points = [
            SeriesPoint(
                b,
                series[(repository_id, b)].value(query.statistic)
                if (repository_id, b) in series
                else None,
                series[(repository_id, b)].count if (repository_id, b) in series else 0,
            )
            for b in buckets
        ]
        result = MetricResult(
            slug=slug,
            title=spec.title,
            unit=spec.unit,
            better=spec.better.value,
            value=value,
            sample_size=now.count,
            level=level,
            previous_value=previous_value,
            previous_sample_size=before.count,
            trend=trend(value, previous_value, spec.better),
            details={"median": now.median, "mean": now.mean, "p75": now.p75, "p90": now.p90},
            series=points,
        )
        found.append(RepositoryMetric(repository_id, name, result))
    return Breakdown(found, len(active))


# --- ratios: failed or rework deployments over deployments, grouped ------------------------


@dataclass(frozen=True)
class _Ratio:
    flag: Any
    conditions: Callable[[Scope, datetime, datetime], list[Any]]
    #: The details key of the flagged count ("failed", "rework").
    name: str


GROUPED_RATIOS: dict[str, _Ratio] = {
    "change-failure-rate": _Ratio(
        Deployment.is_failed,
        lambda scope, start, end: [
            *production_conditions(scope, start, end),
            Deployment.status.in_(("success", "failure")),
        ],
        "failed",
    ),
    "rework-rate": _Ratio(Deployment.is_rework, successful_conditions, "rework"),
}


def _grouped_ratios(
    session: Session,
    slug: str,
    query: MetricQuery,
    scope: Scope,
    active: dict[int, int],
    *,
    limit: int,
) -> Breakdown:
    facts = GROUPED_RATIOS[slug]
    names = _names(session, _most_active(active, limit))
    if not names:
        return Breakdown([], len(active))
    hit = case((facts.flag.is_(True), 1), else_=0)

    def counted(
        start: datetime, end: datetime, *keys: Any
    ) -> dict[tuple[Any, ...], tuple[int, int]]:
        sub = (
            select(Deployment.repository_id.label("repository"), *keys, hit.label("hit"))
            .where(*facts.conditions(scope, start, end))
            .subquery()
        )
        group = [sub.c.repository, *(sub.c[f"key{i}"] for i in range(len(keys)))]
        return {
            tuple(row[: len(group)]): (int(row[-2]), int(row[-1] or 0))
            for row in session.execute(
                select(*group, func.count(), func.sum(sub.c.hit)).group_by(*group)
            )
        }

    current = counted(query.start, query.end)
    previous = counted(*previous_window(query.start, query.end))
    bucket = period_bucket(session, Deployment.finished_at, query.period).label("key0")
    series = {
        (key[0], parse_bucket(key[1])): figures
        for key, figures in counted(query.start, query.end, bucket).items()
    }
    buckets = periods_between(query.start, query.end, query.period)
    spec = SPECS[slug]
    found = []
    for repository_id, name in sorted(names.items(), key=lambda item: item[1]):
        total, hits = current.get((repository_id,), (0, 0))
        previous_total, previous_hits = previous.get((repository_id,), (0, 0))
        if not total and not previous_total:
            continue
        value = hits / total if total else None
        previous_value = previous_hits / previous_total if previous_total else None
        level = (
            change_failure_rate_level(query.level_table, value).label
            if slug == "change-failure-rate" and value is not None
            else None
        )
        points = []
        for b in buckets:
            b_total, b_hits = series.get((repository_id, b), (0, 0))
            points.append(SeriesPoint(b, b_hits / b_total if b_total else None, b_total))
        result = MetricResult(
            slug=slug,
            title=spec.title,
            unit=spec.unit,
            better=spec.better.value,
            value=value,
            sample_size=total,
            level=level,
            previous_value=previous_value,
            previous_sample_size=previous_total,
            trend=trend(value, previous_value, spec.better),
            details={facts.name: hits, "deployments": total},
            series=points,
        )
        found.append(RepositoryMetric(repository_id, name, result))
    return Breakdown(found, len(active))


# --- deployment frequency: counts and deployment days, grouped ------------------------------


def _grouped_frequency(
    session: Session, query: MetricQuery, scope: Scope, active: dict[int, int], *, limit: int
) -> Breakdown:
    names = _names(session, _most_active(active, limit))
    if not names:
        return Breakdown([], len(active))
    repository = Deployment.repository_id

    def per_bucket(start: datetime, end: datetime, period: Period) -> dict[int, dict[date, int]]:
        bucket = period_bucket(session, Deployment.finished_at, period)
        found: dict[int, dict[date, int]] = defaultdict(dict)
        for repository_id, b, n in session.execute(
            select(repository, bucket, func.count())
            .where(*successful_conditions(scope, start, end))
            .group_by(repository, bucket)
        ):
            found[repository_id][parse_bucket(b)] = int(n)
        return found

    def window(start: datetime, end: datetime) -> dict[int, KeyValue]:
        days = per_bucket(start, end, Period.DAY)
        return {
            rid: frequency(query.level_table, start, end, sum(days[rid].values()), set(days[rid]))
            for rid in days
        }

    previous_start, previous_end = previous_window(query.start, query.end)
    current = window(query.start, query.end)
    previous = window(previous_start, previous_end)
    series = per_bucket(query.start, query.end, query.period)
    buckets = periods_between(query.start, query.end, query.period)
    spec = SPECS["deployment-frequency"]
    found = []
    for repository_id, name in sorted(names.items(), key=lambda item: item[1]):
        now = current.get(repository_id) or frequency(
            query.level_table, query.start, query.end, 0, set()
        )
        before = previous.get(repository_id) or frequency(
            query.level_table, previous_start, previous_end, 0, set()
        )
        if not now.sample_size and not before.sample_size:
            continue
        counts = series.get(repository_id, {})
        result = MetricResult(
            slug=spec.slug,
            title=spec.title,
            unit=spec.unit,
            better=spec.better.value,
            value=now.value,
            sample_size=now.sample_size,
            level=now.level.label if now.level is not None else None,
            previous_value=before.value,
            previous_sample_size=before.sample_size,
            trend=trend(now.value, before.value, spec.better),
            details=now.details,
            series=[SeriesPoint(b, float(counts.get(b, 0)), counts.get(b, 0)) for b in buckets],
        )
        found.append(RepositoryMetric(repository_id, name, result))
    return Breakdown(found, len(active))
