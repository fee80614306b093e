from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from veelocity.api.metrics.schemas import MetricOut, WindowOut
from veelocity.api.prs.schemas import DeploymentOut


class LinearTeamOut(BaseModel):
    id: int
    key: str = Field(description="The prefix of its issues' identifiers (ENG in ENG-123).")
    name: str
    gone: bool = Field(description="Linear no longer lists it (deleted, or the key lost access).")


class LinearProjectOut(BaseModel):
    id: int
    name: str
    state: str | None
    url: str | None


class StateOut(BaseModel):
    name: str | None = Field(description="Null for a state Linear no longer lists.")
    type: str | None = Field(
        description="triage, backlog, unstarted, started, completed or canceled."
    )


class IssueOut(BaseModel):
    id: int
    identifier: str = Field(description="Linear's identifier, e.g. ENG-123.")
    title: str
    url: str | None
    linear_team_id: int
    team_key: str
    state: StateOut | None
    project_id: int | None
    project: str | None
    cycle_id: int | None
    cycle_number: int | None
    assignee_id: int | None
    assignee: str | None
    estimate: float | None
    priority: int = Field(description="0 none, 1 urgent, 2 high, 3 medium, 4 low.")
    labels: list[str]
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = Field(description="The first move into a started state.")
    completed_at: datetime | None = Field(
        description="The last move into a completed state; null when reopened since."
    )
    is_canceled: bool
    lead_seconds: int | None
    cycle_seconds: int | None
    deployed_at: datetime | None = Field(
        description="The first production deployment shipping a linked, merged PR."
    )
    to_production_seconds: int | None
    linked_pull_requests: int


class IssuePage(BaseModel):
    items: list[IssueOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class CycleRefOut(BaseModel):
    id: int | None = Field(description="Null for a cycle that is not stored.")
    number: int | None
    name: str | None


class HistoryEntryOut(BaseModel):
    at: datetime
    actor: str | None
    from_state: StateOut | None
    to_state: StateOut | None
    from_cycle: CycleRefOut | None
    to_cycle: CycleRefOut | None
    from_estimate: float | None
    to_estimate: float | None
    from_assignee: str | None
    to_assignee: str | None
    added_labels: list[str]
    removed_labels: list[str]


class StateTimeOut(BaseModel):
    state: StateOut
    seconds: int


class LinkedPullRequestOut(BaseModel):
    id: int
    number: int | None
    title: str
    repository: str
    url: str | None
    state: str
    merged_at: datetime | None
    deployed_at: datetime | None
    evidence: str = Field(description="How the link was found: attachment, branch, title or body.")
    detail: str | None = Field(description="What was found: the attachment URL, branch or text.")


class ToProductionOut(BaseModel):
    total_seconds: int | None
    before_pr_seconds: int | None = Field(
        description="Started to the first linked PR's first commit."
    )
    pr_cycle_seconds: int | None = Field(description="First commit to merge.")
    deploy_seconds: int | None = Field(description="Merge to the production deployment.")
    deployed_at: datetime | None
    deployment_id: int | None


class IssueDetailOut(IssueOut):
    history: list[HistoryEntryOut] = Field(description="Oldest first.")
    time_in_state: list[StateTimeOut] = Field(
        description="Seconds in each state from creation until completed, cancelled or now."
    )
    time_in_state_type: dict[str, int]
    links: list[LinkedPullRequestOut]
    deployments: list[DeploymentOut] = Field(
        description="The deployments that shipped the linked PRs."
    )
    to_production: ToProductionOut


# --- metrics ----------------------------------------------------------------------------------


class StateTypeTimeOut(BaseModel):
    state_type: str
    sample_size: int
    median_seconds: float | None
    mean_seconds: float | None
    p75_seconds: float | None
    p90_seconds: float | None
    total_seconds: int


class StateTimeSummaryOut(BaseModel):
    state: str = Field(
        description="The workflow state's name (states of the same name across teams together)."
    )
    state_type: str
    sample_size: int
    median_seconds: float | None
    mean_seconds: float | None
    p75_seconds: float | None
    p90_seconds: float | None
    total_seconds: int


class IssueFlowOut(BaseModel):
    window: WindowOut
    metrics: list[MetricOut] = Field(
        description="issue-lead-time, issue-cycle-time and issue-to-production."
    )
    phases: list[MetricOut] = Field(
        description="Issue-to-production's parts: issue-before-pr-time, issue-pr-cycle-time, "
        "issue-deploy-time."
    )
    time_in_state_type: list[StateTypeTimeOut] = Field(
        description="For issues completed in the window."
    )
    time_in_state: list[StateTimeSummaryOut] = Field(
        description="Per workflow state, for issues completed in the window (before completion)."
    )


class IssueThroughputOut(BaseModel):
    window: WindowOut
    metrics: list[MetricOut] = Field(description="issues-completed and issue-points-completed.")


class BacklogByTypeOut(BaseModel):
    triage: int
    backlog: int
    unstarted: int


class WipDayOut(BaseModel):
    day: date
    wip: int = Field(description="Issues in a started state at the end of the day.")
    backlog: int
    backlog_by_type: BacklogByTypeOut
    backlog_median_age_seconds: float | None


class IssueWipOut(BaseModel):
    window: WindowOut
    days: list[WipDayOut]
    metrics: list[MetricOut] = Field(description="work-in-progress, backlog-size, backlog-age.")


# --- cycles -----------------------------------------------------------------------------------


class CycleOut(BaseModel):
    id: int
    linear_team_id: int
    team_key: str
    team_name: str
    number: int
    name: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    completed_at: datetime | None
    status: str = Field(description="current, past, upcoming, or undated (no figures).")


class CycleFiguresOut(BaseModel):
    committed: int = Field(description="In the cycle at its start.")
    added: int = Field(description="Joined after the start.")
    removed: int = Field(description="In it during the cycle but not at its end.")
    completed: int = Field(description="Completed while in the cycle, within its dates.")
    carried_over: int = Field(description="In the cycle at its end and not completed.")
    completion_rate: float | None = Field(description="completed ÷ (committed + added − removed).")
    committed_points: float
    added_points: float
    removed_points: float
    completed_points: float
    carried_over_points: float
    completion_rate_points: float | None


class BurnUpPointOut(BaseModel):
    day: date
    scope: int
    completed: int
    scope_points: float
    completed_points: float


class CycleIssueOut(BaseModel):
    id: int
    identifier: str
    title: str
    url: str | None
    estimate: float | None
    state: StateOut | None


class CycleIssuesOut(BaseModel):
    committed: list[CycleIssueOut]
    added: list[CycleIssueOut]
    removed: list[CycleIssueOut]
    completed: list[CycleIssueOut]
    carried_over: list[CycleIssueOut]


class CycleDetailOut(CycleOut):
    figures: CycleFiguresOut | None = Field(
        description="Null for an undated or upcoming cycle; for the current cycle, so far."
    )
    burn_up: list[BurnUpPointOut] = Field(description="Scope and completed at each day's end.")
    issues: CycleIssuesOut


class BacklogIssueOut(CycleIssueOut):
    age_seconds: float = Field(description="Since creation, at the end of the day.")


class IssuesOnDayOut(BaseModel):
    day: date
    wip: list[CycleIssueOut] = Field(description="In a started state at the end of the day.")
    backlog: list[BacklogIssueOut] = Field(
        description="In a triage, backlog or unstarted state at the end of the day, oldest first."
    )
