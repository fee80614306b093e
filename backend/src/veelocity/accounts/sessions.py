"""Login sessions: access tokens, rotating refresh tokens, revocation and reuse detection.

A session is one login. Each refresh hands out a new refresh token and retires the old one;
presenting a retired token again (after a short grace period for two tabs refreshing at
once) is treated as theft and ends the whole session, with every token issued from it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from veelocity.core.errors import NotAuthenticated
from veelocity.core.security.tokens import (
    InvalidAccessToken,
    decode_access_token,
    digest_token,
    issue_access_token,
    new_refresh_token,
)
from veelocity.models import AuthSession, RefreshToken, User

#: Two requests racing to refresh with the same token within this window are not theft.
REUSE_GRACE = timedelta(seconds=10)


@dataclass(frozen=True)
class TokenPolicy:
    secret: str
    access_lifetime: timedelta
    session_lifetime: timedelta


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    session_expires_at: datetime
    user: User
    access_lifetime: timedelta


def _issue_refresh(session: Session, auth_session: AuthSession, now: datetime) -> str:
    token = new_refresh_token()
    session.add(
        RefreshToken(session_id=auth_session.id, token_digest=digest_token(token), issued_at=now)
    )
    return token


def _issue(
    session: Session, policy: TokenPolicy, auth_session: AuthSession, user: User, now: datetime
) -> IssuedTokens:
    refresh = _issue_refresh(session, auth_session, now)
    access, access_expires = issue_access_token(
        secret=policy.secret,
        user_id=user.id,
        session_id=auth_session.id,
        now=now,
        lifetime=policy.access_lifetime,
    )
    return IssuedTokens(
        access, access_expires, refresh, auth_session.expires_at, user, policy.access_lifetime
    )


def start_session(
    session: Session, policy: TokenPolicy, user: User, *, client_address: str, now: datetime
) -> IssuedTokens:
    auth_session = AuthSession(
        id=uuid.uuid4().hex,
        user_id=user.id,
        created_at=now,
        expires_at=now + policy.session_lifetime,
        client_address=client_address,
    )
    session.add(auth_session)
    session.flush()
    return _issue(session, policy, auth_session, user, now)


class RefreshTokenReused(NotAuthenticated):
    code = "refresh_token_reused"


def refresh_session(
    session: Session, policy: TokenPolicy, refresh_token: str, *, now: datetime
) -> IssuedTokens:
    """Trade a refresh token for new tokens; raise NotAuthenticated when it is not valid."""
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_digest == digest_token(refresh_token))
    )
    invalid = NotAuthenticated("Your session has ended. Sign in again.")
    if stored is None:
        raise invalid
    auth_session = session.get(AuthSession, stored.session_id)
    if (
        auth_session is None
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
    ):
        raise invalid
    if stored.used_at is not None:
        if now - stored.used_at > REUSE_GRACE:
            revoke_session(session, auth_session, reason="refresh_token_reused", now=now)
            raise RefreshTokenReused("Your session has ended. Sign in again.")
        raise invalid
    user = session.get(User, auth_session.user_id)
    if user is None or not user.is_active:
        raise invalid
    stored.used_at = now
    return _issue(session, policy, auth_session, user, now)


def revoke_session(
    session: Session, auth_session: AuthSession, *, reason: str, now: datetime
) -> None:
    if auth_session.revoked_at is None:
        auth_session.revoked_at = now
        auth_session.revoked_reason = reason


def revoke_session_by_refresh_token(
    session: Session, refresh_token: str, *, now: datetime
) -> AuthSession | None:
    stored = session.scalar(
        select(RefreshToken).where(RefreshToken.token_digest == digest_token(refresh_token))
    )
    if stored is None:
        return None
    auth_session = session.get(AuthSession, stored.session_id)
    if auth_session is not None:
        revoke_session(session, auth_session, reason="logout", now=now)
    return auth_session


def revoke_all_sessions(session: Session, user_id: int, *, reason: str, now: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


@dataclass(frozen=True)
class Authenticated:
    user: User
    auth_session: AuthSession


def authenticate_access_token(
    session: Session, policy: TokenPolicy, token: str, *, now: datetime
) -> Authenticated:
    """The user behind a valid access token whose session is still live."""
    try:
        claims = decode_access_token(token, secret=policy.secret, now=now)
    except InvalidAccessToken:
        raise NotAuthenticated("Invalid or expired access token.") from None
    auth_session = session.get(AuthSession, claims.session_id)
    if (
        auth_session is None
        or auth_session.user_id != claims.user_id
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
    ):
        raise NotAuthenticated("Your session has ended. Sign in again.")
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("Your session has ended. Sign in again.")
    return Authenticated(user=user, auth_session=auth_session)
