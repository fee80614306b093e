"""Settings payloads. Unknown fields are refused (no mass assignment); secrets are write-only."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

SecretInput = Annotated[
    str, StringConstraints(min_length=1, max_length=4096, strip_whitespace=True)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class SecretOut(BaseModel):
    configured: bool = Field(description="Whether a value is stored.")
    last4: str | None = Field(description="Last four characters, to recognise it; never more.")


class _SourceUpdate(BaseModel):
    """A secret field: a string sets it, null clears it, leaving it out keeps it."""

    model_config = ConfigDict(extra="forbid")


class GitHubUpdate(_SourceUpdate):
    token: SecretInput | None = None
    organizations: list[Name] | None = Field(default=None, max_length=100)
    repositories: list[Name] | None = Field(default=None, max_length=1000)
    api_base_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, description="https://api.github.com, or https://HOST/api/v3 for Enterprise."
    )

    @field_validator("repositories")
    @classmethod
    def _owner_slash_name(cls, value: list[str] | None) -> list[str] | None:
        for repository in value or []:
            if not _REPOSITORY.match(repository):
                raise ValueError(f"expected owner/name, got {repository!r}")
        return value


class LinearUpdate(_SourceUpdate):
    api_key: SecretInput | None = None
    api_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, description="Linear's GraphQL endpoint: https://api.linear.app/graphql."
    )


class SentryUpdate(_SourceUpdate):
    token: SecretInput | None = Field(
        default=None,
        description="An auth token with org:read, project:read and event:read (sent as Bearer).",
    )
    organization: Name | None = Field(
        default=None, description="The organisation's slug, as in sentry.io/organizations/SLUG/."
    )
    base_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None,
        description="Sentry's API root: https://sentry.io/api/0/, a region host or a self-hosted "
        "Sentry, with or without /api/0/. Checked by the outbound policy at every connection.",
    )


class CursorUpdate(_SourceUpdate):
    api_key: SecretInput | None = Field(
        default=None,
        description="A Cursor Admin API key (key_…), created by a team admin of an Enterprise "
        "team; sent with HTTP Basic.",
    )
    base_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None,
        description="Cursor's API root: https://api.cursor.com. Checked by the outbound policy "
        "at every connection.",
    )
    history_days: int | None = Field(
        default=None,
        ge=1,
        le=730,
        description="Days of daily usage and AI code tracking the first sync reads (default 90).",
    )


class GreptileUpdate(_SourceUpdate):
    api_key: SecretInput | None = Field(
        default=None, description="A Greptile API key (sent as Bearer)."
    )
    github_token: SecretInput | None = Field(
        default=None,
        description="Optional: a GitHub token sent as X-GitHub-Token, for Greptile endpoints "
        "that ask for one. The sync does not need it.",
    )
    base_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None,
        description="Greptile's API root: https://api.greptile.com (REST under /v2/, reviews "
        "through /mcp). Checked by the outbound policy at every connection.",
    )


class GitHubOut(BaseModel):
    token: SecretOut
    organizations: list[str]
    repositories: list[str]
    api_base_url: str


class LinearOut(BaseModel):
    api_key: SecretOut
    api_url: str


class SentryOut(BaseModel):
    token: SecretOut
    organization: str | None
    base_url: str


class CursorOut(BaseModel):
    api_key: SecretOut
    base_url: str
    history_days: int


class GreptileOut(BaseModel):
    api_key: SecretOut
    github_token: SecretOut
    base_url: str


class SourcesOut(BaseModel):
    github: GitHubOut
    linear: LinearOut
    sentry: SentryOut
    cursor: CursorOut
    greptile: GreptileOut


class SettingsOut(BaseModel):
    encryption_available: bool
    oauth_available: bool = Field(
        description="Connect with GitHub is configured (GITHUB_OAUTH_CLIENT_ID and _SECRET)."
    )
    unreadable_secrets: int = Field(
        description="Stored secrets the configured encryption keys cannot decrypt "
        "(a wrong VEELOCITY_ENCRYPTION_KEY); enter them again."
    )
    deployment_patterns: list[str]
    incident_patterns: list[str]
    sources: SourcesOut
    synced_sources: list[str] = Field(
        description="The sources Veelocity reads. The others' settings are stored, "
        "but nothing syncs them yet."
    )


class DeploymentPatterns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patterns: list[
        Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    ] = Field(
        max_length=50,
        description="Workflow or environment names containing any of these "
        "(case-insensitive) count as deployments.",
    )


class IncidentPatterns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patterns: list[
        Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    ] = Field(
        max_length=50,
        description="Issue or pull request labels equal to any of these (case-insensitive) "
        "mark an incident.",
    )
