"""Linear teams and projects, for filter pickers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from veelocity.api import API_PREFIX
from veelocity.api.deps import CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.issues import schemas
from veelocity.models import LinearProject, LinearTeam

router = APIRouter(
    prefix=f"{API_PREFIX}/linear",
    tags=["issues"],
    responses={401: {"model": ErrorResponse}},
)


@router.get("/teams", summary="Linear teams, by name (those Linear no longer lists included)")
def linear_teams(session: DbSession, _: CurrentUser) -> list[schemas.LinearTeamOut]:
    return [
        schemas.LinearTeamOut(id=t.id, key=t.key, name=t.name, gone=t.gone_at is not None)
        for t in session.scalars(select(LinearTeam).order_by(LinearTeam.name, LinearTeam.id))
    ]


@router.get("/projects", summary="Linear projects, by name (archived ones left out)")
def linear_projects(session: DbSession, _: CurrentUser) -> list[schemas.LinearProjectOut]:
    return [
        schemas.LinearProjectOut(id=p.id, name=p.name, state=p.state, url=p.url)
        for p in session.scalars(
            select(LinearProject)
            .where(LinearProject.archived_at.is_(None))
            .order_by(LinearProject.name, LinearProject.id)
        )
    ]
