from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class RepositoryOut(BaseModel):
    id: int
    full_name: str = Field(description="owner/name")
    default_branch: str | None
    url: str | None = Field(
        description="The repository's upstream web address, from its latest pull request's "
        "address; null when that has none."
    )
    pull_request_count: int
    deployment_count: int
    last_activity_at: datetime | None = Field(
        description="The latest pull-request merge or deployment finish; null when none."
    )


class ShippedPullRequestOut(BaseModel):
    id: int
    number: int | None
    title: str
    url: str | None
    author: str | None
    lead_time_seconds: int | None = Field(description="First commit to this deployment.")


class FailureCauseOut(BaseModel):
    kind: str = Field(
        description="failed_run (the run failed), incident (an incident was attributed to it), "
        "revert (a later revert PR undid a PR it shipped) or rollback (a later deployment went "
        "back to an earlier commit)."
    )
    description: str = Field(description="Why, in words, with the attribution rule that applied.")
    incident_id: int | None = Field(description="The attributed incident, for incident and revert.")
    incident_external_id: str | None = Field(description="The incident's id at its source.")
    incident_source: str | None = Field(
        description="For incident: where the incident came from (sentry: a Sentry issue that "
        "crossed the thresholds, with its issue id as `incident_external_id`; github, linear, "
        "ingest, …)."
    )
    revert_pull_request_id: int | None
    revert_pull_request_number: int | None
    rolled_back_by_deployment_id: int | None = Field(
        description="For rollback: the deployment that went back to an earlier commit."
    )


class DeploymentOut(BaseModel):
    id: int
    repository_id: int
    repository: str
    source: str = Field(description="Where it came from: a workflow run, a GitHub deployment, …")
    external_id: str = Field(
        description="Its id at the source: for pushed deployments, the external_id sent, so a "
        "pipeline can match what it pushed."
    )
    name: str | None
    environment: str
    status: str = Field(description="success or failure")
    commit_sha: str | None
    started_at: datetime | None
    finished_at: datetime
    url: str | None
    is_production: bool
    is_failed: bool = Field(description="Counted as failed by the change failure rate.")
    failure_reason: str | None = Field(description="The first cause, as one line.")
    failure_causes: list[FailureCauseOut] = Field(
        description="Every reason it counted as failed; empty when it did not."
    )
    is_rework: bool
    rework_reason: str | None
    recovered_at: datetime | None
    recovery_seconds: int | None = Field(description="Failed deployments: finish to recovery.")
    pull_requests: list[ShippedPullRequestOut] = Field(description="The PRs it shipped.")
    median_lead_time_seconds: float | None = Field(
        description="Median change lead time of the PRs it shipped; null when none."
    )


class ListWindowOut(BaseModel):
    """The time window a list applied, so a reader never mistakes a default for everything."""

    start: datetime = Field(
        description="Included: `start_date` at 00:00 UTC; without it, 30 days before the end."
    )
    end: datetime = Field(
        description="Excluded: the day after `end_date` (without it, today) at 00:00 UTC. "
        "With `period_start`, the window is that period's part of it."
    )


class DeploymentPage(BaseModel):
    window: ListWindowOut = Field(description="The window applied: deployments finished in it.")
    items: list[DeploymentOut]
    page: int
    page_size: int
    total: int


class AttributedDeploymentOut(BaseModel):
    id: int
    source: str
    external_id: str = Field(description="Its id at the source (the external_id pushed).")
    repository: str
    environment: str
    finished_at: datetime
    commit_sha: str | None
    recovery_seconds: int | None = Field(
        description="That deployment's failed-deployment recovery time (what the DORA key uses)."
    )


class IncidentOut(BaseModel):
    id: int
    source: str = Field(description="Where it came from: revert (a merged revert PR), ingest, …")
    external_id: str = Field(description="Its id at the source (e.g. INC-12).")
    title: str
    url: str | None
    severity: str | None
    service: str | None
    repository_id: int | None
    repository: str | None
    started_at: datetime
    resolved_at: datetime | None = Field(description="Null while it is open.")
    recovery_seconds: int | None = Field(description="Started to resolved; null while it is open.")
    revert_pull_request_id: int | None = Field(description="For source revert: the revert PR.")
    revert_pull_request_number: int | None
    deployment: AttributedDeploymentOut | None = Field(
        description="The deployment it is attributed to (counted as failed); null when none."
    )
    attribution_reason: str | None = Field(description="Which attribution rule applied.")


class IncidentPage(BaseModel):
    window: ListWindowOut = Field(description="The window applied: incidents started in it.")
    items: list[IncidentOut]
    page: int
    page_size: int
    total: int
