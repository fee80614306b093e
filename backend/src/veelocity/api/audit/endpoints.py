"""Reading the audit log (admins only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.audit import list_events

router = APIRouter(
    prefix=f"{API_PREFIX}/audit",
    tags=["audit"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_email: str | None
    action: str
    client_address: str | None
    target: str | None
    details: dict[str, Any]
    request_id: str | None


class AuditPageOut(BaseModel):
    items: list[AuditEventOut]
    page: int
    page_size: int
    total: int


@router.get("", summary="Audit log, newest first")
def read_audit_log(
    session: DbSession,
    _: AdminUser,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    action: Annotated[str | None, Query(max_length=64, description="Only this action.")] = None,
) -> AuditPageOut:
    result = list_events(session, page=page, page_size=page_size, action=action)
    return AuditPageOut(
        items=[
            AuditEventOut(
                id=e.id,
                at=e.at,
                actor_id=e.actor_id,
                actor_email=e.actor_email,
                action=e.action,
                client_address=e.client_address,
                target=e.target,
                details=e.details,
                request_id=e.request_id,
            )
            for e in result.items
        ],
        page=result.page,
        page_size=result.page_size,
        total=result.total,
    )
