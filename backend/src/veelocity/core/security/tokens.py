"""Signed access tokens (JWT, HS256) and opaque refresh tokens.

Access tokens are short-lived and name the login session they belong to, so revoking the
session (logout, password change, refresh-token reuse) stops them on the next request.
Refresh tokens are random strings; only their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ALGORITHM = "HS256"
ISSUER = "veelocity"
AUDIENCE = "veelocity-api"
ACCESS_TOKEN_TYPE = "access"  # noqa: S105  (a claim value, not a secret)
LEEWAY_SECONDS = 10


class InvalidAccessToken(Exception):
    """The token is malformed, tampered, expired or of the wrong kind."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: str
    token_id: str
    expires_at: datetime


def issue_access_token(
    *, secret: str, user_id: int, session_id: str, now: datetime, lifetime: timedelta
) -> tuple[str, datetime]:
    expires_at = now + lifetime
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "sid": session_id,
        "jti": uuid.uuid4().hex,
        "typ": ACCESS_TOKEN_TYPE,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM), expires_at


def decode_access_token(token: str, *, secret: str, now: datetime) -> AccessClaims:
    """Verify signature, issuer, audience, expiry and type; the algorithm list is fixed."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={
                "require": ["exp", "iat", "nbf", "sub", "sid", "jti", "typ"],
                "verify_iat": False,
            },
        )
        if claims["typ"] != ACCESS_TOKEN_TYPE:
            raise InvalidAccessToken("not an access token")
        # PyJWT checks exp against the wall clock; check it against ours as well so a
        # moved clock (tests, skew) is honoured the same way.
        if claims["exp"] + LEEWAY_SECONDS < now.timestamp():
            raise InvalidAccessToken("expired")
        return AccessClaims(
            user_id=int(claims["sub"]),
            session_id=str(claims["sid"]),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(claims["exp"], tz=now.tzinfo),
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidAccessToken(str(exc)) from None


def new_refresh_token() -> str:
    """256 bits from the operating system's CSPRNG."""
    return secrets.token_urlsafe(32)


def digest_token(token: str) -> str:
    """What is stored instead of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
