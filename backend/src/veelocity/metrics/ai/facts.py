"""The plain facts AI figures are computed from, loaded once per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.metrics.development import in_window
from veelocity.metrics.dora import production_conditions
from veelocity.metrics.query import Scope
from veelocity.models import (
    CursorDailyUsage,
    CursorMember,
    CursorSpend,
    Deployment,
    DeploymentAi,
    Developer,
    PullRequest,
    PullRequestAi,
)


@dataclass(frozen=True)
class MergedPr:
    id: int
    author: str | None
    merged_at: datetime
    assisted: str
    reviewed: bool
    ai_share: float | None
    additions: int | None
    pickup_seconds: int | None
    review_seconds: int | None
    cycle_seconds: int | None
    size: int | None
    #: None when not shipped by a production deployment; else whether it failed or was rework
    shipped_badly: bool | None


@dataclass(frozen=True)
class Usage:
    login: str
    day: date
    is_active: bool
    accepted_lines: int


@dataclass(frozen=True)
class ShippedDeployment:
    id: int
    finished_at: datetime
    is_failed: bool
    ai_share: float | None


def merged_prs(session: Session, scope: Scope, start: datetime, end: datetime) -> list[MergedPr]:
    rows = session.execute(
        select(
            PullRequest.id,
            PullRequest.author_login,
            PullRequest.merged_at,
            PullRequestAi.assisted,
            PullRequestAi.reviewed,
            PullRequestAi.ai_share,
            PullRequest.additions,
            PullRequest.pickup_seconds,
            PullRequest.review_seconds,
            PullRequest.cycle_seconds,
            PullRequest.size,
            Deployment.is_failed,
            Deployment.is_rework,
            Deployment.is_production,
        )
        .outerjoin(PullRequestAi, PullRequestAi.pull_request_id == PullRequest.id)
        .outerjoin(Deployment, Deployment.id == PullRequest.deployment_id)
        .where(*in_window(PullRequest.merged_at, scope, start, end))
        .order_by(PullRequest.merged_at, PullRequest.id)
    )
    return [
        MergedPr(
            id=r.id,
            author=r.author_login,
            merged_at=r.merged_at,
            assisted=r.assisted or "none",
            reviewed=bool(r.reviewed),
            ai_share=r.ai_share,
            additions=r.additions,
            pickup_seconds=r.pickup_seconds,
            review_seconds=r.review_seconds,
            cycle_seconds=r.cycle_seconds,
            size=r.size,
            shipped_badly=(bool(r.is_failed or r.is_rework) if r.is_production else None),
        )
        for r in rows
    ]


def usage_of(
    session: Session, logins: frozenset[str] | None, start: date, end: date
) -> list[Usage]:
    """Cursor usage of days in [start, end) by members matched to these developers (all
    matched members when None)."""
    query = (
        select(
            Developer.login,
            CursorDailyUsage.day,
            CursorDailyUsage.is_active,
            CursorDailyUsage.accepted_lines_added,
        )
        .join(CursorMember, CursorMember.developer_id == Developer.id)
        .join(CursorDailyUsage, CursorDailyUsage.member_id == CursorMember.id)
        .where(CursorDailyUsage.day >= start, CursorDailyUsage.day < end)
    )
    if logins is not None:
        query = query.where(Developer.login.in_(sorted(logins)))
    return [
        Usage(login, day, bool(active), lines or 0)
        for login, day, active, lines in session.execute(query)
    ]


def spend_cents(session: Session, logins: frozenset[str] | None, start: date, end: date) -> int:
    query = (
        select(CursorSpend.spend_cents)
        .join(CursorMember, CursorMember.id == CursorSpend.member_id)
        .join(Developer, Developer.id == CursorMember.developer_id)
        .where(CursorSpend.cycle_start >= start, CursorSpend.cycle_start < end)
    )
    if logins is not None:
        query = query.where(Developer.login.in_(sorted(logins)))
    return sum(session.scalars(query))


def matched_logins(session: Session) -> frozenset[str]:
    """Developers matched to a Cursor member."""
    return frozenset(
        session.scalars(
            select(Developer.login).join(CursorMember, CursorMember.developer_id == Developer.id)
        )
    )


def production_deployments(
    session: Session, scope: Scope, start: datetime, end: datetime
) -> list[ShippedDeployment]:
    rows = session.execute(
        select(Deployment.id, Deployment.finished_at, Deployment.is_failed, DeploymentAi.ai_share)
        .outerjoin(DeploymentAi, DeploymentAi.deployment_id == Deployment.id)
        .where(*production_conditions(scope, start, end), Deployment.status == "success")
        .order_by(Deployment.finished_at, Deployment.id)
    )
    return [ShippedDeployment(i, f, bool(failed), share) for i, f, failed, share in rows]
