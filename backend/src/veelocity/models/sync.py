"""Where each scheduled job stands. Every replica reads and writes the same rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base


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
    #: running, succeeded or failed
    last_status: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: host:pid of the process that ran it
    last_owner: Mapped[str] = mapped_column(String(200))
