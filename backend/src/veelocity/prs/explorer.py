"""Listing pull requests with filters, sorting and keyset pagination (stable under inserts)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput, NotFound
from veelocity.metrics.compute.periods import Period, next_period, period_start
from veelocity.metrics.query import Scope
from veelocity.models import (
    Deployment,
    Incident,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


class SortKey(StrEnum):
    UPDATED_AT = "updated_at"
    CREATED_AT = "created_at"
    MERGED_AT = "merged_at"
    CYCLE_TIME = "cycle_time"
    SIZE = "size"


class Order(StrEnum):
    ASC = "asc"
    DESC = "desc"


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.UPDATED_AT: PullRequest.updated_at,
    SortKey.CREATED_AT: PullRequest.created_at,
    SortKey.MERGED_AT: func.coalesce(PullRequest.merged_at, _FAR_PAST),
    SortKey.CYCLE_TIME: func.coalesce(PullRequest.cycle_seconds, -1),
    SortKey.SIZE: func.coalesce(PullRequest.size, -1),
}
_DATETIME_KEYS = {SortKey.UPDATED_AT, SortKey.CREATED_AT, SortKey.MERGED_AT}


@dataclass(frozen=True)
class PrFilter:
    repository_ids: tuple[int, ...] = ()
    authors: frozenset[str] | None = None
    state: str | None = None
    search: str | None = None
    stale_only: bool = False
    merged_from: datetime | None = None
    merged_until: datetime | None = None
    include_bots: bool = True
    #: A team's scope (its members' PRs, or its repositories' for a team without members).
    team: Scope | None = None
    deployed_from: datetime | None = None
    deployed_until: datetime | None = None
    #: PRs shipped by this deployment.
    deployment_id: int | None = None
    #: PRs open at some time in [active_from, active_until): opened before its end, and not
    #: merged or closed before its start. The PR list's window.
    active_from: datetime | None = None
    active_until: datetime | None = None


class PeriodBy(StrEnum):
    MERGED = "merged"
    DEPLOYED = "deployed"


def _cut(
    lower: datetime | None, upper: datetime | None, start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    start = max(start, lower) if lower is not None else start
    end = min(end, upper) if upper is not None else end
    if end <= start:
        raise InvalidInput("period_start: that period is outside the merged or deployed range.")
    return start, end


def in_period(f: PrFilter, first_day: date, period: Period, by: PeriodBy) -> PrFilter:
    """PRs merged (or deployed) in one period of a series, inside the range already asked for:
    what a throughput or flow chart point (or a lead-time point, by deployment) counts."""
    if period_start(first_day, period) != first_day:
        first = {Period.WEEK: "a Monday", Period.MONTH: "the first of a month"}
        raise InvalidInput(
            f"period_start must be the first day of a {period.value} "
            f"({first.get(period, 'any day')})."
        )
    start = datetime.combine(first_day, time.min, tzinfo=UTC)
    end = datetime.combine(next_period(first_day, period), time.min, tzinfo=UTC)
    if by is PeriodBy.MERGED:
        merged_from, merged_until = _cut(f.merged_from, f.merged_until, start, end)
        return replace(f, merged_from=merged_from, merged_until=merged_until)
    deployed_from, deployed_until = _cut(f.deployed_from, f.deployed_until, start, end)
    return replace(f, deployed_from=deployed_from, deployed_until=deployed_until)


def encode_cursor(value: Any, row_id: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, row_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: SortKey) -> tuple[Any, int]:
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


def stale_cutoff(now: datetime, stale_days: int) -> datetime:
    return now - timedelta(days=stale_days)


def filtered(query: SelectT, f: PrFilter, *, now: datetime, stale_days: int) -> SelectT:
    if f.repository_ids:
        query = query.where(PullRequest.repository_id.in_(f.repository_ids))
    if f.authors is not None:
        query = query.where(PullRequest.author_login.in_(f.authors))
    if f.state:
        query = query.where(PullRequest.state == f.state)
    if f.search:
        pattern = f"%{f.search.lower()}%"
        number = int(f.search.lstrip("#")) if f.search.lstrip("#").isdigit() else None
        conditions: list[ColumnElement[bool]] = [
            func.lower(PullRequest.title).like(pattern),
            func.lower(PullRequest.head_branch).like(pattern),
        ]
        if number is not None:
            conditions.append(PullRequest.number == number)
        query = query.where(or_(*conditions))
    if f.stale_only:
        query = query.where(
            PullRequest.state == "open", PullRequest.updated_at < stale_cutoff(now, stale_days)
        )
    if f.active_until is not None:
        query = query.where(PullRequest.created_at < f.active_until)
    if f.active_from is not None:
        ended_at = func.coalesce(PullRequest.merged_at, PullRequest.closed_at)
        query = query.where(or_(ended_at.is_(None), ended_at >= f.active_from))
    if f.merged_from is not None:
        query = query.where(PullRequest.merged_at >= f.merged_from)
    if f.merged_until is not None:
        query = query.where(PullRequest.merged_at < f.merged_until)
    if not f.include_bots:
        query = query.where(PullRequest.is_bot_author.is_(False))
    if f.team is not None:
        query = query.where(f.team.pull_requests())
    if f.deployed_from is not None:
        query = query.where(PullRequest.deployed_at >= f.deployed_from)
    if f.deployed_until is not None:
        query = query.where(PullRequest.deployed_at < f.deployed_until)
    if f.deployment_id is not None:
        query = query.where(PullRequest.deployment_id == f.deployment_id)
    return query


def list_page(
    session: Session,
    f: PrFilter,
    *,
    sort: SortKey,
    order: Order,
    page_size: int,
    cursor: str | None,
    now: datetime,
    stale_days: int,
) -> tuple[list[tuple[PullRequest, str]], str | None]:
    column = _SORT_COLUMNS[sort]
    query = filtered(
        select(PullRequest, Repository.full_name).join(
            Repository, Repository.id == PullRequest.repository_id
        ),
        f,
        now=now,
        stale_days=stale_days,
    )
    if cursor:
        value, row_id = decode_cursor(cursor, sort)
        if order is Order.DESC:
            query = query.where(or_(column < value, and_(column == value, PullRequest.id < row_id)))
        else:
            query = query.where(or_(column > value, and_(column == value, PullRequest.id > row_id)))
    direction = (
        (column.desc(), PullRequest.id.desc())
        if order is Order.DESC
        else (column.asc(), PullRequest.id.asc())
    )
    rows = session.execute(query.order_by(*direction).limit(page_size + 1)).all()
    items = [(row[0], row[1]) for row in rows[:page_size]]
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1][0]
        key = {
            SortKey.UPDATED_AT: last.updated_at,
            SortKey.CREATED_AT: last.created_at,
            SortKey.MERGED_AT: last.merged_at or _FAR_PAST,
            SortKey.CYCLE_TIME: last.cycle_seconds if last.cycle_seconds is not None else -1,
            SortKey.SIZE: last.size if last.size is not None else -1,
        }[sort]
        next_cursor = encode_cursor(key, last.id)
    return items, next_cursor


@dataclass(frozen=True)
class PrDetail:
    pull_request: PullRequest
    repository: str
    commits: list[PullRequestCommit]
    events: list[PullRequestEvent]
    deployment: Deployment | None
    incidents: list[Incident]


def pull_request_detail(session: Session, pr_id: int) -> PrDetail:
    row = session.execute(
        select(PullRequest, Repository.full_name)
        .join(Repository, Repository.id == PullRequest.repository_id)
        .where(PullRequest.id == pr_id)
    ).first()
    if row is None:
        raise NotFound("No such pull request.")
    pr, repository = row
    commits = list(
        session.scalars(
            select(PullRequestCommit)
            .where(PullRequestCommit.pull_request_id == pr_id)
            .order_by(PullRequestCommit.authored_at)
        )
    )
    events = list(
        session.scalars(
            select(PullRequestEvent)
            .where(PullRequestEvent.pull_request_id == pr_id)
            .order_by(PullRequestEvent.at, PullRequestEvent.id)
        )
    )
    deployment = session.get(Deployment, pr.deployment_id) if pr.deployment_id else None
    incidents = (
        list(
            session.scalars(
                select(Incident)
                .where(Incident.attributed_deployment_id == deployment.id)
                .order_by(Incident.started_at)
            )
        )
        if deployment
        else []
    )
    return PrDetail(pr, repository, commits, events, deployment, incidents)
