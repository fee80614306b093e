"""Linear: teams, workflow states, cycles, projects, users, issues with their history, and the
links derive finds between issues and pull requests.

Each Linear issue is also a row of the tracker-neutral `issue` table (source "linear"), so
incident patterns, attribution and the issue list treat it like any other tracker's issue;
`linear_issue` holds what only Linear has. Upstream ids are kept as `external_id` (Linear's
UUIDs); references between Linear rows use our integer ids once both rows are stored, and the
history keeps Linear's ids as it found them (a state may be deleted later).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from veelocity.core.db import UTCDateTime
from veelocity.models.base import Base, JSONDocument

_ID = BigInteger().with_variant(Integer, "sqlite")


class LinearTeam(Base):
    __tablename__ = "linear_team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: the identifier prefix of its issues ("ENG" in ENG-123)
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    #: set when Linear no longer lists the team (deleted, or the key lost access)
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LinearWorkflowState(Base):
    __tablename__ = "linear_workflow_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_team.id", ondelete="CASCADE"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(200))
    #: triage | backlog | unstarted | started | completed | canceled
    type: Mapped[str] = mapped_column(String(16))
    position: Mapped[float] = mapped_column(Float, default=0.0)
    #: set when Linear no longer lists the state; history entries still name it
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LinearCycle(Base):
    __tablename__ = "linear_cycle"
    __table_args__ = (Index("ix_linear_cycle_team_id_starts_at", "team_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("linear_team.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: NULL when Linear gives none: such a cycle is listed but has no cycle figures
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LinearProject(Base):
    __tablename__ = "linear_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    target_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LinearUser(Base):
    __tablename__ = "linear_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the Veelocity developer this user is: matched by e-mail, or chosen in People
    developer_id: Mapped[int | None] = mapped_column(
        ForeignKey("developer.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: True when someone chose the developer in People: the e-mail match leaves it alone
    developer_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LinearLabel(Base):
    __tablename__ = "linear_label"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: None for workspace labels
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_team.id", ondelete="CASCADE"), nullable=True
    )


class LinearIssue(Base):
    """What only Linear has of an issue; the neutral facts are in `issue` (`issue_id`)."""

    __tablename__ = "linear_issue"
    __table_args__ = (
        Index("ix_linear_issue_team_id_number", "team_id", "number"),
        Index("ix_linear_issue_cycle_id", "cycle_id"),
        Index("ix_linear_issue_project_id", "project_id"),
        Index("ix_linear_issue_completed_at", "completed_at"),
        Index("ix_linear_issue_updated_at_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), unique=True)
    #: ENG-123
    identifier: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("linear_team.id", ondelete="CASCADE"))
    state_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_workflow_state.id", ondelete="SET NULL"), nullable=True
    )
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_cycle.id", ondelete="SET NULL"), nullable=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_project.id", ondelete="SET NULL"), nullable=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_user.id", ondelete="SET NULL"), nullable=True, index=True
    )
    creator_id: Mapped[int | None] = mapped_column(
        ForeignKey("linear_user.id", ondelete="SET NULL"), nullable=True
    )
    #: Linear's id of the parent issue (the parent may not be stored yet)
    parent_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    estimate: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: 0 none, 1 urgent, 2 high, 3 medium, 4 low
    priority: Mapped[int] = mapped_column(Integer, default=0)
    label_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: as Linear reports them (the flow figures below come from the history)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: True once every page of the issue's history is stored for its current `updated_at`
    history_complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # --- derived (docs/metrics.md, "Issues (Linear)") ----------------------------------------
    flow_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    flow_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    is_canceled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lead_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cycle_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: seconds in each state type, e.g. {"backlog": 3600, "started": 7200}
    state_type_seconds: Mapped[dict[str, int]] = mapped_column(JSONDocument, default=dict)
    production_deployment_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    to_production_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: the three parts of issue-to-production: before the first linked PR's first commit,
    #: PR cycle time, deploy time
    before_pr_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    pr_cycle_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    deploy_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class LinearIssueHistory(Base):
    """One `IssueHistory` entry, with Linear's ids as they were at the time."""

    __tablename__ = "linear_issue_history"
    __table_args__ = (Index("ix_linear_issue_history_issue_id_at", "issue_id", "at"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("linear_issue.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_state_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_state_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_cycle_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_cycle_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_estimate: Mapped[float | None] = mapped_column(Float, nullable=True)
    to_estimate: Mapped[float | None] = mapped_column(Float, nullable=True)
    from_assignee_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_assignee_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    from_team_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_team_external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    added_label_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    removed_label_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    archived: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class LinearAttachment(Base):
    """An attachment of an issue; Linear's GitHub integration adds one per linked PR."""

    __tablename__ = "linear_attachment"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("linear_issue.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    #: Linear's `sourceType` ("github", "githubPr", ...), when it gives one
    source_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IssuePullRequestLink(Base):
    """Derived: an issue and a pull request that works on it, with the evidence found."""

    __tablename__ = "issue_pull_request_link"

    linear_issue_id: Mapped[int] = mapped_column(
        ForeignKey("linear_issue.id", ondelete="CASCADE"), primary_key=True
    )
    pull_request_id: Mapped[int] = mapped_column(
        ForeignKey("pull_request.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: attachment | branch | title | body (the strongest evidence found)
    evidence: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
