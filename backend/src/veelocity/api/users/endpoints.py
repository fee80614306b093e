"""User administration (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from veelocity.accounts import sessions, users
from veelocity.api import API_PREFIX
from veelocity.api.auth.schemas import UserOut
from veelocity.api.deps import AdminUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.users.schemas import NewUser, UserChange, UserList
from veelocity.audit import record_event
from veelocity.core.time import utcnow

router = APIRouter(
    prefix=f"{API_PREFIX}/users",
    tags=["users"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)


@router.get("", summary="List users")
def list_users(session: DbSession, _: AdminUser) -> UserList:
    return UserList(items=[UserOut.model_validate(u) for u in users.list_users(session)])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Add a user (admin or viewer)",
    responses={409: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)
def add_user(body: NewUser, request: Request, session: DbSession, admin: AdminUser) -> UserOut:
    user = users.create_user(session, email=body.email, password=body.password, role=body.role)
    record_event(
        session,
        actor=actor_for(request, admin),
        action="user.created",
        target=user.email,
        details={"role": user.role.value},
    )
    return UserOut.model_validate(user)


@router.patch(
    "/{user_id}",
    summary="Change a user's role or deactivate them",
    description="Deactivating a user ends all their sessions at once. The last active admin "
    "cannot be demoted or deactivated.",
    responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
)
def change_user(
    user_id: RowId, body: UserChange, request: Request, session: DbSession, admin: AdminUser
) -> UserOut:
    user = users.get_user(session, user_id)
    changes = users.update_user(session, user, role=body.role, is_active=body.is_active)
    if changes.get("is_active") or changes.get("role"):
        sessions.revoke_all_sessions(session, user.id, reason="account_changed", now=utcnow())
    if changes:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="user.updated",
            target=user.email,
            details=changes,
        )
    return UserOut.model_validate(user)
