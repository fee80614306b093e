from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, Field

from veelocity.api.ids import RowId
from veelocity.api.metrics.schemas import MetricOut, WindowOut

MappedBy = Literal["name", "release_commits", "chosen"]


class SentryProjectOut(BaseModel):
    id: int
    external_id: str = Field(description="Sentry's id of the project.")
    slug: str
    name: str
    platform: str | None
    repository_id: int | None = Field(description="The repository its errors follow, if any.")
    repository: str | None = Field(description="That repository's owner/name.")
    mapped_by: MappedBy | None = Field(
        description="How the repository was found: name (the project's slug names exactly one "
        "repository), release_commits (its releases name a repository's commits), chosen (by "
        "an admin; syncs keep it; a chosen null repository means none). Null: not mapped."
    )
    issues: int = Field(description="Sentry issues stored for it.")
    incidents: int = Field(description="Of them, the ones that are incidents.")


class SentryProjectList(BaseModel):
    items: list[SentryProjectOut]


class RepositoryChoice(BaseModel):
    repository_id: RowId | None = Field(
        description="The repository the project's errors follow; null: none (kept by syncs)."
    )


class SentryIssueOut(BaseModel):
    id: int
    external_id: str = Field(description="Sentry's id of the issue.")
    short_id: str = Field(description="Sentry's short id, e.g. CHECKOUT-1A.")
    project_id: int
    project: str = Field(description="The project's slug.")
    title: str
    culprit: str | None
    level: str = Field(description="fatal, error, warning, info or debug.")
    status: str = Field(description="unresolved, resolved or ignored.")
    substatus: str | None = Field(description="e.g. new, ongoing, regressed, escalating.")
    environment: str | None = Field(
        description="The issue's environment tag, when Sentry lists one."
    )
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None
    event_count: int = Field(description="Events in its lifetime, as Sentry counts them.")
    user_count: int = Field(description="Users it happened to in its lifetime.")
    first_release: str | None = Field(description="The release it was first seen in.")
    first_release_deployment_id: int | None = Field(
        description="The production deployment that shipped that release, when one did."
    )
    url: str | None
    is_incident: bool
    incident_reason: str | None = Field(
        description="Why it is an incident (“312 events in 24 h of its first event (≥ 100)”), "
        "or why not (“at most 12 events and 3 users in 24 h of its first event (below 100 "
        "events and 10 users)”). Null until derived."
    )
    incident_started_at: datetime | None = Field(
        description="Its first event, or the first event of the regression that crossed."
    )


class SentryIssuePage(BaseModel):
    items: list[SentryIssueOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class SentryIncidentOut(BaseModel):
    id: int = Field(description="The incident's id (as /incidents lists it).")
    external_id: str = Field(
        description="The issue's id for its first appearance; `<id>:r<n>` for a regression "
        "that crossed the thresholds again."
    )
    started_at: datetime
    resolved_at: datetime | None
    attributed_deployment_id: int | None
    attribution_reason: str | None


class SentryIssueDetailOut(SentryIssueOut):
    status_details: dict[str, object] = Field(
        description='Sentry\'s statusDetails, e.g. {"inRelease": "1.2.3"}.'
    )
    tags: dict[str, str]
    assigned_to: str | None
    events_read: bool = Field(
        description="Whether the events of its 24-hour windows are stored (read only for "
        "issues whose totals could cross the thresholds)."
    )
    resolved_by_deployment_id: int | None = Field(
        description="The first production deployment shipping the release or commit it was "
        "resolved in."
    )
    resolved_by: str | None = Field(
        description="What that deployment shipped: release R or commit C."
    )
    incidents: list[SentryIncidentOut]


class ErrorWindowOut(BaseModel):
    start: datetime
    end: datetime
    error_events: float = Field(
        description="Error events of the repository's Sentry projects in the window, shared "
        "out from Sentry's daily counts by the hours of each day inside it."
    )
    new_issues: int = Field(description="Issues first seen in the window.")
    new_issue_list: list[SentryIssueOut] = Field(
        description="Those issues, most events first (at most 50)."
    )


class DeploymentErrorsOut(BaseModel):
    deployment_id: int
    repository_id: int
    finished_at: datetime
    project_ids: list[int] = Field(description="The Sentry projects mapped to its repository.")
    failing_issues: list[SentryIssueOut] = Field(
        description="The Sentry issues whose incidents are attributed to this deployment."
    )
    before: ErrorWindowOut = Field(description="The 24 h before it finished.")
    after: ErrorWindowOut = Field(description="The 24 h after it finished.")


class ProjectSeriesOut(BaseModel):
    project_id: int
    project: str
    repository_id: int | None
    error_events: MetricOut
    new_issues: MetricOut


class SentrySeriesOut(BaseModel):
    window: WindowOut
    metrics: list[MetricOut] = Field(
        description="sentry-error-events and sentry-new-issues over every project in scope."
    )
    projects: list[ProjectSeriesOut]


class ThresholdsIn(BaseModel):
    min_events: Annotated[int, Ge(1), Le(10_000_000)] = Field(
        description="Events within 24 h of a first event or regression."
    )
    min_users: Annotated[int, Ge(1), Le(10_000_000)] = Field(
        description="Users within 24 h of a first event or regression."
    )
    levels: list[Literal["fatal", "error", "warning", "info", "debug"]] = Field(
        min_length=1, max_length=5, description="Levels that can become incidents."
    )


class PreviewEntryOut(BaseModel):
    issue: SentryIssueOut
    reason: str = Field(description="Why it would be, or would no longer be, an incident.")


class IncidentPreviewOut(BaseModel):
    thresholds: ThresholdsIn
    incidents: int = Field(description="Issues that would be incidents.")
    incidents_now: int = Field(description="Issues that are incidents now.")
    becoming_total: int
    becoming: list[PreviewEntryOut] = Field(
        description="Issues that would become incidents (at most 200 listed)."
    )
    leaving_total: int
    leaving: list[PreviewEntryOut] = Field(
        description="Incidents now that would no longer be (at most 200 listed)."
    )


class ThresholdsOut(ThresholdsIn):
    saved: bool = Field(
        description="true: saved in Settings; false: SENTRY_INCIDENT_MIN_EVENTS, "
        "SENTRY_INCIDENT_MIN_USERS and SENTRY_INCIDENT_LEVELS apply."
    )
