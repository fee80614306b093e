"""Builders for Linear data: a workspace (team, one workflow state per type, cycles), and
issues with their state and cycle history, written the way the Linear sync writes them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from veelocity.models import (
    Issue,
    LinearCycle,
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
    states: dict[str, LinearWorkflowState]
    cycles: list[LinearCycle] = field(default_factory=list)


def make_workspace(session: Session, key: str = "ENG") -> Workspace:
    team = LinearTeam(external_id=f"team-{key}", key=key, name=f"{key.title()} team")
    session.add(team)
    session.flush()
    states = {}
    for position, state_type in enumerate(STATE_TYPES):
        state = LinearWorkflowState(
            external_id=f"{key}-state-{state_type}",
            team_id=team.id,
            name=state_type.title(),
            type=state_type,
            position=float(position),
        )
        session.add(state)
        states[state_type] = state
    session.flush()
    return Workspace(team, states)


def make_cycle(
    session: Session,
    workspace: Workspace,
    number: int,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> LinearCycle:
    cycle = LinearCycle(
        external_id=f"{workspace.team.key}-cycle-{number}",
        team_id=workspace.team.id,
        number=number,
        name=f"Cycle {number}",
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.add(cycle)
    session.flush()
    workspace.cycles.append(cycle)
    return cycle


@dataclass(frozen=True)
class Move:
    """A history entry: a move to a state type and/or a cycle (`cycle=0` leaves the cycle)."""

    at: datetime
    state: str | None = None
    cycle: LinearCycle | int | None = None


def make_linear_issue(
    session: Session,
    workspace: Workspace,
    *,
    created_at: datetime,
    state: str = "backlog",
    cycle: LinearCycle | None = None,
    moves: Iterable[Move] = (),
    estimate: float | None = None,
    labels: list[str] | None = None,
    **overrides: Any,
) -> LinearIssue:
    """An issue created in `state` (and `cycle`), then moved as `moves` say. Its current
    state and cycle are the last ones the moves reach."""
    number = next(_sequence)
    moves = sorted(moves, key=lambda m: m.at)
    current_state, current_cycle = state, cycle
    entries = []
    for index, move in enumerate(moves):
        entry = LinearIssueHistory(
            external_id=f"history-{number}-{index}", at=move.at, actor_external_id=None
        )
        if move.state is not None:
            entry.from_state_external_id = workspace.states[current_state].external_id
            entry.to_state_external_id = workspace.states[move.state].external_id
            current_state = move.state
        if move.cycle is not None:
            target = move.cycle if isinstance(move.cycle, LinearCycle) else None
            entry.from_cycle_external_id = current_cycle.external_id if current_cycle else None
            entry.to_cycle_external_id = target.external_id if target else None
            current_cycle = target
        entries.append(entry)
    last_change = moves[-1].at if moves else created_at
    identifier = f"{workspace.team.key}-{number}"
    issue = Issue(
        source="linear",
        external_id=f"linear-issue-{number}",
        number=number,
        title=f"Issue {identifier}",
        url=f"https://linear.example/{identifier}",
        state="closed" if current_state in ("completed", "canceled") else "open",
        state_reason={"completed": "completed", "canceled": "not_planned"}.get(current_state),
        labels=labels or [],
        created_at=created_at,
        updated_at=last_change,
        closed_at=last_change if current_state in ("completed", "canceled") else None,
    )
    session.add(issue)
    session.flush()
    values: dict[str, Any] = {
        "external_id": f"linear-issue-{number}",
        "issue_id": issue.id,
        "identifier": identifier,
        "number": number,
        "title": issue.title,
        "url": issue.url,
        "team_id": workspace.team.id,
        "state_id": workspace.states[current_state].id,
        "cycle_id": current_cycle.id if current_cycle else None,
        "estimate": estimate,
        "label_ids": [],
        "created_at": created_at,
        "updated_at": last_change,
        "history_complete": True,
        "is_canceled": current_state == "canceled",
    }
    values.update(overrides)
    linear_issue = LinearIssue(**values)
    session.add(linear_issue)
    session.flush()
    for entry in entries:
        entry.issue_id = linear_issue.id
        session.add(entry)
    session.flush()
    return linear_issue
