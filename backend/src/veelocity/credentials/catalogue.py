"""The settings each source takes: plain options and secret fields.

Adding a source to Settings is one entry in SOURCES.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SourceName(StrEnum):
    GITHUB = "github"
    LINEAR = "linear"
    SENTRY = "sentry"
    CURSOR = "cursor"
    GREPTILE = "greptile"


@dataclass(frozen=True)
class SourceFields:
    secrets: tuple[str, ...]
    #: Option name → default value. Options named `*_url` are checked as outbound URLs.
    options: dict[str, object]
    #: secrets a source syncs without (it is configured when the others are set)
    optional_secrets: tuple[str, ...] = ()

    @property
    def required_secrets(self) -> tuple[str, ...]:
        return tuple(name for name in self.secrets if name not in self.optional_secrets)


SOURCES: dict[SourceName, SourceFields] = {
    SourceName.GITHUB: SourceFields(
        secrets=("token",),
        options={"organizations": [], "repositories": [], "api_base_url": "https://api.github.com"},
    ),
    SourceName.LINEAR: SourceFields(
        secrets=("api_key",), options={"api_url": "https://api.linear.app/graphql"}
    ),
    SourceName.SENTRY: SourceFields(
        secrets=("token",), options={"organization": None, "base_url": "https://sentry.io/api/0/"}
    ),
    SourceName.CURSOR: SourceFields(
        secrets=("api_key",), options={"base_url": "https://api.cursor.com", "history_days": 90}
    ),
    SourceName.GREPTILE: SourceFields(
        secrets=("api_key", "github_token"),
        options={"base_url": "https://api.greptile.com"},
        optional_secrets=("github_token",),
    ),
}
