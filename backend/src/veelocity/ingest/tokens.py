"""Ingest tokens: created by admins, shown once, stored as a SHA-256 digest, revocable.

A token only opens the push-ingest routes. It is `vlc_ing_` followed by 256 random bits,
so it is recognisable in a leaked log or a secret scanner, and it cannot be mistaken for a
user's access token (which it never authenticates as).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.errors import NotAuthenticated, NotFound
from veelocity.core.security.tokens import digest_token, new_refresh_token
from veelocity.models import IngestToken, User

TOKEN_PREFIX = "vlc_ing_"  # noqa: S105  (a public marker, not a secret)
#: Characters kept in clear to recognise a token: the marker and four random characters.
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 4


@dataclass(frozen=True)
class IssuedIngestToken:
    row: IngestToken
    #: The token itself: returned once, never stored.
    token: str


@dataclass(frozen=True)
class IngestTokenView:
    row: IngestToken
    created_by_email: str | None


def create_token(
    session: Session,
    *,
    name: str,
    created_by: int | None,
    expires_in: timedelta | None,
    now: datetime,
) -> IssuedIngestToken:
    token = TOKEN_PREFIX + new_refresh_token()
    row = IngestToken(
        name=name,
        token_digest=digest_token(token),
        prefix=token[:SHOWN_PREFIX_LENGTH],
        created_by=created_by,
        created_at=now,
        expires_at=now + expires_in if expires_in else None,
    )
    session.add(row)
    session.flush()
    return IssuedIngestToken(row=row, token=token)


def list_tokens(session: Session) -> list[IngestTokenView]:
    """Every token, newest first, revoked ones included (they show when they stopped)."""
    query = (
        select(IngestToken, User.email)
        .outerjoin(User, User.id == IngestToken.created_by)
        .order_by(IngestToken.created_at.desc(), IngestToken.id.desc())
    )
    return [IngestTokenView(row, email) for row, email in session.execute(query)]


def revoke_token(session: Session, token_id: int, *, now: datetime) -> tuple[IngestToken, bool]:
    """Revoke a token; returns it and whether this call revoked it (False if it already was)."""
    row = session.get(IngestToken, token_id)
    if row is None:
        raise NotFound("No ingest token with this id.")
    if row.revoked_at is not None:
        return row, False
    row.revoked_at = now
    return row, True


def authenticate_token(session: Session, token: str, *, now: datetime) -> IngestToken:
    """The live token row for this bearer token, with its last use set to now.

    Raises NotAuthenticated for anything else: unknown, malformed, revoked or expired
    tokens, and user access tokens, all with one message that reveals nothing more.
    """
    refused = NotAuthenticated(
        f"Send a valid ingest token ({TOKEN_PREFIX}…) in the Authorization header; "
        "ingest tokens are created by admins in Settings.",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise refused
    row = session.scalar(select(IngestToken).where(IngestToken.token_digest == digest_token(token)))
    if row is None or row.revoked_at is not None:
        raise refused
    if row.expires_at is not None and row.expires_at <= now:
        raise refused
    row.last_used_at = now
    return row
