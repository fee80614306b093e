"""The lists behind the dashboards: repositories, deployments and incidents."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from veelocity.api import API_PREFIX
from veelocity.api.delivery import schemas
from veelocity.api.deps import CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import BigRowId
from veelocity.api.metrics.params import Query_
from veelocity.core.errors import NotFound
from veelocity.delivery.deployments import DeploymentFilter, list_deployments
from veelocity.delivery.incidents import IncidentFilter, list_incidents
from veelocity.delivery.repositories import list_repositories
from veelocity.metrics.query import MetricQuery

router = APIRouter(
    prefix=API_PREFIX,
    responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)

MAX_PAGE_SIZE = 100

Page = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]
PeriodStart = Annotated[
    date | None,
    Query(
        description="Only this period of the series (its first day, as in a series point's "
        "`period_start`; with `period`), inside the window: what one chart point counts."
    ),
]


def _narrowed(query: MetricQuery, period_start: date | None) -> MetricQuery:
    return query.within_period(period_start) if period_start is not None else query


def _window(query: MetricQuery) -> schemas.ListWindowOut:
    return schemas.ListWindowOut(start=query.start, end=query.end)


@router.get(
    "/repositories",
    tags=["repositories"],
    summary="Every repository Veelocity knows, for the repository filter",
    description="Sorted by name, with pull-request and deployment counts and the latest "
    "activity. The `id` is what the metric, pull-request and deployment routes take as "
    "`repo_id`.",
)
def repositories(session: DbSession, _: CurrentUser) -> list[schemas.RepositoryOut]:
    return [schemas.RepositoryOut(**vars(r)) for r in list_repositories(session)]


@router.get(
    "/deployments",
    tags=["deployments"],
    summary="Deployments in the window, with why each failed one counted as failed",
    description="Newest first. Takes the metric filters (`start_date`, `end_date`, `repo_id`, "
    "`team_id`, `author`; the window is the last 30 days unless `start_date`/`end_date` say "
    "otherwise, and `window` in the answer says which applied) and, to list what is behind "
    "one chart point, `period_start` with `period`. By default only what the DORA keys "
    "count: production deployments that succeeded or failed. Each row lists the pull "
    "requests it shipped with their lead times.",
    responses={404: {"model": ErrorResponse}},
)
def deployments(
    session: DbSession,
    query: Query_,
    _: CurrentUser,
    period_start: PeriodStart = None,
    failed: Annotated[
        bool | None, Query(description="Only failed (true) or only not failed (false).")
    ] = None,
    rework: Annotated[bool | None, Query(description="Only rework deployments (or not).")] = None,
    production_only: Annotated[
        bool, Query(description="false: every environment, as received.")
    ] = True,
    page: Page = 1,
    page_size: PageSize = 50,
) -> schemas.DeploymentPage:
    applied = _narrowed(query, period_start)
    found = list_deployments(
        session,
        DeploymentFilter(applied, failed, rework, production_only),
        page=page,
        page_size=page_size,
    )
    return schemas.DeploymentPage(
        window=_window(applied),
        items=[schemas.DeploymentOut.model_validate(d, from_attributes=True) for d in found.items],
        page=found.page,
        page_size=found.page_size,
        total=found.total,
    )


@router.get(
    "/deployments/{deployment_id}",
    tags=["deployments"],
    summary="One deployment, with why it counted as failed and what it shipped",
    description="The row `/deployments` lists, found by id in every environment and at any "
    "time: what a failure reason such as “rolled back by deployment N” links to.",
    responses={404: {"model": ErrorResponse}},
)
def deployment(
    session: DbSession, query: Query_, _: CurrentUser, deployment_id: BigRowId
) -> schemas.DeploymentOut:
    found = list_deployments(
        session,
        DeploymentFilter(query, production_only=False, deployment_id=deployment_id),
        page=1,
        page_size=1,
    )
    if not found.items:
        raise NotFound("No deployment with this id.")
    return schemas.DeploymentOut.model_validate(found.items[0], from_attributes=True)


@router.get(
    "/incidents",
    tags=["incidents"],
    summary="Incidents in the window, with the deployment each is attributed to",
    description="Newest first, by start. Takes the metric filters (`start_date`, `end_date`, "
    "`repo_id`, `team_id`, `author`; the last 30 days by default, and `window` in the answer "
    "says which window applied) and `period_start` with `period`. With a repository or "
    "team filter, an incident is listed when it was raised against one of its repositories "
    "or is attributed to one of its deployments.",
    responses={404: {"model": ErrorResponse}},
)
def incidents(
    session: DbSession,
    query: Query_,
    _: CurrentUser,
    period_start: PeriodStart = None,
    source: Annotated[
        str | None, Query(max_length=64, description="Only this source (e.g. revert, ingest).")
    ] = None,
    resolved: Annotated[
        bool | None, Query(description="Only resolved (true) or only open (false).")
    ] = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> schemas.IncidentPage:
    applied = _narrowed(query, period_start)
    found = list_incidents(
        session,
        IncidentFilter(applied, source, resolved),
        page=page,
        page_size=page_size,
    )
    return schemas.IncidentPage(
        window=_window(applied),
        items=[schemas.IncidentOut.model_validate(i, from_attributes=True) for i in found.items],
        page=found.page,
        page_size=found.page_size,
        total=found.total,
    )
