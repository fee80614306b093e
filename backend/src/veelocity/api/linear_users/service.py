"""Read Linear users with their developer, choose one by hand, or go back to the e-mail match."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput, NotFound
from veelocity.models import Developer, LinearUser
from veelocity.store.linear import match_linear_users


@dataclass(frozen=True)
class LinearUserView:
    user: LinearUser
    developer: Developer | None


def list_linear_users(session: Session) -> list[LinearUserView]:
    rows = session.execute(
        select(LinearUser, Developer)
        .outerjoin(Developer, Developer.id == LinearUser.developer_id)
        .order_by(func.lower(LinearUser.name), LinearUser.id)
    )
    return [LinearUserView(user, developer) for user, developer in rows]


def list_developer_choices(session: Session) -> list[Developer]:
    return list(
        session.scalars(
            select(Developer)
            .where(Developer.is_bot.is_(False))
            .order_by(func.lower(Developer.login), Developer.id)
        )
    )


def _view(session: Session, user: LinearUser) -> LinearUserView:
    developer = session.get(Developer, user.developer_id) if user.developer_id else None
    return LinearUserView(user, developer)


def _get_user(session: Session, user_id: int) -> LinearUser:
    user = session.get(LinearUser, user_id)
    if user is None:
        raise NotFound("No Linear user with this id.")
    return user


def choose_developer(
    session: Session, user_id: int, developer_id: int | None
) -> tuple[LinearUserView, bool]:
    """Records an admin's choice (None: the user is no developer); says whether anything changed."""
    user = _get_user(session, user_id)
    if developer_id is not None and session.get(Developer, developer_id) is None:
        raise InvalidInput("developer_id: no developer with this id.")
    changed = not user.developer_chosen or user.developer_id != developer_id
    user.developer_id = developer_id
    user.developer_chosen = True
    session.flush()
    return _view(session, user), changed


def match_by_email(session: Session, user_id: int) -> tuple[LinearUserView, bool]:
    """Drops a choice made by hand: the user is matched by e-mail again, now and by later syncs,
    by the rule the sync uses."""
    user = _get_user(session, user_id)
    before = (user.developer_chosen, user.developer_id)
    user.developer_chosen = False
    session.flush()
    match_linear_users(session)
    session.refresh(user)
    return _view(session, user), before != (user.developer_chosen, user.developer_id)
