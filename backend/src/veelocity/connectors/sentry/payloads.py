"""Sentry's JSON mapped to records, through tolerant pydantic models.

Unknown fields are ignored (a self-hosted Sentry of another version sends more, or fewer of
the optional ones); the fields the store needs are required, and an answer without them is
one we cannot use (`ConnectorError`) rather than a row with holes. `count` is a string in
Sentry's answers (it can exceed 2^53) and is read as an integer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from veelocity.connectors.base import ConnectorError
from veelocity.records.sentry import (
    SentryDeployRecord,
    SentryErrorStatRecord,
    SentryEventRecord,
    SentryIssueRecord,
    SentryProjectRecord,
    SentryReleaseRecord,
)

M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


def _text_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ProjectRef(_Model):
    id: str | None = None
    slug: str | None = None
    name: str | None = None

    _id = field_validator("id", mode="before")(_text_id)


class Project(_Model):
    id: str
    slug: str
    name: str | None = None
    platform: str | None = None
    date_created: datetime | None = Field(default=None, alias="dateCreated")

    _id = field_validator("id", mode="before")(_text_id)


class LastCommit(_Model):
    id: str


class Deploy(_Model):
    id: str
    environment: str
    date_started: datetime | None = Field(default=None, alias="dateStarted")
    date_finished: datetime = Field(alias="dateFinished")
    name: str | None = None
    url: str | None = None

    _id = field_validator("id", mode="before")(_text_id)


class Release(_Model):
    version: str
    short_version: str | None = Field(default=None, alias="shortVersion")
    date_created: datetime = Field(alias="dateCreated")
    date_released: datetime | None = Field(default=None, alias="dateReleased")
    commit_count: int = Field(default=0, alias="commitCount")
    deploy_count: int = Field(default=0, alias="deployCount")
    last_commit: LastCommit | None = Field(default=None, alias="lastCommit")
    #: the latest deploy, shaped like the deploys list's items (read only when needed)
    last_deploy: Any = Field(default=None, alias="lastDeploy")
    projects: list[ProjectRef] = Field(default_factory=list)


class Commit(_Model):
    id: str


class Assignee(_Model):
    type: str | None = None
    id: str | None = None
    name: str | None = None
    email: str | None = None

    _id = field_validator("id", mode="before")(_text_id)


class Issue(_Model):
    id: str
    short_id: str = Field(alias="shortId")
    title: str = ""
    culprit: str | None = None
    level: str = "error"
    status: str
    substatus: str | None = None
    status_details: dict[str, Any] = Field(default_factory=dict, alias="statusDetails")
    first_seen: datetime = Field(alias="firstSeen")
    last_seen: datetime = Field(alias="lastSeen")
    count: int = 0
    user_count: int = Field(default=0, alias="userCount")
    project: ProjectRef
    first_release: Any = Field(default=None, alias="firstRelease")
    tags: Any = None
    assigned_to: Assignee | None = Field(default=None, alias="assignedTo")
    permalink: str | None = None
    type: str | None = None

    _id = field_validator("id", mode="before")(_text_id)

    @field_validator("count", "user_count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return 0 if value is None else value

    @field_validator("status_details", mode="before")
    @classmethod
    def _details(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


class EventUser(_Model):
    id: str | None = None
    email: str | None = None
    username: str | None = None
    ip_address: str | None = None

    _id = field_validator("id", mode="before")(_text_id)


class Event(_Model):
    id: str
    event_id: str | None = Field(default=None, alias="eventID")
    date_created: datetime = Field(alias="dateCreated")
    tags: Any = None
    user: EventUser | None = None

    _id = field_validator("id", mode="before")(_text_id)


def parse(model: type[M], item: Any, what: str) -> M:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ConnectorError(
            f"Sentry sent {what} we cannot read ({where}: {error['msg']})"
        ) from None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _required_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def tags_of(value: Any) -> dict[str, str]:
    """Tags as key → value, from any of Sentry's shapes: `[{key, value}]` (events),
    `[{key, topValues: [{value}]}]` (an issue's detail) or a plain mapping."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}
    found: dict[str, str] = {}
    for tag in value if isinstance(value, list) else ():
        if not isinstance(tag, dict) or not isinstance(tag.get("key"), str):
            continue
        if isinstance(tag.get("value"), str):
            found[tag["key"]] = tag["value"]
            continue
        top = tag.get("topValues")
        if isinstance(top, list) and top and isinstance(top[0], dict):
            first = top[0].get("value")
            if isinstance(first, str):
                found[tag["key"]] = first
    return found


def project(item: Any) -> SentryProjectRecord:
    parsed = parse(Project, item, "a project")
    return SentryProjectRecord(
        external_id=parsed.id,
        slug=parsed.slug,
        name=parsed.name or parsed.slug,
        platform=parsed.platform or None,
        created_at=_utc(parsed.date_created),
    )


def deploy(item: Any) -> SentryDeployRecord:
    parsed = parse(Deploy, item, "a deploy")
    return SentryDeployRecord(
        external_id=parsed.id,
        environment=parsed.environment,
        finished_at=_required_utc(parsed.date_finished),
        started_at=_utc(parsed.date_started),
        name=parsed.name,
        url=parsed.url,
    )


def last_deploy(parsed: Release) -> SentryDeployRecord | None:
    """The release's latest deploy as its list item names it, when it names a whole one."""
    try:
        return deploy(parsed.last_deploy) if isinstance(parsed.last_deploy, dict) else None
    except ConnectorError:
        return None


def release(item: Any) -> Release:
    return parse(Release, item, "a release")


def release_record(
    parsed: Release,
    commit_shas: tuple[str, ...] | None,
    deploys: tuple[SentryDeployRecord, ...] | None,
) -> SentryReleaseRecord:
    return SentryReleaseRecord(
        version=parsed.version,
        created_at=_required_utc(parsed.date_created),
        short_version=parsed.short_version,
        released_at=_utc(parsed.date_released),
        last_commit_sha=parsed.last_commit.id if parsed.last_commit else None,
        project_slugs=tuple(p.slug for p in parsed.projects if p.slug),
        commit_shas=commit_shas,
        deploys=deploys,
    )


def commit_sha(item: Any) -> str:
    return parse(Commit, item, "a release commit").id


def _release_version(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict) and isinstance(value.get("version"), str):
        return str(value["version"])
    return None


def _assignee(value: Assignee | None) -> str | None:
    if value is None:
        return None
    name = value.email or value.name or value.id
    if name and value.type == "team":
        return f"team:{value.name or value.id}"
    return name


def _resolved_at(parsed: Issue) -> datetime | None:
    """Sentry lists no resolution time on an issue: a resolved issue was resolved by its
    last event at the latest, so that is the time kept (a later sync keeps it)."""
    return _required_utc(parsed.last_seen) if parsed.status == "resolved" else None


def issue(item: Any, *, detailed: bool = False) -> SentryIssueRecord:
    """An issue from a list, or (`detailed`) from its own endpoint, with tags and first
    release."""
    parsed = parse(Issue, item, "an issue")
    if not parsed.project.id:
        raise ConnectorError(f"Sentry sent issue {parsed.id} without its project's id")
    return SentryIssueRecord(
        external_id=parsed.id,
        short_id=parsed.short_id,
        project_external_id=parsed.project.id,
        level=parsed.level,
        status=parsed.status,
        first_seen=_required_utc(parsed.first_seen),
        last_seen=_required_utc(parsed.last_seen),
        title=parsed.title,
        culprit=parsed.culprit,
        substatus=parsed.substatus,
        status_details=dict(parsed.status_details),
        resolved_at=_resolved_at(parsed),
        event_count=parsed.count,
        user_count=parsed.user_count,
        first_release_version=_release_version(parsed.first_release),
        tags=tags_of(parsed.tags),
        assigned_to=_assignee(parsed.assigned_to),
        url=parsed.permalink,
        detailed=detailed,
    )


def event(item: Any) -> SentryEventRecord:
    parsed = parse(Event, item, "an event")
    tags = tags_of(parsed.tags)
    user = parsed.user
    user_key = (user.id or user.email or user.username or user.ip_address) if user else None
    return SentryEventRecord(
        external_id=parsed.event_id or parsed.id,
        at=_required_utc(parsed.date_created),
        environment=tags.get("environment"),
        release_version=tags.get("release"),
        user_key=user_key,
    )


def error_stats(body: Any) -> list[SentryErrorStatRecord]:
    """stats_v2 grouped by project with a 1-day interval: one record per project and day."""
    if not isinstance(body, dict) or not isinstance(body.get("intervals"), list):
        raise ConnectorError("Sentry's stats_v2 answer has no intervals")
    days: list[date] = []
    for value in body["intervals"]:
        try:
            days.append(
                _required_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00"))).date()
            )
        except ValueError:
            raise ConnectorError(f"Sentry's stats_v2 sent an interval {value!r}") from None
    records: list[SentryErrorStatRecord] = []
    for group in body.get("groups") or ():
        if not isinstance(group, dict) or not isinstance(group.get("by"), dict):
            continue
        project_id = group["by"].get("project")
        series = (group.get("series") or {}).get("sum(quantity)")
        if project_id is None or not isinstance(series, list):
            continue
        for day, events in zip(days, series, strict=False):
            records.append(SentryErrorStatRecord(str(project_id), day, int(events or 0)))
    return records
