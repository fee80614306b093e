"""AI-assisted development: Cursor members, their daily usage and spend, the AI lines of
commits (Cursor's AI code tracking), Greptile's repositories and reviews, and what derive
concludes for each pull request and deployment.

People are Cursor members by e-mail; each is matched to a developer by e-mail, or chosen in
People (`developer_chosen`), as Linear users are.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument

_ID = BigInteger().with_variant(Integer, "sqlite")


class CursorMember(Base):
    __tablename__ = "cursor_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: owner | member | free-owner
    role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: Cursor's numeric member id, when the API gives it
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    is_removed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    developer_id: Mapped[int | None] = mapped_column(
        ForeignKey("developer.id", ondelete="SET NULL"), nullable=True, index=True
    )
    developer_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CursorDailyUsage(Base):
    """One member's usage on one day (UTC), as Cursor aggregates it; a day read again
    replaces what was stored (Cursor corrects recent days)."""

    __tablename__ = "cursor_daily_usage"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("cursor_member.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    total_lines_added: Mapped[int] = mapped_column(Integer, default=0)
    total_lines_deleted: Mapped[int] = mapped_column(Integer, default=0)
    accepted_lines_added: Mapped[int] = mapped_column(Integer, default=0)
    accepted_lines_deleted: Mapped[int] = mapped_column(Integer, default=0)
    total_applies: Mapped[int] = mapped_column(Integer, default=0)
    total_accepts: Mapped[int] = mapped_column(Integer, default=0)
    total_rejects: Mapped[int] = mapped_column(Integer, default=0)
    tabs_shown: Mapped[int] = mapped_column(Integer, default=0)
    tabs_accepted: Mapped[int] = mapped_column(Integer, default=0)
    composer_requests: Mapped[int] = mapped_column(Integer, default=0)
    chat_requests: Mapped[int] = mapped_column(Integer, default=0)
    agent_requests: Mapped[int] = mapped_column(Integer, default=0)
    cmdk_usages: Mapped[int] = mapped_column(Integer, default=0)
    bugbot_usages: Mapped[int] = mapped_column(Integer, default=0)
    usage_based_requests: Mapped[int] = mapped_column(Integer, default=0)
    most_used_model: Mapped[str | None] = mapped_column(String(100), nullable=True)


class CursorSpend(Base):
    """A member's spend in one billing cycle (a snapshot, refreshed while the cycle runs)."""

    __tablename__ = "cursor_spend"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("cursor_member.id", ondelete="CASCADE"), primary_key=True
    )
    cycle_start: Mapped[date] = mapped_column(Date, primary_key=True)
    spend_cents: Mapped[int] = mapped_column(Integer, default=0)
    fast_premium_requests: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AiCommit(Base):
    """A commit with the lines an AI tool wrote in it (Cursor's AI code tracking)."""

    __tablename__ = "ai_commit"
    __table_args__ = (
        UniqueConstraint("source", "sha"),
        Index("ix_ai_commit_sha", "sha"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    #: cursor
    source: Mapped[str] = mapped_column(String(32))
    sha: Mapped[str] = mapped_column(String(64))
    user_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    repository_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    branch_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    is_primary_branch: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    total_lines_added: Mapped[int] = mapped_column(Integer, default=0)
    total_lines_deleted: Mapped[int] = mapped_column(Integer, default=0)
    #: lines added by an AI tool (tab completions and the composer/agent)
    ai_lines_added: Mapped[int] = mapped_column(Integer, default=0)
    ai_lines_deleted: Mapped[int] = mapped_column(Integer, default=0)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class GreptileRepository(Base):
    __tablename__ = "greptile_repository"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Greptile's id, "github:main:owner/repo"
    external_id: Mapped[str] = mapped_column(String(400), unique=True)
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("repository.id", ondelete="SET NULL"), nullable=True, index=True
    )
    branch: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: submitted | cloning | processing | completed | failed (as Greptile says)
    status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    files_processed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    num_files: Mapped[int | None] = mapped_column(Integer, nullable=True)
    indexed_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GreptileReview(Base):
    """A code review Greptile ran on a pull request."""

    __tablename__ = "greptile_review"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    repository_name: Mapped[str] = mapped_column(String(300))
    pull_request_number: Mapped[int] = mapped_column(Integer)
    #: PENDING | REVIEWING_FILES | GENERATING_SUMMARY | COMPLETED | FAILED | SKIPPED
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    comments: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PullRequestAi(Base):
    """Derived: what AI did for a pull request, with the evidence (docs/ai-impact.md)."""

    __tablename__ = "pull_request_ai"
    __table_args__ = (Index("ix_pull_request_ai_assisted", "assisted"),)

    pull_request_id: Mapped[int] = mapped_column(
        ForeignKey("pull_request.id", ondelete="CASCADE"), primary_key=True
    )
    #: high | low | none
    assisted: Mapped[str] = mapped_column(String(8))
    #: [{"kind": "ai_share", "detail": "62 % of added lines"}, {"kind": "trailer", ...}]
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument, default=list)
    #: AI-added lines ÷ added lines over the PR's commits, where known
    ai_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    ai_lines_added: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the bot that reviewed first, and when; and whether that was before the merge
    review_bot: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_before_merge: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class DeploymentAi(Base):
    """Derived: the AI share of the lines a deployment shipped, where known."""

    __tablename__ = "deployment_ai"

    deployment_id: Mapped[int] = mapped_column(
        ForeignKey("deployment.id", ondelete="CASCADE"), primary_key=True
    )
    ai_share: Mapped[float | None] = mapped_column(Float, nullable=True)
    lines_added: Mapped[int] = mapped_column(Integer, default=0)
    ai_lines_added: Mapped[int] = mapped_column(Integer, default=0)
    #: PRs shipped whose AI share is known, of all PRs shipped
    prs_known: Mapped[int] = mapped_column(Integer, default=0)
    prs: Mapped[int] = mapped_column(Integer, default=0)


class CommitTrailer(Base):
    """AI-relevant trailers of a pull request's commits (`Co-authored-by:`, `Made-with:`),
    kept instead of the whole message."""

    __tablename__ = "commit_trailer"

    pull_request_id: Mapped[int] = mapped_column(
        ForeignKey("pull_request.id", ondelete="CASCADE"), primary_key=True
    )
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: co-authored-by | made-with
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)
