from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class RepositoryOut(BaseModel):
    id: int
    full_name: str = Field(description="owner/name")
    default_branch: str | None
    url: str | None = Field(
        description="The repository's upstream web address, from its pull requests' addresses; "
        "null until a pull request with an address is known."
    )
    pull_request_count: int
    deployment_count: int
    last_activity_at: datetime | None = Field(
        description="The latest pull-request update or deployment finish; null when none."
    )
