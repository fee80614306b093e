"""The lists behind the dashboards: repositories, deployments and incidents."""

from __future__ import annotations

from fastapi import APIRouter

from veelocity.api import API_PREFIX
from veelocity.api.delivery import schemas
from veelocity.api.deps import CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.delivery.repositories import list_repositories

router = APIRouter(
    prefix=API_PREFIX,
    responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)


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
