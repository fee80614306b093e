"""Creating and changing user accounts."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from veelocity.core.errors import Conflict, InvalidInput, NotFound
from veelocity.core.security.passwords import (
    PasswordPolicyError,
    check_password_policy,
    hash_password,
)
from veelocity.core.time import utcnow
from veelocity.models import FirstRunSetup, User, UserRole

# Deliberately permissive: self-hosted teams use internal domains such as `corp.local`.
_EMAIL_PATTERN = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > 320 or not _EMAIL_PATTERN.match(email):
        raise InvalidInput("Enter a valid email address, like lead@example.com.")
    return email


def check_new_password(password: str) -> None:
    try:
        check_password_policy(password)
    except PasswordPolicyError as exc:
        raise InvalidInput(str(exc)) from None


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def claim_first_run_setup(session: Session, *, now: datetime) -> None:
    """Claim the one first-run setup, or raise Conflict when it is done or being done.

    The setup row is written at once: a concurrent setup waits on its primary key until this
    transaction ends and then fails on it, so only one first admin is ever created.
    """
    already_set_up = Conflict("Veelocity is already set up. Sign in instead.")
    if count_users(session) > 0:
        raise already_set_up
    session.add(FirstRunSetup(id=1, completed_at=now))
    try:
        session.flush()
    except IntegrityError:
        raise already_set_up from None


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def create_user(session: Session, *, email: str, password: str, role: UserRole) -> User:
    email = check_email(email)
    check_new_password(password)
    if find_user_by_email(session, email) is not None:
        raise Conflict("A user with this email already exists.")
    now = utcnow()
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        is_active=True,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    return user


def _active_admin_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == UserRole.ADMIN, User.is_active.is_(True))
        )
        or 0
    )


def update_user(
    session: Session, user: User, *, role: UserRole | None, is_active: bool | None
) -> dict[str, object]:
    """Apply the changes and return what changed (for the audit log)."""
    removes_admin = (
        user.role == UserRole.ADMIN
        and user.is_active
        and ((role is not None and role != UserRole.ADMIN) or is_active is False)
    )
    if removes_admin and _active_admin_count(session) <= 1:
        raise Conflict("This is the last active admin; make another admin first.")
    changes: dict[str, object] = {}
    if role is not None and role != user.role:
        changes["role"] = {"from": user.role.value, "to": role.value}
        user.role = role
    if is_active is not None and is_active != user.is_active:
        changes["is_active"] = {"from": user.is_active, "to": is_active}
        user.is_active = is_active
    session.flush()
    return changes


def set_password(session: Session, user: User, new_password: str) -> None:
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    session.flush()
