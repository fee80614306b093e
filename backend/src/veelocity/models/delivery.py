"""Deployments and the commits they ship, incidents and their attribution."""

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

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument


class Deployment(Base):
    __tablename__ = "deployment"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_deployment_finished_at", "finished_at"),
        Index("ix_deployment_repository_id_finished_at", "repository_id", "finished_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(200))
    repository_id: Mapped[int] = mapped_column(ForeignKey("repository.id", ondelete="CASCADE"))
    environment: Mapped[str] = mapped_column(String(200))
    #: success | failure
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    commit_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: True when the sender listed the shipped commits itself.
    has_commit_list: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)

    # --- derived --------------------------------------------------------------------------
    is_production: Mapped[bool] = mapped_column(Boolean, default=False)
    is_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    is_rework: Mapped[bool] = mapped_column(Boolean, default=False)
    rework_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    recovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recovery_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    previous_deployment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class DeploymentListedCommit(Base):
    """Commits an ingested deployment says it ships (used instead of the commit graph)."""

    __tablename__ = "deployment_listed_commit"

    deployment_id: Mapped[int] = mapped_column(
        ForeignKey("deployment.id", ondelete="CASCADE"), primary_key=True
    )
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)


class DeploymentCommit(Base):
    """Derived: the commits a successful production deployment shipped."""

    __tablename__ = "deployment_commit"
    __table_args__ = (Index("ix_deployment_commit_repository_id_sha", "repository_id", "sha"),)

    deployment_id: Mapped[int] = mapped_column(
        ForeignKey("deployment.id", ondelete="CASCADE"), primary_key=True
    )
    sha: Mapped[str] = mapped_column(String(64), primary_key=True)
    repository_id: Mapped[int] = mapped_column(Integer)


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_incident_attributed_deployment_id", "attributed_deployment_id"),
        Index("ix_incident_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("repository.id", ondelete="CASCADE"), nullable=True
    )
    service: Mapped[str | None] = mapped_column(String(200), nullable=True)
    severity: Mapped[str | None] = mapped_column(String(32), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: An explicit link given by the sender: the deployment that caused it.
    caused_by_deployment_id: Mapped[int | None] = mapped_column(
        ForeignKey("deployment.id", ondelete="SET NULL"), nullable=True
    )
    #: For incidents derived from a revert PR: that PR.
    revert_pull_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("pull_request.id", ondelete="CASCADE"), nullable=True
    )
    #: For incidents derived from an issue labelled as an incident: that issue.
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issue.id", ondelete="CASCADE"), nullable=True
    )

    # --- derived --------------------------------------------------------------------------
    attributed_deployment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    attribution_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)


class Issue(Base):
    """An issue of a tracker (GitHub issues), kept whole: derive decides, from its labels and
    the incident patterns of the day, whether it is an incident."""

    __tablename__ = "issue"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_issue_repository_id_number", "repository_id", "number"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(200))
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("repository.id", ondelete="CASCADE"), nullable=True
    )
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    author_login: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: open | closed
    state: Mapped[str] = mapped_column(String(16))
    #: Why it was closed, as the tracker says (GitHub: completed | not_planned | duplicate …).
    state_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    labels: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IngestToken(Base):
    """A token for the push-ingest API: shown once, stored hashed, revocable."""

    __tablename__ = "ingest_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, so admins can recognise a token without it being stored.
    prefix: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
