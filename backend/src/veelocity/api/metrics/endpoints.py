"""Metrics: the DORA keys, pull-request flow, reviewers and developers."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.metrics import schemas
from veelocity.api.metrics.params import Query_
from veelocity.core.errors import NotFound
from veelocity.credentials.store import derive_config
from veelocity.derive.config import DeriveConfig
from veelocity.metrics.by_repository import MetricInScope, metric_by_repository
from veelocity.metrics.cache import data_version
from veelocity.metrics.development import DEVELOPMENT_KEYS, development_metric, development_summary
from veelocity.metrics.dora import DORA_KEYS, dora_key, dora_summary
from veelocity.metrics.people import developer_figures, reviewer_load
from veelocity.metrics.query import MetricQuery
from veelocity.metrics.specs import SPECS

router = APIRouter(
    prefix=f"{API_PREFIX}/metrics",
    tags=["metrics"],
    responses={
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)


T = TypeVar("T")


def _cached(session: Session, context: Context, key: Hashable, compute: Callable[[], T]) -> T:
    """The answer computed at the data version this request sees, computed once."""
    return context.metric_cache.get_or_compute(data_version(session), key, compute)


def _window(query: MetricQuery) -> schemas.WindowOut:
    return schemas.WindowOut(
        start=query.start, end=query.end, period=query.period.value, statistic=query.statistic.value
    )


def _derive_config(session: Session, context: Context) -> DeriveConfig:
    return derive_config(session, context.settings)


@router.get("/catalogue", summary="Every metric: slug, title, unit and which direction is better")
def catalogue(_: CurrentUser) -> list[schemas.SpecOut]:
    return [schemas.SpecOut.of(spec) for spec in SPECS.values()]


@router.get(
    "/dora",
    summary="All five DORA keys with value, sample size, level, previous window and trend",
)
def dora(session: DbSession, context: Context, query: Query_, _: CurrentUser) -> schemas.DoraOut:
    def compute() -> schemas.DoraOut:
        summary = dora_summary(session, query)
        return schemas.DoraOut(
            window=_window(query),
            level_table=summary.level_table,
            overall_level=summary.overall_level,
            keys=[schemas.MetricOut.of(k) for k in summary.keys],
        )

    return _cached(session, context, ("dora", query), compute)


DEFAULT_BREAKDOWN = 20
MAX_BREAKDOWN = 100


def _add_metric_route(family: str, slug: str, compute: MetricInScope) -> None:
    """Two GET routes per metric of a family: the metric with its series, and the same per
    repository."""

    def endpoint(
        session: DbSession, context: Context, query: Query_, _: CurrentUser
    ) -> schemas.MetricOut:
        return _cached(
            session,
            context,
            (family, slug, query),
            lambda: schemas.MetricOut.of(compute(session, slug, query, with_series=True)),
        )

    endpoint.__name__ = f"{family}_{slug.replace('-', '_')}"
    router.add_api_route(
        f"/{family}/{slug}",
        endpoint,
        methods=["GET"],
        summary=f"{SPECS[slug].title}, with its time series",
        description=SPECS[slug].description,
    )

    def by_repository(
        session: DbSession,
        context: Context,
        query: Query_,
        _: CurrentUser,
        limit: Annotated[
            int,
            Query(ge=1, le=MAX_BREAKDOWN, description="At most this many repositories."),
        ] = DEFAULT_BREAKDOWN,
    ) -> schemas.RepositoryBreakdownOut:
        def answer() -> schemas.RepositoryBreakdownOut:
            breakdown = metric_by_repository(session, slug, query, compute, limit=limit)
            return schemas.RepositoryBreakdownOut(
                window=_window(query),
                spec=schemas.SpecOut.of(SPECS[slug]),
                active_repositories=breakdown.active_repositories,
                repositories=[
                    schemas.RepositoryMetricOut(
                        repository_id=r.repository_id,
                        repository=r.repository,
                        metric=schemas.MetricOut.of(r.metric),
                    )
                    for r in breakdown.repositories
                ],
            )

        return _cached(session, context, (family, slug, "by-repository", query, limit), answer)

    by_repository.__name__ = f"{family}_{slug.replace('-', '_')}_by_repository"
    router.add_api_route(
        f"/{family}/{slug}/by-repository",
        by_repository,
        methods=["GET"],
        summary=f"{SPECS[slug].title} per repository, each with its time series",
        description=f"{SPECS[slug].description} One entry per repository with data for it in "
        "the window or the one before, by name, for the `limit` most active repositories; "
        "each equals this metric's route called with that `repo_id` (and the same team or "
        "author).",
    )


for _slug in DORA_KEYS:
    _add_metric_route("dora", _slug, dora_key)
for _slug in (*DEVELOPMENT_KEYS, "coding-time", "deploy-time"):
    _add_metric_route("development", _slug, development_metric)


@router.get("/development", summary="Pull-request flow: phase times, throughput and size")
def development(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.DevelopmentOut:
    return _cached(
        session,
        context,
        ("development", query),
        lambda: schemas.DevelopmentOut(
            window=_window(query),
            metrics=[schemas.MetricOut.of(m) for m in development_summary(session, query)],
        ),
    )


@router.get("/reviewers", summary="Reviewer load: reviews given, PRs awaiting now, response times")
def reviewers(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.ReviewersOut:
    def compute() -> schemas.ReviewersOut:
        loads = reviewer_load(session, query, _derive_config(session, context))
        return schemas.ReviewersOut(
            window=_window(query), reviewers=[schemas.ReviewerOut(**vars(r)) for r in loads]
        )

    return _cached(session, context, ("reviewers", query), compute)


@router.get("/developers", summary="Per-developer figures for the window, by name")
def developers(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.DevelopersOut:
    def compute() -> schemas.DevelopersOut:
        figures = developer_figures(session, query, _derive_config(session, context))
        return schemas.DevelopersOut(
            window=_window(query), developers=[schemas.DeveloperOut(**vars(f)) for f in figures]
        )

    return _cached(session, context, ("developers", query), compute)


@router.get("/developers/{login}", summary="One developer's figures for the window")
def developer(
    login: str, session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.DeveloperOut:
    figures = developer_figures(session, query, _derive_config(session, context), login=login)
    if not figures:
        raise NotFound("No such developer.")
    return schemas.DeveloperOut(**vars(figures[0]))
