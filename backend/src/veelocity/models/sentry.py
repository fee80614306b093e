"""Sentry: projects (mapped to repositories), releases with their commits and deploys, issues
with the events read for the incident thresholds, and error counts per project and day.

Upstream ids are kept as `external_id`; a release is known by its version, unique in an
organisation. Columns under "derived" are written only by derive.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
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

_ID = BigInteger().with_variant(Integer, "sqlite")


class SentryProject(Base):
    __tablename__ = "sentry_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    slug: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: the repository whose deployments this project's errors follow
    repository_id: Mapped[int | None] = mapped_column(
        ForeignKey("repository.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: how the repository was found: name | release_commits | chosen (in Settings)
    repository_mapped_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SentryRelease(Base):
    __tablename__ = "sentry_release"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    version: Mapped[str] = mapped_column(String(250), unique=True)
    short_version: Mapped[str | None] = mapped_column(String(250), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_commit_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: the commits the release names, when read
    commit_shas: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    #: the Sentry project ids (external) the release belongs to
    project_external_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)

    # --- derived --------------------------------------------------------------------------
    #: the first successful production deployment shipping the release's commit
    deployment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class SentryDeploy(Base):
    """A deploy Sentry records for a release: its environment and times."""

    __tablename__ = "sentry_deploy"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("sentry_release.id", ondelete="CASCADE"), index=True
    )
    environment: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)


class SentryIssue(Base):
    __tablename__ = "sentry_issue"
    __table_args__ = (
        Index("ix_sentry_issue_project_id_first_seen", "project_id", "first_seen"),
        Index("ix_sentry_issue_last_seen", "last_seen"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    short_id: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[int] = mapped_column(ForeignKey("sentry_project.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text, default="")
    culprit: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: fatal | error | warning | info | debug
    level: Mapped[str] = mapped_column(String(16))
    #: unresolved | resolved | ignored
    status: Mapped[str] = mapped_column(String(16))
    substatus: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: e.g. {"inRelease": "1.2.3"} or {"inCommit": {"commit": "abc…"}}
    status_details: Mapped[dict[str, object]] = mapped_column(JSONDocument, default=dict)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    #: when Sentry says it was resolved, if it is
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    event_count: Mapped[int] = mapped_column(BigInteger, default=0)
    user_count: Mapped[int] = mapped_column(Integer, default=0)
    first_release_version: Mapped[str | None] = mapped_column(String(250), nullable=True)
    #: {"environment": "production", ...}: the tags Sentry lists on the issue
    tags: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    assigned_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: True once the events needed for the 24-hour thresholds are stored
    events_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # --- derived --------------------------------------------------------------------------
    is_incident: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: why it is, or is not, an incident ("312 events in 24 h of its first event (≥ 100)")
    incident_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: the first event, or the regression's, that started the incident
    incident_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SentryEvent(Base):
    """An event of an issue, read for the 24-hour thresholds (first event, regressions)."""

    __tablename__ = "sentry_event"
    __table_args__ = (
        UniqueConstraint("issue_id", "external_id"),
        Index("ix_sentry_event_issue_id_at", "issue_id", "at"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("sentry_issue.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    environment: Mapped[str | None] = mapped_column(String(200), nullable=True)
    release_version: Mapped[str | None] = mapped_column(String(250), nullable=True)
    #: a stable id of the user the event happened to (Sentry's user id, e-mail hash or IP hash)
    user_key: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SentryErrorStat(Base):
    """Accepted error events of a project on one day (the organisation's stats)."""

    __tablename__ = "sentry_error_stat"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("sentry_project.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    events: Mapped[int] = mapped_column(BigInteger, default=0)
