"""Request dependencies: the database session, the signed-in user, roles, the actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from asgi_correlation_id import correlation_id
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from veelocity.accounts.sessions import Authenticated, authenticate_access_token
from veelocity.api.context import AppContext
from veelocity.audit import Actor
from veelocity.core.errors import Forbidden, NotAuthenticated
from veelocity.core.time import utcnow
from veelocity.models import User, UserRole


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


Context = Annotated[AppContext, Depends(get_context)]


def _session(context: Context) -> Iterator[Session]:
    """One unit of work per request: committed when the handler succeeds, else rolled back."""
    session = context.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a failed commit
# is reported to the client instead of being lost after a 200.
DbSession = Annotated[Session, Depends(_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login.")


def client_address(request: Request) -> str:
    """The peer address, or X-Forwarded-For when the peer is a trusted proxy."""
    return request.client.host if request.client else "unknown"


def _authenticated(
    context: Context,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Authenticated:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated(
            "Sign in first: send an access token in the Authorization header.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return authenticate_access_token(
        session, context.token_policy, credentials.credentials, now=utcnow()
    )


AuthenticatedSession = Annotated[Authenticated, Depends(_authenticated)]


def _current_user(auth: AuthenticatedSession) -> User:
    return auth.user


CurrentUser = Annotated[User, Depends(_current_user)]


def _admin(user: CurrentUser) -> User:
    if user.role != UserRole.ADMIN:
        raise Forbidden("Only admins can do this.")
    return user


AdminUser = Annotated[User, Depends(_admin)]


def actor_for(request: Request, user: User | None) -> Actor:
    return Actor(
        user_id=user.id if user else None,
        email=user.email if user else None,
        client_address=client_address(request),
        request_id=correlation_id.get(),
    )
