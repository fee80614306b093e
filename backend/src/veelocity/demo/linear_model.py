"""A generated Linear workspace: plain data, shaped after what Linear stores.

The fake Linear (`veelocity.fakes.linear`) serves it through Linear's GraphQL schema; the demo
(`veelocity.demo`) generates it alongside the GitHub organisation from the same seed. Ids are
Linear-style UUID strings, stable for a given seed. Timestamps are aware UTC datetimes; lists
are kept in creation order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Workflow state types, in the order Linear shows them
STATE_TYPES = ("triage", "backlog", "unstarted", "started", "completed", "canceled")


@dataclass(slots=True)
class LinearUser:
    id: str
    name: str
    display_name: str
    email: str
    created_at: datetime
    updated_at: datetime
    active: bool = True
    #: the GitHub login of the same person in the demo organisation, if any
    github_login: str | None = None


@dataclass(slots=True)
class WorkflowState:
    id: str
    team_id: str
    name: str
    type: str  # one of STATE_TYPES
    position: float
    color: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None


@dataclass(slots=True)
class Cycle:
    id: str
    team_id: str
    number: int
    name: str | None
    #: Linear always has them; None lets tests serve "a cycle with no dates"
    starts_at: datetime | None
    ends_at: datetime | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass(slots=True)
class Project:
    id: str
    name: str
    state: str  # planned, started, paused, completed, canceled, backlog
    created_at: datetime
    updated_at: datetime
    team_ids: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    target_date: str | None = None  # TimelessDate, YYYY-MM-DD
    completed_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass(slots=True)
class Label:
    id: str
    name: str
    color: str
    created_at: datetime
    updated_at: datetime
    #: None for a workspace label
    team_id: str | None = None


@dataclass(slots=True)
class HistoryEntry:
    """One `IssueHistory` entry: only the from/to pairs that changed are set."""

    id: str
    created_at: datetime
    actor_id: str | None = None
    from_state_id: str | None = None
    to_state_id: str | None = None
    from_cycle_id: str | None = None
    to_cycle_id: str | None = None
    from_estimate: float | None = None
    to_estimate: float | None = None
    from_assignee_id: str | None = None
    to_assignee_id: str | None = None
    from_team_id: str | None = None
    to_team_id: str | None = None
    from_priority: float | None = None
    to_priority: float | None = None
    added_label_ids: list[str] | None = None
    removed_label_ids: list[str] | None = None
    archived: bool | None = None
    auto_closed: bool | None = None


@dataclass(slots=True)
class Attachment:
    """Linear's GitHub integration adds one per linked pull request (sourceType "github")."""

    id: str
    url: str
    title: str
    created_at: datetime
    updated_at: datetime
    subtitle: str | None = None
    source_type: str | None = None
    metadata: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Issue:
    id: str
    team_id: str
    number: int
    title: str
    description: str
    state_id: str
    creator_id: str | None
    created_at: datetime
    updated_at: datetime
    priority: int = 0  # 0 none, 1 urgent, 2 high, 3 medium, 4 low
    estimate: float | None = None
    assignee_id: str | None = None
    cycle_id: str | None = None
    project_id: str | None = None
    parent_id: str | None = None
    label_ids: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    canceled_at: datetime | None = None
    archived_at: datetime | None = None
    #: the branch name Linear suggests (`someone/eng-123-add-audit-log`)
    branch_name: str = ""
    history: list[HistoryEntry] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(slots=True)
class LinearTeam:
    id: str
    key: str  # ENG
    name: str
    created_at: datetime
    updated_at: datetime
    cycles_enabled: bool = True
    archived_at: datetime | None = None
    member_ids: list[str] = field(default_factory=list)
    states: list[WorkflowState] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)


@dataclass(slots=True)
class LinearWorkspace:
    id: str
    name: str
    url_key: str  # the workspace's slug in issue URLs: linear.app/<url_key>/issue/ENG-123
    now: datetime
    teams: list[LinearTeam] = field(default_factory=list)
    users: list[LinearUser] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def team(self, team_id: str) -> LinearTeam:
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def identifier(self, issue: Issue) -> str:
        return f"{self.team(issue.team_id).key}-{issue.number}"

    def issue_url(self, issue: Issue) -> str:
        return f"https://linear.app/{self.url_key}/issue/{self.identifier(issue).lower()}"

    def state(self, state_id: str) -> WorkflowState:
        for team in self.teams:
            for state in team.states:
                if state.id == state_id:
                    return state
        raise KeyError(state_id)
