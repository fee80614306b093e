"""Records of Sentry: projects, releases with their commits and deploys, issues, the events
read for the incident thresholds, and error counts per project and day.

References are Sentry's own keys (a project's id, a release's version, an issue's id); the
store resolves them to rows. A release's `commit_shas` of None means "not read this time"
(the stored ones stay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SentryProjectRecord:
    external_id: str
    slug: str
    name: str
    platform: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class SentryDeployRecord:
    external_id: str
    environment: str
    finished_at: datetime
    started_at: datetime | None = None
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SentryReleaseRecord:
    version: str
    created_at: datetime
    short_version: str | None = None
    released_at: datetime | None = None
    last_commit_sha: str | None = None
    #: the project slugs Sentry lists on the release (the store finds their ids)
    project_slugs: tuple[str, ...] = ()
    commit_shas: tuple[str, ...] | None = None
    #: None: not read this time; a tuple: deploys read this time (added to the stored ones)
    deploys: tuple[SentryDeployRecord, ...] | None = None


@dataclass(frozen=True)
class SentryIssueRecord:
    external_id: str
    short_id: str
    project_external_id: str
    level: str
    status: str
    first_seen: datetime
    last_seen: datetime
    title: str = ""
    culprit: str | None = None
    substatus: str | None = None
    status_details: dict[str, object] = field(default_factory=dict)
    resolved_at: datetime | None = None
    event_count: int = 0
    user_count: int = 0
    first_release_version: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    assigned_to: str | None = None
    url: str | None = None
    #: read from the issue's own endpoint: `tags` and `first_release_version` are known (the
    #: lists leave them out, and the stored ones then stay)
    detailed: bool = False


@dataclass(frozen=True)
class SentryEventRecord:
    external_id: str
    at: datetime
    environment: str | None = None
    release_version: str | None = None
    user_key: str | None = None


@dataclass(frozen=True)
class SentryEventsPage:
    """Events of one issue in a window; `complete` once the window is read to its end."""

    issue_external_id: str
    events: tuple[SentryEventRecord, ...]
    complete: bool = False


@dataclass(frozen=True)
class SentryErrorStatRecord:
    project_external_id: str
    day: date
    events: int


@dataclass
class SentryBatch:
    """What one page of the Sentry sync brings."""

    projects: list[SentryProjectRecord] = field(default_factory=list)
    releases: list[SentryReleaseRecord] = field(default_factory=list)
    issues: list[SentryIssueRecord] = field(default_factory=list)
    events: list[SentryEventsPage] = field(default_factory=list)
    error_stats: list[SentryErrorStatRecord] = field(default_factory=list)
    #: issue ids Sentry no longer has (merged into another, or deleted)
    gone_issue_ids: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return (
            len(self.projects)
            + len(self.releases)
            + len(self.issues)
            + sum(len(page.events) for page in self.events)
            + len(self.error_stats)
        )
