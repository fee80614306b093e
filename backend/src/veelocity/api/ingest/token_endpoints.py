"""Ingest tokens in Settings: `/api/v1/settings/ingest-tokens` (admins only)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.ingest.schemas import (
    IngestTokenCreated,
    IngestTokenList,
    IngestTokenOut,
    NewIngestToken,
)
from veelocity.audit import record_event
from veelocity.core.time import utcnow
from veelocity.ingest import tokens
from veelocity.models import IngestToken

router = APIRouter(
    prefix=f"{API_PREFIX}/settings/ingest-tokens",
    tags=["settings"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)


def _out(row: IngestToken, created_by: str | None) -> IngestTokenOut:
    now = utcnow()
    state = (
        "revoked"
        if row.revoked_at is not None
        else "expired"
        if row.expires_at is not None and row.expires_at <= now
        else "active"
    )
    return IngestTokenOut(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        status=state,
        created_at=row.created_at,
        created_by=created_by,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


@router.get("", summary="List ingest tokens (never the tokens themselves)")
def list_ingest_tokens(session: DbSession, _: AdminUser) -> IngestTokenList:
    return IngestTokenList(
        items=[_out(view.row, view.created_by_email) for view in tokens.list_tokens(session)]
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an ingest token (shown once)",
    description="The response is the only time the token is shown; only its SHA-256 digest "
    "is stored. The token opens the `/api/v1/ingest/*` routes and nothing else.",
    responses={422: {"model": ErrorResponse}},
)
def create_ingest_token(
    body: NewIngestToken, request: Request, session: DbSession, admin: AdminUser
) -> IngestTokenCreated:
    issued = tokens.create_token(
        session,
        name=body.name,
        created_by=admin.id,
        expires_in=timedelta(days=body.expires_in_days) if body.expires_in_days else None,
        now=utcnow(),
    )
    record_event(
        session,
        actor=actor_for(request, admin),
        action="ingest_token.created",
        target=issued.row.name,
        details={
            "id": issued.row.id,
            "prefix": issued.row.prefix,
            "expires_at": issued.row.expires_at.isoformat() if issued.row.expires_at else None,
        },
    )
    out = _out(issued.row, admin.email)
    return IngestTokenCreated(**out.model_dump(), token=issued.token)


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an ingest token",
    description="Requests with the token get 401 from then on. The token stays listed as "
    "revoked. Revoking it again changes nothing.",
    responses={404: {"model": ErrorResponse}},
)
def revoke_ingest_token(
    token_id: RowId, request: Request, session: DbSession, admin: AdminUser
) -> Response:
    row, revoked = tokens.revoke_token(session, token_id, now=utcnow())
    if revoked:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="ingest_token.revoked",
            target=row.name,
            details={"id": row.id, "prefix": row.prefix},
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
