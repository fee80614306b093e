"""The ingest routes' own authentication: an ingest token, never a user's access token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from veelocity.api.deps import Context
from veelocity.core.errors import NotAuthenticated
from veelocity.core.time import utcnow
from veelocity.ingest.tokens import TOKEN_PREFIX, authenticate_token

_ingest_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="IngestToken",
    description=f"An ingest token ({TOKEN_PREFIX}…) that an admin created in Settings.",
)


@dataclass(frozen=True)
class IngestCaller:
    token_id: int
    token_name: str


def _ingest_caller(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_ingest_bearer)],
) -> IngestCaller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated(
            f"Send an ingest token ({TOKEN_PREFIX}…) in the Authorization header.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Its own short transaction: the last use is recorded even when the batch is then
    # refused, and it ends before the request's unit of work starts (one writer at a time
    # on SQLite).
    with context.session_factory.begin() as session:
        token = authenticate_token(session, credentials.credentials, now=utcnow())
        return IngestCaller(token_id=token.id, token_name=token.name)


IngestTokenAuth = Annotated[IngestCaller, Depends(_ingest_caller)]
