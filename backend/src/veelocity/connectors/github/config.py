"""What the GitHub connector is told to sync, as an admin set it in Settings."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_ORGANIZATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


class GitHubConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: one or several personal access tokens, used in turn when one runs out
    tokens: tuple[SecretStr, ...]
    organizations: tuple[str, ...] = ()
    #: "owner/name"
    repositories: tuple[str, ...] = ()
    api_base_url: str = "https://api.github.com"
    #: deployment patterns: workflows whose name contains one are deployments
    deployment_patterns: tuple[str, ...] = ("deploy", "release", "publish")
    #: nested lists fetched with each pull request; larger ones are completed later
    page_size: int = Field(default=100, ge=1, le=100)

    @field_validator("repositories")
    @classmethod
    def _repositories_are_owner_slash_name(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not _REPOSITORY.match(name):
                raise ValueError(f"{name!r} is not a repository name like owner/name")
        return value

    @field_validator("organizations")
    @classmethod
    def _organizations_are_logins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not _ORGANIZATION.match(name):
                raise ValueError(f"{name!r} is not an organisation login")
        return value

    @property
    def rest_url(self) -> str:
        return self.api_base_url.rstrip("/")

    @property
    def graphql_url(self) -> str:
        """github.com answers GraphQL at /graphql; GitHub Enterprise Server, whose REST API
        lives under /api/v3, answers it at /api/graphql."""
        base = self.rest_url
        if base.endswith("/api/v3"):
            return base.removesuffix("/v3") + "/graphql"
        return base + "/graphql"

    def is_deployment_workflow(self, name: str) -> bool:
        lowered = (name or "").lower()
        return any(pattern.lower() in lowered for pattern in self.deployment_patterns)


def split_tokens(value: str) -> tuple[SecretStr, ...]:
    """A token field may hold several tokens separated by commas."""
    return tuple(SecretStr(part.strip()) for part in value.split(",") if part.strip())
