"""Builders for Linear rows, written the way the Linear connector stores them: a team with
one workflow state of each type, issues (each with its `issue` row) and their history."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tests.builders import T0
from veelocity.models import (
    Issue,
    LinearAttachment,
    LinearIssue,
    LinearIssueHistory,
    LinearTeam,
    LinearWorkflowState,
)

STATE_TYPES = ("triage", "backlog", "unstarted", "started", "completed", "canceled")
_sequence = itertools.count(1)


@dataclass
class Workspace:
    team: LinearTeam
    #: state type → the team's state of that type
    states: dict[str, LinearWorkflowState]


def make_linear_team(session: Session, key: str = "ENG", name: str = "Engineering") -> Workspace:
    team = LinearTeam(external_id=f"team-{key.lower()}", key=key, name=name)
    session.add(team)
    session.flush()
    states = {}
    for position, kind in enumerate(STATE_TYPES):
        state = LinearWorkflowState(
            external_id=f"state-{key.lower()}-{kind}",
            team_id=team.id,
            name=kind.title(),
            type=kind,
            position=float(position),
        )
        session.add(state)
        states[kind] = state
    session.flush()
    return Workspace(team, states)


def make_linear_issue(
    session: Session,
    workspace: Workspace,
    *,
    state: str = "backlog",
    created_at: datetime = T0,
    labels: list[str] | None = None,
    number: int | None = None,
    **overrides: Any,
) -> LinearIssue:
    """An issue in the state of this type, with its `issue` row as the connector writes it
    (closed when completed or cancelled)."""
    number = number or next(_sequence)
    external_id = f"issue-{workspace.team.key.lower()}-{number}"
    identifier = f"{workspace.team.key}-{number}"
    closed = state in ("completed", "canceled")
    neutral = Issue(
        source="linear",
        external_id=external_id,
        repository_id=None,
        number=number,
        title=f"Issue {identifier}",
        state="closed" if closed else "open",
        state_reason={"completed": "completed", "canceled": "not_planned"}.get(state),
        labels=labels or [],
        created_at=created_at,
        updated_at=created_at,
        closed_at=created_at if closed else None,
    )
    session.add(neutral)
    session.flush()
    values: dict[str, Any] = {
        "external_id": external_id,
        "issue_id": neutral.id,
        "identifier": identifier,
        "number": number,
        "title": neutral.title,
        "team_id": workspace.team.id,
        "state_id": workspace.states[state].id,
        "created_at": created_at,
        "updated_at": created_at,
        "label_ids": [],
    }
    values.update(overrides)
    issue = LinearIssue(**values)
    session.add(issue)
    session.flush()
    return issue


def set_state(
    session: Session, workspace: Workspace, issue: LinearIssue, state: str, at: datetime
) -> None:
    """Move the issue to the state of this type at `at`: a history entry, its current state,
    and its `issue` row, as a sync after the move would store them."""
    previous = session.get(LinearWorkflowState, issue.state_id)
    session.add(
        LinearIssueHistory(
            external_id=f"history-{next(_sequence)}",
            issue_id=issue.id,
            at=at,
            from_state_external_id=previous.external_id if previous else None,
            to_state_external_id=workspace.states[state].external_id,
        )
    )
    issue.state_id = workspace.states[state].id
    issue.updated_at = at
    neutral = session.get(Issue, issue.issue_id)
    assert neutral is not None
    closed = state in ("completed", "canceled")
    neutral.state = "closed" if closed else "open"
    neutral.state_reason = {"completed": "completed", "canceled": "not_planned"}.get(state)
    neutral.closed_at = at if closed else None
    neutral.updated_at = at
    session.flush()


def set_labels(session: Session, issue: LinearIssue, labels: list[str]) -> None:
    neutral = session.get(Issue, issue.issue_id)
    assert neutral is not None
    neutral.labels = labels
    session.flush()


def make_attachment(
    session: Session, issue: LinearIssue, url: str, created_at: datetime = T0
) -> LinearAttachment:
    attachment = LinearAttachment(
        external_id=f"attachment-{next(_sequence)}",
        issue_id=issue.id,
        url=url,
        title="",
        source_type="github",
        created_at=created_at,
    )
    session.add(attachment)
    session.flush()
    return attachment
