"""What admins configure in Settings: source options, their encrypted secrets, app options."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument


class SourceConfig(Base):
    """Non-secret options of one upstream source (e.g. GitHub organisations)."""

    __tablename__ = "source_config"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True
    )


class StoredSecret(Base):
    """One credential, Fernet-encrypted. The clear text is never stored."""

    __tablename__ = "stored_secret"
    __table_args__ = (UniqueConstraint("source", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    ciphertext: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AppSetting(Base):
    """Product options changed at run time, such as the deployment patterns."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONDocument)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
