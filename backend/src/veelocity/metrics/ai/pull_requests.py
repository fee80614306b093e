"""The merged pull requests behind an AI figure, with their AI facts, keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from veelocity.metrics.development import in_window
from veelocity.metrics.query import MetricQuery, resolve_scope
from veelocity.models import Deployment, PullRequest, PullRequestAi, Repository
from veelocity.prs.explorer import SortKey, decode_cursor, encode_cursor


class Assisted(StrEnum):
    HIGH = "high"
    LOW = "low"
    NONE = "none"
    #: high or low: the AI-assisted cohort
    ANY = "any"


@dataclass(frozen=True)
class AiPrFilter:
    assisted: Assisted | None = None
    reviewed: bool | None = None
    #: only PRs shipped in a failed or rework production deployment (True), or in a sound
    #: one (False)
    failed_or_rework: bool | None = None


def ai_pull_request_page(
    session: Session,
    query: MetricQuery,
    wanted: AiPrFilter,
    *,
    page_size: int,
    cursor: str | None,
) -> tuple[list[tuple[PullRequest, str, PullRequestAi | None]], str | None]:
    """Newest merge first; the cursor is the last row's merge time and id."""
    scope = resolve_scope(session, query)
    statement = (
        select(PullRequest, Repository.full_name, PullRequestAi)
        .join(Repository, Repository.id == PullRequest.repository_id)
        .outerjoin(PullRequestAi, PullRequestAi.pull_request_id == PullRequest.id)
        .where(*in_window(PullRequest.merged_at, scope, query.start, query.end))
    )
    assisted = PullRequestAi.assisted
    if wanted.assisted is Assisted.ANY:
        statement = statement.where(assisted.in_(("high", "low")))
    elif wanted.assisted is Assisted.NONE:
        statement = statement.where(or_(assisted.is_(None), assisted == "none"))
    elif wanted.assisted is not None:
        statement = statement.where(assisted == wanted.assisted.value)
    if wanted.reviewed is True:
        statement = statement.where(PullRequestAi.reviewed.is_(True))
    elif wanted.reviewed is False:
        statement = statement.where(
            or_(PullRequestAi.reviewed.is_(None), PullRequestAi.reviewed.is_(False))
        )
    if wanted.failed_or_rework is not None:
        bad = or_(Deployment.is_failed.is_(True), Deployment.is_rework.is_(True))
        shipped = select(Deployment.id).where(Deployment.is_production.is_(True))
        shipped = shipped.where(bad if wanted.failed_or_rework else ~bad)
        statement = statement.where(PullRequest.deployment_id.in_(shipped))
    if cursor:
        merged_at, row_id = decode_cursor(cursor, SortKey.MERGED_AT)
        statement = statement.where(
            or_(
                PullRequest.merged_at < merged_at,
                and_(PullRequest.merged_at == merged_at, PullRequest.id < row_id),
            )
        )
    rows = session.execute(
        statement.order_by(PullRequest.merged_at.desc(), PullRequest.id.desc()).limit(page_size + 1)
    ).all()
    items: list[tuple[PullRequest, str, PullRequestAi | None]] = [
        (pr, name, ai) for pr, name, ai in rows[:page_size]
    ]
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1][0]
        merged: datetime | None = last.merged_at
        next_cursor = encode_cursor(merged, last.id)
    return items, next_cursor
