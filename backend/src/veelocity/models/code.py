"""Repositories, commits with their parents, pull requests and their events.

Raw columns come from sync or ingest; the columns under "derived" are written only by
`veelocity.derive` so that metric queries are plain indexed aggregates.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument


class Repository(Base):
    __tablename__ = "repository"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300), unique=True)
    default_branch: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Commit(Base):
    """A commit of a repository's history, with its parents: the commit graph."""

    __tablename__ = "git_commit"
    __table_args__ = (UniqueConstraint("repository_id", "sha"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("repository.id", ondelete="CASCADE"))
    sha: Mapped[str] = mapped_column(String(64))
    authored_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Parent shas, in order (merge commits have two or more).
    parents: Mapped[list[str]] = mapped_column(JSONDocument, default=list)


class PullRequest(Base):
    __tablename__ = "pull_request"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_pull_request_repository_id_merged_at", "repository_id", "merged_at"),
        Index("ix_pull_request_merged_at", "merged_at"),
        Index("ix_pull_request_merge_commit_sha", "merge_commit_sha"),
        Index("ix_pull_request_deployment_id", "deployment_id"),
        # Covers change lead time over a window (and per repository or author) from the index.
        Index(
            "ix_pull_request_deployed_at_lead_time",
            "deployed_at",
            "lead_time_seconds",
            "repository_id",
            "author_login",
        ),
        Index("ix_pull_request_author_login", "author_login"),
        Index("ix_pull_request_updated_at_id", "updated_at", "id"),
        # Finding the PR a revert reverts, by its number.
        Index("ix_pull_request_repository_id_number", "repository_id", "number"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(200))
    repository_id: Mapped[int] = mapped_column(ForeignKey("repository.id", ondelete="CASCADE"))
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    author_login: Mapped[str | None] = mapped_column(String(200), nullable=True)
    head_branch: Mapped[str | None] = mapped_column(String(300), nullable=True)
    state: Mapped[str] = mapped_column(String(16))  # open | closed | merged
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    merge_commit_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    additions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    deletions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    labels: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    #: Issue identifiers the PR's description mentions ("ENG-123"), found when it is stored:
    #: the body itself is not kept. Derive keeps those of known Linear teams.
    body_references: Mapped[list[str]] = mapped_column(
        JSONDocument, default=list, server_default="[]"
    )
    #: True once the PR's changed files are stored (`pull_request_file`): its size can then
    #: leave out the files that `PR_SIZE_EXCLUDE` names.
    files_known: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # --- derived --------------------------------------------------------------------------
    first_commit_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deployment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    coding_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    pickup_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    review_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    deploy_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    merge_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cycle_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    lead_time_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    is_revert: Mapped[bool] = mapped_column(Boolean, default=False)
    is_hotfix: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot_author: Mapped[bool] = mapped_column(Boolean, default=False)


class PullRequestCommit(Base):
    __tablename__ = "pull_request_commit"
    __table_args__ = (UniqueConstraint("pull_request_id", "sha"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    pull_request_id: Mapped[int] = mapped_column(ForeignKey("pull_request.id", ondelete="CASCADE"))
    sha: Mapped[str] = mapped_column(String(64))
    authored_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PullRequestEvent(Base):
    """Reviews, review comments, comments and timeline events of a pull request."""

    __tablename__ = "pull_request_event"
    __table_args__ = (
        UniqueConstraint("pull_request_id", "kind", "actor_login", "at"),
        Index("ix_pull_request_event_actor_login_at", "actor_login", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    pull_request_id: Mapped[int] = mapped_column(ForeignKey("pull_request.id", ondelete="CASCADE"))
    #: review | review_comment | comment | ready_for_review | review_requested
    kind: Mapped[str] = mapped_column(String(32))
    actor_login: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: For reviews: APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED
    state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: For review_requested: the requested reviewer.
    subject_login: Mapped[str | None] = mapped_column(String(200), nullable=True)


class PullRequestFile(Base):
    """A file a pull request changes, with its line counts (for PR-size exclusions)."""

    __tablename__ = "pull_request_file"

    pull_request_id: Mapped[int] = mapped_column(
        ForeignKey("pull_request.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    additions: Mapped[int] = mapped_column(Integer, default=0)
    deletions: Mapped[int] = mapped_column(Integer, default=0)
