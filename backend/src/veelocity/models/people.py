"""Developers and teams."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base


class Developer(Base):
    """Anyone who authors, reviews or comments, keyed by their upstream login."""

    __tablename__ = "developer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: an e-mail address the upstream gave for this person (matches Linear users)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True, index=True)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamMember(Base):
    __tablename__ = "team_member"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    developer_id: Mapped[int] = mapped_column(
        ForeignKey("developer.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TeamRepository(Base):
    __tablename__ = "team_repository"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    repository_id: Mapped[int] = mapped_column(
        ForeignKey("repository.id", ondelete="CASCADE"), primary_key=True, index=True
    )
