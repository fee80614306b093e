"""Login throttling: 5 failed attempts a minute per client address and per account.

Counted in the database, so every worker and replica sees the same counts. Per-account
counting stops a distributed guesser; per-client counting stops one client spraying accounts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from veelocity.models import LoginAttempt


@dataclass(frozen=True)
class LoginLimit:
    max_failures: int
    window: timedelta


SHORT_LIMIT = LoginLimit(max_failures=5, window=timedelta(minutes=1))
#: Caps a slow, patient guesser at 100 tries an hour per account.
HOURLY_ACCOUNT_LIMIT = LoginLimit(max_failures=100, window=timedelta(hours=1))


def _seconds_until_allowed(
    session: Session,
    column: InstrumentedAttribute[str],
    value: str,
    limit: LoginLimit,
    now: datetime,
) -> int:
    since = now - limit.window
    failures = (
        select(LoginAttempt.at)
        .where(column == value, LoginAttempt.at > since, LoginAttempt.succeeded.is_(False))
        .order_by(LoginAttempt.at.desc())
        .limit(limit.max_failures)
        .subquery()
    )
    count, oldest = session.execute(select(func.count(), func.min(failures.c.at))).one()
    if count < limit.max_failures or oldest is None:
        return 0
    if oldest.tzinfo is None:  # SQLite may hand back a naive value from an aggregate
        oldest = oldest.replace(tzinfo=now.tzinfo)
    wait: float = (oldest + limit.window - now).total_seconds()
    return max(1, math.ceil(wait))


def seconds_until_login_allowed(
    session: Session, *, account: str, client_address: str, now: datetime
) -> int:
    """0 when a login attempt may proceed, else how long the caller must wait."""
    return max(
        _seconds_until_allowed(session, LoginAttempt.account, account, SHORT_LIMIT, now),
        _seconds_until_allowed(
            session, LoginAttempt.client_address, client_address, SHORT_LIMIT, now
        ),
        _seconds_until_allowed(session, LoginAttempt.account, account, HOURLY_ACCOUNT_LIMIT, now),
    )


def record_login_attempt(
    session: Session, *, account: str, client_address: str, succeeded: bool, now: datetime
) -> None:
    session.add(
        LoginAttempt(at=now, account=account, client_address=client_address, succeeded=succeeded)
    )


def forget_old_attempts(session: Session, *, now: datetime) -> int:
    """Attempts older than the longest window are no longer needed."""
    result = session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - HOURLY_ACCOUNT_LIMIT.window)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
