"""Teams group developers and repositories. Anyone signed in reads; admins change."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, CurrentUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.teams import service
from veelocity.api.teams.schemas import (
    TeamIn,
    TeamList,
    TeamMemberOut,
    TeamOut,
    TeamRepositoryOut,
)
from veelocity.audit import record_event
from veelocity.core.time import utcnow

router = APIRouter(
    prefix=f"{API_PREFIX}/teams",
    tags=["teams"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)

_write_responses: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorResponse, "description": "Another team has this name."},
    422: {"model": ErrorResponse, "description": "A field is not valid or a repository unknown."},
}


def _out(view: service.TeamView) -> TeamOut:
    return TeamOut(
        id=view.team.id,
        name=view.team.name,
        description=view.team.description,
        created_at=view.team.created_at,
        members=[TeamMemberOut(id=i, login=login, name=name) for i, login, name in view.members],
        repositories=[TeamRepositoryOut(id=i, full_name=name) for i, name in view.repositories],
    )


@router.get("", summary="List teams with their members and repositories")
def list_teams(session: DbSession, _: CurrentUser) -> TeamList:
    return TeamList(items=[_out(view) for view in service.list_teams(session)])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a team",
    responses=_write_responses,
)
def create_team(body: TeamIn, request: Request, session: DbSession, admin: AdminUser) -> TeamOut:
    view = service.create_team(
        session,
        name=body.name,
        description=body.description,
        members=body.members,
        repositories=body.repositories,
        now=utcnow(),
    )
    record_event(
        session,
        actor=actor_for(request, admin),
        action="team.created",
        target=view.team.name,
        details={
            "id": view.team.id,
            "members": [login for _, login, _ in view.members],
            "repositories": [name for _, name in view.repositories],
        },
    )
    return _out(view)


@router.get("/{team_id}", summary="Read a team", responses={404: {"model": ErrorResponse}})
def read_team(team_id: RowId, session: DbSession, _: CurrentUser) -> TeamOut:
    return _out(service.get_team(session, team_id))


@router.put(
    "/{team_id}",
    summary="Replace a team's name, description, members and repositories",
    responses={404: {"model": ErrorResponse}, **_write_responses},
)
def replace_team(
    team_id: RowId, body: TeamIn, request: Request, session: DbSession, admin: AdminUser
) -> TeamOut:
    view, changes = service.replace_team(
        session,
        team_id,
        name=body.name,
        description=body.description,
        members=body.members,
        repositories=body.repositories,
    )
    if changes:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="team.updated",
            target=view.team.name,
            details={"id": view.team.id, **changes},
        )
    return _out(view)


@router.delete(
    "/{team_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a team (its developers and repositories stay)",
    responses={404: {"model": ErrorResponse}},
)
def delete_team(team_id: RowId, request: Request, session: DbSession, admin: AdminUser) -> Response:
    team = service.delete_team(session, team_id)
    record_event(
        session,
        actor=actor_for(request, admin),
        action="team.deleted",
        target=team.name,
        details={"id": team_id},
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
