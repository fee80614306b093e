"""Records of Linear: teams, workflow states, cycles, projects, users, labels and issues.

References between them are Linear's ids (`*_external_id`); the store resolves them to rows.
An issue carries the history and attachments read with it: None means "not read this time"
(the stored ones stay), a tuple adds to what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LinearTeamRecord:
    external_id: str
    key: str
    name: str


@dataclass(frozen=True)
class LinearWorkflowStateRecord:
    external_id: str
    team_external_id: str | None
    name: str
    type: str  # triage | backlog | unstarted | started | completed | canceled
    position: float = 0.0
    archived_at: datetime | None = None


@dataclass(frozen=True)
class LinearCycleRecord:
    external_id: str
    team_external_id: str
    number: int
    name: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    completed_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass(frozen=True)
class LinearProjectRecord:
    external_id: str
    name: str
    state: str | None = None
    url: str | None = None
    started_at: datetime | None = None
    target_date: str | None = None
    completed_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass(frozen=True)
class LinearUserRecord:
    external_id: str
    name: str
    display_name: str | None = None
    email: str | None = None
    active: bool = True


@dataclass(frozen=True)
class LinearLabelRecord:
    external_id: str
    name: str
    #: None for a workspace label
    team_external_id: str | None = None


@dataclass(frozen=True)
class LinearHistoryRecord:
    """One `IssueHistory` entry: only the pairs that changed are set."""

    external_id: str
    at: datetime
    actor_external_id: str | None = None
    from_state_external_id: str | None = None
    to_state_external_id: str | None = None
    from_cycle_external_id: str | None = None
    to_cycle_external_id: str | None = None
    from_estimate: float | None = None
    to_estimate: float | None = None
    from_assignee_external_id: str | None = None
    to_assignee_external_id: str | None = None
    from_team_external_id: str | None = None
    to_team_external_id: str | None = None
    added_label_ids: tuple[str, ...] = ()
    removed_label_ids: tuple[str, ...] = ()
    archived: bool | None = None


@dataclass(frozen=True)
class LinearAttachmentRecord:
    external_id: str
    url: str
    created_at: datetime
    title: str = ""
    source_type: str | None = None


@dataclass(frozen=True)
class LinearIssueRecord:
    external_id: str
    identifier: str
    number: int
    title: str
    team_external_id: str
    state_external_id: str
    created_at: datetime
    updated_at: datetime
    url: str | None = None
    cycle_external_id: str | None = None
    project_external_id: str | None = None
    assignee_external_id: str | None = None
    creator_external_id: str | None = None
    parent_external_id: str | None = None
    estimate: float | None = None
    priority: int = 0
    label_ids: tuple[str, ...] = ()
    started_at: datetime | None = None
    completed_at: datetime | None = None
    canceled_at: datetime | None = None
    archived_at: datetime | None = None
    #: entries read with this record (None: not read now; the stored ones stay)
    history: tuple[LinearHistoryRecord, ...] | None = None
    #: True when `history` holds every entry up to now; False when more pages follow
    history_complete: bool = False
    #: every attachment of the issue (None: not read now)
    attachments: tuple[LinearAttachmentRecord, ...] | None = None


@dataclass(frozen=True)
class LinearHistoryPage:
    """What did not fit an issue's page, read later: more history, or every attachment."""

    issue_external_id: str
    entries: tuple[LinearHistoryRecord, ...]
    #: True once this page was the issue's last of history
    complete: bool
    #: every attachment of the issue, when they were read (None: not read)
    attachments: tuple[LinearAttachmentRecord, ...] | None = None


@dataclass
class LinearBatch:
    """Linear records of one page, written in the order references need."""

    teams: list[LinearTeamRecord] = field(default_factory=list)
    #: the teams are every team Linear lists now: others are marked gone
    every_team: bool = False
    states: list[LinearWorkflowStateRecord] = field(default_factory=list)
    #: Linear ids of teams whose every state is in `states`: others were deleted
    every_state_of_teams: list[str] = field(default_factory=list)
    users: list[LinearUserRecord] = field(default_factory=list)
    labels: list[LinearLabelRecord] = field(default_factory=list)
    projects: list[LinearProjectRecord] = field(default_factory=list)
    cycles: list[LinearCycleRecord] = field(default_factory=list)
    issues: list[LinearIssueRecord] = field(default_factory=list)
    history: list[LinearHistoryPage] = field(default_factory=list)

    @property
    def items(self) -> int:
        return (
            len(self.teams)
            + len(self.states)
            + len(self.users)
            + len(self.labels)
            + len(self.projects)
            + len(self.cycles)
            + len(self.issues)
            + sum(len(page.entries) for page in self.history)
        )
