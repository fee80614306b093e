"""AI-assisted development: adoption, cohorts, before and after adoption, AI-weighted
failures, and the pull requests behind them (docs/ai-impact.md)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from veelocity.api import API_PREFIX
from veelocity.api.ai import schemas
from veelocity.api.ai.convert import adoption_out, cohort_out, failures_out
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.metrics.params import Query_
from veelocity.api.metrics.schemas import WindowOut
from veelocity.api.prs.endpoints import ai_out, pull_request_out
from veelocity.core.time import utcnow
from veelocity.metrics.ai.pull_requests import AiPrFilter, Assisted, ai_pull_request_page
from veelocity.metrics.ai.report import (
    adoption_report,
    cohort_report,
    crossing_report,
    failures_report,
    scope_floor,
)
from veelocity.metrics.cache import data_version
from veelocity.metrics.query import MetricQuery

router = APIRouter(
    prefix=f"{API_PREFIX}/ai",
    tags=["ai"],
    responses={
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)

MAX_PAGE_SIZE = 100
T = TypeVar("T")


def _cached(session: Session, context: Context, key: Hashable, compute: Callable[[], T]) -> T:
    return context.metric_cache.get_or_compute(data_version(session), key, compute)


def _window(query: MetricQuery) -> WindowOut:
    return WindowOut(
        start=query.start, end=query.end, period=query.period.value, statistic=query.statistic.value
    )


@router.get(
    "/adoption",
    summary="AI adoption: active users, accepted lines, AI share, spend and review-bot coverage",
    description="Per scope and window, with a series per period. No figure for a scope of "
    "fewer than MIN_GROUP_SIZE people (`suppressed` says why).",
)
def adoption(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.AdoptionOut:
    floor = context.settings.min_group_size

    def compute() -> schemas.AdoptionOut:
        return adoption_out(_window(query), adoption_report(session, query, floor))

    return _cached(session, context, ("ai-adoption", query, floor), compute)


@router.get(
    "/cohorts",
    summary="AI-assisted vs not, and AI-reviewed vs not: pickup, review, cycle time, size and "
    "failed or rework share",
    description="Merged PRs in the window. Each measure gives both groups' sizes and values "
    "and the difference (AI group minus the other) with a seeded 95 % bootstrap interval; "
    "none when a group has fewer than 20 PRs. Correlation, not causation.",
)
def cohorts(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.CohortsOut:
    floor = context.settings.min_group_size

    def compute() -> schemas.CohortsOut:
        report = cohort_report(session, query, floor)
        return schemas.CohortsOut(
            window=_window(query),
            people=report.people,
            suppressed=report.suppressed,
            cohorts=[cohort_out(c) for c in report.cohorts],
        )

    return _cached(session, context, ("ai-cohorts", query, floor), compute)


@router.get(
    "/adoption-crossing",
    summary="The week each team's adoption crossed half of its people, and its PRs before "
    "and after",
    description="For `team_id`, or every team. Adoption in a week = members active in Cursor "
    "that week ÷ members.",
)
def adoption_crossing(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.AdoptionCrossingOut:
    floor = context.settings.min_group_size

    def compute() -> schemas.AdoptionCrossingOut:
        return schemas.AdoptionCrossingOut(
            window=_window(query),
            teams=[
                schemas.TeamAdoptionOut(
                    team_id=t.team_id,
                    team=t.team,
                    people=t.people,
                    suppressed=t.suppressed,
                    crossed_on=t.crossed_on,
                    comparison=cohort_out(t.comparison) if t.comparison else None,
                )
                for t in crossing_report(session, query, floor)
            ],
        )

    return _cached(session, context, ("ai-crossing", query, floor), compute)


@router.get(
    "/failures",
    summary="AI-weighted failures beside the change failure rate",
    description="Each failed production deployment counts the AI share of the lines it "
    "shipped; over the deployments whose AI share is known.",
)
def failures(
    session: DbSession, context: Context, query: Query_, _: CurrentUser
) -> schemas.AiFailuresOut:
    floor = context.settings.min_group_size

    def compute() -> schemas.AiFailuresOut:
        return failures_out(_window(query), failures_report(session, query, floor))

    return _cached(session, context, ("ai-failures", query, floor), compute)


@router.get(
    "/pull-requests",
    summary="The merged pull requests behind an AI figure, each with its AI evidence",
    description="The same window and scope as the figures, newest merge first, keyset-paged. "
    "`assisted=any` is the AI-assisted cohort (high or low); `reviewed` the AI-reviewed one; "
    "`failed_or_rework` the PRs shipped in a failed or rework production deployment (or in a "
    "sound one). A series point's PRs: its `period_start` as `start_date` and the period's "
    "last day as `end_date`.",
)
def pull_requests(
    session: DbSession,
    context: Context,
    query: Query_,
    _: CurrentUser,
    assisted: Annotated[
        Assisted | None, Query(description="high, low, none, or any (high or low).")
    ] = None,
    reviewed: Annotated[bool | None, Query(description="AI-reviewed or not.")] = None,
    failed_or_rework: Annotated[
        bool | None,
        Query(description="Shipped in a failed or rework production deployment, or not."),
    ] = None,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> schemas.AiPullRequestPage:
    floor = scope_floor(session, query, context.settings.min_group_size)
    if floor is not None:
        return schemas.AiPullRequestPage(suppressed=floor, items=[], next_cursor=None)
    items, next_cursor = ai_pull_request_page(
        session,
        query,
        AiPrFilter(assisted=assisted, reviewed=reviewed, failed_or_rework=failed_or_rework),
        page_size=page_size,
        cursor=cursor,
    )
    now = utcnow()
    stale_days = context.settings.stale_pr_days
    return schemas.AiPullRequestPage(
        suppressed=None,
        items=[
            schemas.AiPullRequestOut(
                **pull_request_out(pr, repository, now=now, stale_days=stale_days),
                ai=ai_out(ai),
            )
            for pr, repository, ai in items
        ],
        next_cursor=next_cursor,
    )
