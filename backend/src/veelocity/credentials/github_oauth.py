"""Connect with GitHub: the OAuth web flow that stores a GitHub token for the GitHub source.

1. An admin starts it: a random `state` goes to GitHub in the authorize URL and, signed
   together with the admin's session id, into an HttpOnly cookie on the admin's browser.
2. GitHub sends the browser back with `code` and `state`. The callback accepts it only if
   the cookie is there, untampered and unexpired, its state equals the query's, and its
   session is still an active admin's. A forged or replayed callback has no such cookie.
3. The code is exchanged for a token (server to server, with the client secret), and the
   token is stored encrypted like any other secret.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
import jwt

from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.security.outbound_client import (
    SMALL_ANSWER_LIMITS,
    ResponseTooLarge,
    no_answer_message,
    outbound_client,
)

STATE_LIFETIME = timedelta(minutes=10)
STATE_TOKEN_TYPE = "github_oauth_state"  # noqa: S105  (a claim value, not a secret)
CALLBACK_PATH = "/api/v1/auth/github/callback"
#: Read pull requests, reviews, workflow runs and deployments of private repositories
#: (GitHub OAuth apps have no read-only repository scope), and organisation membership.
SCOPES = "repo read:org"


class OAuthStateError(Exception):
    """The callback's state is missing, tampered, expired or not this browser's."""


class OAuthExchangeError(Exception):
    """GitHub did not trade the code for a token."""


@dataclass(frozen=True)
class StartedFlow:
    state: str
    #: Signed; goes into the browser's cookie and back to the callback.
    cookie_value: str


@dataclass(frozen=True)
class StateClaims:
    user_id: int
    session_id: str


def start_flow(*, signing_key: str, user_id: int, session_id: str, now: datetime) -> StartedFlow:
    state = secrets.token_urlsafe(32)
    cookie_value = jwt.encode(
        {
            "typ": STATE_TOKEN_TYPE,
            "sub": str(user_id),
            "sid": session_id,
            "state": state,
            "exp": int((now + STATE_LIFETIME).timestamp()),
        },
        signing_key,
        algorithm="HS256",
    )
    return StartedFlow(state=state, cookie_value=cookie_value)


def check_state(
    *, signing_key: str, cookie_value: str | None, state: str | None, now: datetime
) -> StateClaims:
    if not cookie_value or not state:
        raise OAuthStateError("missing")
    try:
        claims = jwt.decode(
            cookie_value,
            signing_key,
            algorithms=["HS256"],
            options={"require": ["typ", "sub", "sid", "state", "exp"], "verify_exp": False},
        )
    except jwt.InvalidTokenError:
        raise OAuthStateError("invalid") from None
    if claims["typ"] != STATE_TOKEN_TYPE:
        raise OAuthStateError("invalid")
    if claims["exp"] < now.timestamp():
        raise OAuthStateError("expired")
    if not hmac.compare_digest(str(claims["state"]), state):
        raise OAuthStateError("mismatch")
    return StateClaims(user_id=int(claims["sub"]), session_id=str(claims["sid"]))


def authorize_url(*, base_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "allow_signup": "false",
        }
    )
    return f"{base_url}/login/oauth/authorize?{query}"


def exchange_code(
    *,
    base_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    outbound: OutboundPolicy,
) -> str:
    """The access token GitHub gives for this code. Raises OAuthExchangeError."""
    url = f"{base_url}/login/oauth/access_token"
    try:
        with outbound_client(outbound, SMALL_ANSWER_LIMITS) as client:
            response = client.post(
                url,
                data={
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "code": code,
                    "redirect_uri": redirect_uri,
                },
                headers={"Accept": "application/json"},
                # the client secret goes to this URL and nowhere else
                follow_redirects=False,
            )
    except httpx.HTTPError:
        raise OAuthExchangeError(no_answer_message(url)) from None
    except (ForbiddenURL, ResponseTooLarge) as exc:
        raise OAuthExchangeError(str(exc)) from None
    if response.status_code != 200:
        raise OAuthExchangeError(f"GitHub answered {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise OAuthExchangeError("GitHub's answer was not JSON") from None
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        error = body.get("error") if isinstance(body, dict) else None
        raise OAuthExchangeError(f"GitHub refused the code ({error or 'no token'})")
    return token
