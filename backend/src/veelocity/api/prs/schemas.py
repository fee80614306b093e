from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class PhasesOut(BaseModel):
    coding_seconds: int | None
    pickup_seconds: int | None
    review_seconds: int | None
    deploy_seconds: int | None


class PullRequestOut(BaseModel):
    id: int
    repository: str
    number: int | None
    title: str
    url: str | None
    author: str | None
    state: str
    is_draft: bool
    is_stale: bool = Field(description="Open with no activity for STALE_PR_DAYS.")
    created_at: datetime
    updated_at: datetime
    merged_at: datetime | None
    deployed_at: datetime | None
    size: int | None
    additions: int | None
    deletions: int | None
    phases: PhasesOut
    cycle_seconds: int | None
    merge_seconds: int | None
    lead_time_seconds: int | None
    is_revert: bool
    is_hotfix: bool


class PullRequestPage(BaseModel):
    items: list[PullRequestOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class TimelineEventOut(BaseModel):
    kind: str
    actor: str
    at: datetime
    state: str | None
    subject: str | None


class CommitOut(BaseModel):
    sha: str
    authored_at: datetime | None


class DeploymentOut(BaseModel):
    id: int
    source: str = Field(description="Where it came from: a workflow run, or the ingest source.")
    external_id: str = Field(
        description="Its id at the source: for pushed deployments, the external_id sent."
    )
    environment: str
    status: str
    started_at: datetime | None
    finished_at: datetime
    url: str | None
    is_failed: bool
    failure_reason: str | None
    is_rework: bool
    rework_reason: str | None


class IncidentOut(BaseModel):
    id: int
    source: str
    external_id: str = Field(
        description="Its id at the source: for pushed incidents, the external_id sent."
    )
    title: str
    started_at: datetime
    resolved_at: datetime | None
    url: str | None
    attribution_reason: str | None


class LinkedIssueOut(BaseModel):
    id: int = Field(description="The issue's id in /api/v1/issues.")
    identifier: str = Field(description="Linear's identifier, e.g. ENG-123.")
    title: str
    url: str | None
    state: str | None = Field(
        description="The state type: triage, backlog, unstarted, started, completed or canceled."
    )
    evidence: str = Field(description="How the link was found: attachment, branch, title or body.")


class AiEvidenceOut(BaseModel):
    kind: str = Field(
        description="ai_share, trailer, agent_author, label (high confidence) or "
        "same_day_usage (low confidence)."
    )
    detail: str = Field(description='What was found, e.g. "62 % of added lines".')


class PullRequestAiOut(BaseModel):
    assisted: str = Field(description="high, low or none (docs/ai-impact.md#evidence).")
    evidence: list[AiEvidenceOut]
    ai_share: float | None = Field(
        description="AI-added lines ÷ added lines over the commits AI code tracking knows; "
        "null when it knows none."
    )
    ai_lines_added: int | None
    reviewed: bool = Field(description="A review bot reviewed it before the merge.")
    review_bot: str | None = Field(description="The first review bot, before or after merge.")
    reviewed_at: datetime | None
    reviewed_before_merge: bool | None = Field(description="Null while not merged or unreviewed.")


class PullRequestDetailOut(PullRequestOut):
    first_commit_at: datetime | None
    opened_at: datetime | None
    first_review_at: datetime | None
    approved_at: datetime | None
    head_branch: str | None
    labels: list[str]
    commits: list[CommitOut]
    timeline: list[TimelineEventOut]
    deployment: DeploymentOut | None
    incidents: list[IncidentOut] = Field(description="Incidents attributed to its deployment.")
    linked_issues: list[LinkedIssueOut] = Field(description="Linear issues linked to it.")
    ai: PullRequestAiOut | None = Field(
        description="What AI did for it, with the evidence (docs/ai-impact.md); null until "
        "derive has judged it."
    )
