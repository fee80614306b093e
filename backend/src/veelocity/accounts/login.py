"""Checking a login attempt: limits first, then the password, with equal cost either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session

from veelocity.accounts.login_limits import record_login_attempt, seconds_until_login_allowed
from veelocity.accounts.users import find_user_by_email, normalise_email
from veelocity.core.security.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from veelocity.models import User


class LoginResult(Enum):
    OK = "ok"
    WRONG_CREDENTIALS = "wrong_credentials"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LoginOutcome:
    result: LoginResult
    account: str
    user: User | None = None
    retry_after_seconds: int = 0


def check_login(
    session: Session, *, email: str, password: str, client_address: str, now: datetime
) -> LoginOutcome:
    """Decide a login. Records the attempt; the caller must commit even when it fails."""
    account = normalise_email(email)[:320]
    wait = seconds_until_login_allowed(
        session, account=account, client_address=client_address, now=now
    )
    if wait:
        return LoginOutcome(LoginResult.THROTTLED, account, retry_after_seconds=wait)
    user = find_user_by_email(session, account)
    if user is None or not user.is_active:
        burn_verification_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    record_login_attempt(
        session, account=account, client_address=client_address, succeeded=ok, now=now
    )
    if not ok or user is None:
        return LoginOutcome(LoginResult.WRONG_CREDENTIALS, account)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginOutcome(LoginResult.OK, account, user=user)


def check_current_password(
    session: Session, user: User, *, password: str, client_address: str, now: datetime
) -> LoginOutcome:
    """Re-check a signed-in user's password (before changing it) under the login limits.

    A wrong password counts as a failed login of that account, so guessing it here is
    throttled like guessing it at sign-in. The caller must commit even when it fails.
    """
    account = user.email
    wait = seconds_until_login_allowed(
        session, account=account, client_address=client_address, now=now
    )
    if wait:
        return LoginOutcome(LoginResult.THROTTLED, account, retry_after_seconds=wait)
    ok = verify_password(user.password_hash, password)
    record_login_attempt(
        session, account=account, client_address=client_address, succeeded=ok, now=now
    )
    if not ok:
        return LoginOutcome(LoginResult.WRONG_CREDENTIALS, account)
    return LoginOutcome(LoginResult.OK, account, user=user)
