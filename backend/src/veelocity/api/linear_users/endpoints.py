"""Linear users and their developer. Anyone signed in reads; admins choose, and are audited."""

from __future__ import annotations

from fastapi import APIRouter, Request

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, CurrentUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.linear_users import service
from veelocity.api.linear_users.schemas import (
    DeveloperChoice,
    DeveloperOverride,
    LinearUserList,
    LinearUserOut,
    MatchKind,
)
from veelocity.audit import record_event
from veelocity.models import Developer

router = APIRouter(
    prefix=f"{API_PREFIX}/linear/users",
    tags=["linear"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)


def _choice(developer: Developer) -> DeveloperChoice:
    return DeveloperChoice(id=developer.id, login=developer.login, name=developer.name)


def _out(view: service.LinearUserView) -> LinearUserOut:
    matched_by: MatchKind = (
        "chosen" if view.user.developer_chosen else "email" if view.developer else "none"
    )
    return LinearUserOut(
        id=view.user.id,
        name=view.user.name,
        display_name=view.user.display_name,
        email=view.user.email,
        active=view.user.active,
        developer=_choice(view.developer) if view.developer else None,
        matched_by=matched_by,
    )


def _audit(request: Request, admin: AdminUser, session: DbSession, out: LinearUserOut) -> None:
    record_event(
        session,
        actor=actor_for(request, admin),
        action="linear_user.developer_updated",
        target=out.name,
        details={
            "id": out.id,
            "developer": out.developer.login if out.developer else None,
            "matched_by": out.matched_by,
        },
    )


@router.get("", summary="List Linear users with the developer each one is")
def list_linear_users(session: DbSession, _: CurrentUser) -> LinearUserList:
    return LinearUserList(
        items=[_out(view) for view in service.list_linear_users(session)],
        developers=[_choice(d) for d in service.list_developer_choices(session)],
    )


@router.put(
    "/{user_id}/developer",
    summary="Choose the developer a Linear user is (null: nobody); syncs keep the choice",
    responses={
        404: {"model": ErrorResponse, "description": "No Linear user with this id."},
        422: {"model": ErrorResponse, "description": "No developer with this id."},
    },
)
def choose_developer(
    user_id: RowId,
    body: DeveloperOverride,
    request: Request,
    session: DbSession,
    admin: AdminUser,
) -> LinearUserOut:
    view, changed = service.choose_developer(session, user_id, body.developer_id)
    out = _out(view)
    if changed:
        _audit(request, admin, session, out)
    return out


@router.delete(
    "/{user_id}/developer",
    summary="Forget a chosen developer: the Linear user is matched by e-mail again",
    responses={404: {"model": ErrorResponse, "description": "No Linear user with this id."}},
)
def match_by_email(
    user_id: RowId, request: Request, session: DbSession, admin: AdminUser
) -> LinearUserOut:
    view, changed = service.match_by_email(session, user_id)
    out = _out(view)
    if changed:
        _audit(request, admin, session, out)
    return out
