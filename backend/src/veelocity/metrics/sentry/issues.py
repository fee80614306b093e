"""Sentry issues filtered and keyset-paged (newest last seen first), and one issue's detail."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput, NotFound
from veelocity.derive.sentry_incidents import (
    SENTRY_SOURCE,
    issue_external_id,
    resolving_deployment,
)
from veelocity.models import Incident, SentryIssue, SentryProject, SentryRelease


@dataclass(frozen=True)
class SentryIssueFilter:
    project_ids: frozenset[int] | None = None
    levels: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    is_incident: bool | None = None
    #: issues seen (first to last) in [start, end)
    start: datetime | None = None
    end: datetime | None = None
    #: issues of projects mapped to these repositories
    repository_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class SentryIssueRow:
    issue: SentryIssue
    project_slug: str
    first_release_deployment_id: int | None


@dataclass(frozen=True)
class SentryIssueDetail:
    row: SentryIssueRow
    incidents: list[Incident]
    resolved_by_deployment_id: int | None
    resolved_by: str | None


def _encode(last_seen: datetime, row_id: int) -> str:
    raw = json.dumps([last_seen.isoformat(), row_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        at = datetime.fromisoformat(value)
        return (at if at.tzinfo else at.replace(tzinfo=UTC)), int(row_id)
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("cursor: not a cursor from this list; start again without it.") from None


def _base() -> Any:
    return (
        select(SentryIssue, SentryProject.slug, SentryRelease.deployment_id)
        .join(SentryProject, SentryProject.id == SentryIssue.project_id)
        .outerjoin(SentryRelease, SentryRelease.version == SentryIssue.first_release_version)
    )


def _filtered(query: Select[Any], filters: SentryIssueFilter) -> Select[Any]:
    if filters.project_ids is not None:
        query = query.where(SentryIssue.project_id.in_(sorted(filters.project_ids)))
    if filters.repository_ids is not None:
        query = query.where(SentryProject.repository_id.in_(sorted(filters.repository_ids)))
    if filters.levels is not None:
        query = query.where(SentryIssue.level.in_(sorted(filters.levels)))
    if filters.statuses is not None:
        query = query.where(SentryIssue.status.in_(sorted(filters.statuses)))
    if filters.is_incident is not None:
        query = query.where(SentryIssue.is_incident.is_(filters.is_incident))
    if filters.start is not None:
        query = query.where(SentryIssue.last_seen >= filters.start)
    if filters.end is not None:
        query = query.where(SentryIssue.first_seen < filters.end)
    return query


def list_sentry_issues(
    session: Session, filters: SentryIssueFilter, *, page_size: int, cursor: str | None
) -> tuple[list[SentryIssueRow], str | None]:
    query = _filtered(_base(), filters)
    if cursor:
        last_seen, row_id = _decode(cursor)
        query = query.where(
            or_(
                SentryIssue.last_seen < last_seen,
                and_(SentryIssue.last_seen == last_seen, SentryIssue.id < row_id),
            )
        )
    rows = session.execute(
        query.order_by(SentryIssue.last_seen.desc(), SentryIssue.id.desc()).limit(page_size + 1)
    ).all()
    items = [SentryIssueRow(issue, slug, deployment_id) for issue, slug, deployment_id in rows]
    next_cursor = None
    if len(items) > page_size:
        items = items[:page_size]
        last = items[-1].issue
        next_cursor = _encode(last.last_seen, last.id)
    return items, next_cursor


def sentry_issue_rows(session: Session, issue_ids: list[int]) -> list[SentryIssueRow]:
    """These issues (in the list's order)."""
    if not issue_ids:
        return []
    rows = session.execute(
        _base()
        .where(SentryIssue.id.in_(issue_ids))
        .order_by(SentryIssue.last_seen.desc(), SentryIssue.id.desc())
    ).all()
    return [SentryIssueRow(issue, slug, deployment_id) for issue, slug, deployment_id in rows]


def sentry_incidents_of(session: Session, external_id: str) -> list[Incident]:
    """The incidents an issue opened: its first appearance and regressions that crossed."""
    candidates = session.scalars(
        select(Incident)
        .where(
            Incident.source == SENTRY_SOURCE,
            or_(Incident.external_id == external_id, Incident.external_id.like(external_id + ":%")),
        )
        .order_by(Incident.started_at, Incident.id)
    ).all()
    return [i for i in candidates if issue_external_id(i.external_id) == external_id]


def sentry_issue_detail(session: Session, issue_id: int) -> SentryIssueDetail:
    rows = sentry_issue_rows(session, [issue_id])
    if not rows:
        raise NotFound("No Sentry issue with this id.")
    issue = rows[0].issue
    shipped = resolving_deployment(session, issue) if issue.status == "resolved" else None
    return SentryIssueDetail(
        row=rows[0],
        incidents=sentry_incidents_of(session, issue.external_id),
        resolved_by_deployment_id=shipped[0].id if shipped else None,
        resolved_by=shipped[1] if shipped else None,
    )
