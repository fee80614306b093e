"""Writing and reading audit events. Callers pass what changed; secrets are never passed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.core.time import utcnow
from veelocity.models import AuditEvent

#: The length of AuditEvent.target.
_TARGET_LENGTH = 200


@dataclass(frozen=True)
class Actor:
    """Who did it and from where. `user_id` is None for the CLI or an unknown account."""

    user_id: int | None
    email: str | None
    client_address: str | None
    request_id: str | None = None


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEvent]
    total: int
    page: int
    page_size: int


def record_event(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.user_id,
        actor_email=actor.email,
        action=action,
        client_address=actor.client_address,
        # An account name may be longer than the column (emails run to 320 characters).
        target=target[:_TARGET_LENGTH] if target is not None else None,
        details=details or {},
        request_id=actor.request_id,
    )
    session.add(event)
    return event


def list_events(
    session: Session, *, page: int, page_size: int, action: str | None = None
) -> AuditPage:
    query = select(AuditEvent)
    count = select(func.count()).select_from(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
        count = count.where(AuditEvent.action == action)
    rows = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return AuditPage(
        items=list(rows), total=session.scalar(count) or 0, page=page, page_size=page_size
    )
