"""Listing issues with filters, sorting and keyset pagination (stable under inserts), like the
pull-request explorer."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased

from veelocity.core.errors import InvalidInput
from veelocity.metrics.issues.scope import IssueQuery, issue_scope
from veelocity.metrics.sql import is_postgres
from veelocity.models import (
    Issue,
    IssuePullRequestLink,
    LinearCycle,
    LinearIssue,
    LinearProject,
    LinearTeam,
    LinearUser,
    LinearWorkflowState,
)
from veelocity.prs.explorer import Order, encode_cursor

_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)


class IssueSortKey(StrEnum):
    UPDATED_AT = "updated_at"
    CREATED_AT = "created_at"
    COMPLETED_AT = "completed_at"
    LEAD_TIME = "lead_time"
    CYCLE_TIME = "cycle_time"


_SORT_COLUMNS: dict[IssueSortKey, Any] = {
    IssueSortKey.UPDATED_AT: LinearIssue.updated_at,
    IssueSortKey.CREATED_AT: LinearIssue.created_at,
    IssueSortKey.COMPLETED_AT: func.coalesce(LinearIssue.flow_completed_at, _FAR_PAST),
    IssueSortKey.LEAD_TIME: func.coalesce(LinearIssue.lead_seconds, -1),
    IssueSortKey.CYCLE_TIME: func.coalesce(LinearIssue.cycle_seconds, -1),
}
_DATETIME_KEYS = {IssueSortKey.UPDATED_AT, IssueSortKey.CREATED_AT, IssueSortKey.COMPLETED_AT}


@dataclass(frozen=True)
class IssueFilter:
    scope: IssueQuery
    created_from: datetime | None = None
    created_until: datetime | None = None
    completed_from: datetime | None = None
    completed_until: datetime | None = None
    updated_from: datetime | None = None
    updated_until: datetime | None = None
    state_types: frozenset[str] | None = None
    assignee_id: int | None = None
    label: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class IssueRow:
    issue: LinearIssue
    team_key: str
    state_name: str | None
    state_type: str | None
    project: str | None
    cycle_number: int | None
    assignee: str | None
    labels: list[str]
    linked_pull_requests: int


def _label_condition(session: Session, name: str) -> ColumnElement[bool]:
    """The issue carries a label of this name (the neutral issue row keeps label names)."""
    if is_postgres(session):
        return type_coerce(Issue.labels, JSONB()).contains([name])
    each = func.json_each(Issue.labels).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == name))


def issue_conditions(session: Session, f: IssueFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [issue_scope(session, f.scope)]
    for column, lower, upper in (
        (LinearIssue.created_at, f.created_from, f.created_until),
        (LinearIssue.flow_completed_at, f.completed_from, f.completed_until),
        (LinearIssue.updated_at, f.updated_from, f.updated_until),
    ):
        if lower is not None:
            conditions.append(column >= lower)
        if upper is not None:
            conditions.append(column < upper)
    if f.state_types:
        states = select(LinearWorkflowState.id).where(LinearWorkflowState.type.in_(f.state_types))
        conditions.append(LinearIssue.state_id.in_(states))
    if f.assignee_id is not None:
        conditions.append(LinearIssue.assignee_id == f.assignee_id)
    if f.label:
        conditions.append(
            LinearIssue.issue_id.in_(
                select(Issue.id).where(_label_condition(session, f.label)).scalar_subquery()
            )
        )
    if f.search:
        pattern = f"%{f.search.lower()}%"
        conditions.append(
            or_(
                func.lower(LinearIssue.title).like(pattern),
                func.lower(LinearIssue.identifier) == f.search.lower(),
            )
        )
    return conditions


def issue_rows_query(session: Session, f: IssueFilter) -> Select[Any]:
    assignee = aliased(LinearUser)
    links = (
        select(func.count())
        .where(IssuePullRequestLink.linear_issue_id == LinearIssue.id)
        .correlate(LinearIssue)
        .scalar_subquery()
    )
    return (
        select(
            LinearIssue,
            LinearTeam.key,
            LinearWorkflowState.name,
            LinearWorkflowState.type,
            LinearProject.name,
            LinearCycle.number,
            func.coalesce(assignee.display_name, assignee.name),
            Issue.labels,
            links,
        )
        .join(LinearTeam, LinearTeam.id == LinearIssue.team_id)
        .join(Issue, Issue.id == LinearIssue.issue_id)
        .outerjoin(LinearWorkflowState, LinearWorkflowState.id == LinearIssue.state_id)
        .outerjoin(LinearProject, LinearProject.id == LinearIssue.project_id)
        .outerjoin(LinearCycle, LinearCycle.id == LinearIssue.cycle_id)
        .outerjoin(assignee, assignee.id == LinearIssue.assignee_id)
        .where(*issue_conditions(session, f))
    )


def to_row(row: Any) -> IssueRow:
    issue, key, state_name, state_type, project, cycle, assignee, labels, links = row
    return IssueRow(
        issue, key, state_name, state_type, project, cycle, assignee, list(labels or []), int(links)
    )


def _decode_cursor(cursor: str, sort: IssueSortKey) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if sort in _DATETIME_KEYS:
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
        elif not isinstance(value, int | float):
            raise TypeError
        return value, int(row_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidInput("cursor: not a cursor from this list; start again without it.") from None


def _sort_value(issue: LinearIssue, sort: IssueSortKey) -> Any:
    return {
        IssueSortKey.UPDATED_AT: issue.updated_at,
        IssueSortKey.CREATED_AT: issue.created_at,
        IssueSortKey.COMPLETED_AT: issue.flow_completed_at or _FAR_PAST,
        IssueSortKey.LEAD_TIME: issue.lead_seconds if issue.lead_seconds is not None else -1,
        IssueSortKey.CYCLE_TIME: issue.cycle_seconds if issue.cycle_seconds is not None else -1,
    }[sort]


def list_issues(
    session: Session,
    f: IssueFilter,
    *,
    sort: IssueSortKey,
    order: Order,
    page_size: int,
    cursor: str | None,
) -> tuple[list[IssueRow], str | None]:
    column = _SORT_COLUMNS[sort]
    query = issue_rows_query(session, f)
    if cursor:
        value, row_id = _decode_cursor(cursor, sort)
        if order is Order.DESC:
            query = query.where(or_(column < value, and_(column == value, LinearIssue.id < row_id)))
        else:
            query = query.where(or_(column > value, and_(column == value, LinearIssue.id > row_id)))
    direction = (
        (column.desc(), LinearIssue.id.desc())
        if order is Order.DESC
        else (column.asc(), LinearIssue.id.asc())
    )
    rows = session.execute(query.order_by(*direction).limit(page_size + 1)).all()
    items = [to_row(row) for row in rows[:page_size]]
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1].issue
        next_cursor = encode_cursor(_sort_value(last, sort), last.id)
    return items, next_cursor
