"""Where each scheduled job stands. Every replica reads and writes the same rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument


class ScheduledJob(Base):
    """The last slot of one job that a scheduler claimed, and how that run went.

    A slot is claimed (its time written here) while holding the job's lock and before the
    job runs, so no two processes ever run the same slot.
    """

    __tablename__ = "scheduled_job"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_slot_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: running, succeeded, failed or skipped (nothing to do: the source is not set up)
    last_status: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: host:pid of the process that ran it
    last_owner: Mapped[str] = mapped_column(String(200))


class SyncRun(Base):
    """One run of one source's sync: who asked for it, how far it got, how it ended.

    Progress columns are updated while the run goes, so the API can show it live from any
    replica; a cancel request is a flag the running process reads between pages.
    """

    __tablename__ = "sync_run"
    __table_args__ = (
        Index("ix_sync_run_source_created", "source", "created_at"),
        Index("ix_sync_run_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: the source synced (github, linear, ...) and the scheduled job that ran it
    source: Mapped[str] = mapped_column(String(32))
    job: Mapped[str] = mapped_column(String(64))
    #: schedule, startup, api or cli
    trigger: Mapped[str] = mapped_column(String(16))
    #: queued, running, succeeded, failed, cancelled or budget_exhausted
    status: Mapped[str] = mapped_column(String(24))
    requested_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    #: host:pid of the process running it
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    current_stream: Mapped[str | None] = mapped_column(String(64), nullable=True)
    items: Mapped[int] = mapped_column(Integer, default=0)
    requests_used: Mapped[int] = mapped_column(Integer, default=0)
    rate_limit_remaining: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rate_limit_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: stream name → {"items": n, "requests": n, "done": bool}
    streams: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    #: machine-readable code (bad_credentials, missing_scopes, not_found, budget_exhausted,
    #: rate_limited, upstream_unavailable, ...) and a sentence for people
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: when the limit or budget that stopped the run frees up again, if known
    error_resets_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SyncCheckpoint(Base):
    """Where one stream of one source stopped, per scope (a repository, an organisation).

    Written in the same transaction as the page it follows, so a crash never leaves a
    checkpoint ahead of (or behind) the rows it stands for. `cursor` belongs to the connector.
    """

    __tablename__ = "sync_checkpoint"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(300), primary_key=True)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
