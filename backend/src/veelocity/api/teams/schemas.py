"""Team payloads: a team groups developers (by login) and repositories (by full name)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from veelocity.ingest.payloads import Login, RepositoryName


class TeamIn(BaseModel):
    """The whole team: PUT replaces its name, description, members and repositories."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None
    ) = None
    members: list[Login] = Field(
        default_factory=list,
        max_length=1000,
        description="Developer logins; a login Veelocity has not seen yet is added.",
    )
    repositories: list[RepositoryName] = Field(
        default_factory=list,
        max_length=1000,
        description="Repository full names; each must be known (synced or ingested).",
    )


class TeamMemberOut(BaseModel):
    id: int
    login: str
    name: str | None


class TeamRepositoryOut(BaseModel):
    id: int
    full_name: str


class TeamOut(BaseModel):
    id: int
    name: str
    description: str | None
    created_at: datetime
    members: list[TeamMemberOut]
    repositories: list[TeamRepositoryOut]


class TeamList(BaseModel):
    items: list[TeamOut]
