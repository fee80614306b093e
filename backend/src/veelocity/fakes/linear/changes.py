"""Changes tests make to a workspace while the fake serves it: the bad input a sync must survive.

Each change moves the affected items' `updatedAt` to the workspace's `now`, as Linear does, so
an incremental sync sees it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from veelocity.demo.linear_model import HistoryEntry, Issue, LinearWorkspace

_NAMESPACE = uuid.UUID("0c7f1f7e-2a8e-4c4b-8d4e-6a1f1a0b9d21")


def _new_id(workspace: LinearWorkspace, kind: str) -> str:
    count = sum(len(i.history) for i in workspace.issues) + len(workspace.issues)
    return str(uuid.uuid5(_NAMESPACE, f"{workspace.id}:{kind}:{count}:{workspace.now.isoformat()}"))


def find_issue(workspace: LinearWorkspace, issue_id: str) -> Issue:
    for issue in workspace.issues:
        if issue.id == issue_id or workspace.identifier(issue) == issue_id:
            return issue
    raise KeyError(issue_id)


def add_history(workspace: LinearWorkspace, issue_id: str, **changes: Any) -> HistoryEntry:
    """Append an IssueHistory entry (from_/to_ pairs as in `HistoryEntry`) and apply its `to_*`.

    `at` sets its time (default: the workspace's now).
    """
    issue = find_issue(workspace, issue_id)
    at: datetime = changes.pop("at", workspace.now)
    entry = HistoryEntry(id=_new_id(workspace, "history"), created_at=at, **changes)
    issue.history.append(entry)
    if entry.to_state_id is not None:
        issue.state_id = entry.to_state_id
        state_type = workspace.state(entry.to_state_id).type
        if state_type == "started" and issue.started_at is None:
            issue.started_at = at
        issue.completed_at = at if state_type == "completed" else None
        issue.canceled_at = at if state_type == "canceled" else None
    if "to_cycle_id" in changes:
        issue.cycle_id = entry.to_cycle_id
    if "to_estimate" in changes:
        issue.estimate = entry.to_estimate
    if "to_assignee_id" in changes:
        issue.assignee_id = entry.to_assignee_id
    if entry.to_priority is not None:
        issue.priority = int(entry.to_priority)
    for label_id in entry.added_label_ids or []:
        if label_id not in issue.label_ids:
            issue.label_ids.append(label_id)
    for label_id in entry.removed_label_ids or []:
        if label_id in issue.label_ids:
            issue.label_ids.remove(label_id)
    if entry.archived:
        issue.archived_at = at
    issue.updated_at = max(issue.updated_at, at)
    return entry


def move_issue(workspace: LinearWorkspace, issue_id: str, team_id: str) -> Issue:
    """Move an issue to another team: a new number (so a new identifier), the target team's
    state of the same type, no cycle, and a history entry with from/to team and state."""
    issue = find_issue(workspace, issue_id)
    source, target = workspace.team(issue.team_id), workspace.team(team_id)
    state_type = workspace.state(issue.state_id).type
    target_state = next(
        (s for s in target.states if s.type == state_type and s.archived_at is None),
        target.states[0],
    )
    number = 1 + max((i.number for i in workspace.issues if i.team_id == target.id), default=0)
    entry = HistoryEntry(
        id=_new_id(workspace, "move"),
        created_at=workspace.now,
        from_team_id=source.id,
        to_team_id=target.id,
        from_state_id=issue.state_id,
        to_state_id=target_state.id,
        from_cycle_id=issue.cycle_id,
        to_cycle_id=None,
    )
    issue.history.append(entry)
    issue.team_id, issue.number, issue.state_id, issue.cycle_id = (
        target.id,
        number,
        target_state.id,
        None,
    )
    issue.branch_name = issue.branch_name.replace(
        f"{source.key.lower()}-", f"{target.key.lower()}-", 1
    )
    issue.updated_at = workspace.now
    return issue


def rename_state(workspace: LinearWorkspace, state_id: str, name: str) -> None:
    state = workspace.state(state_id)
    state.name = name
    state.updated_at = workspace.now


def archive_state(workspace: LinearWorkspace, state_id: str) -> None:
    """Delete a workflow state as Linear does: archived, hidden unless `includeArchived`."""
    state = workspace.state(state_id)
    state.archived_at = state.updated_at = workspace.now


def delete_team(workspace: LinearWorkspace, team_id: str) -> None:
    """Delete a team with its issues: neither is served any more, even archived."""
    workspace.team(team_id)
    workspace.teams = [t for t in workspace.teams if t.id != team_id]
    workspace.issues = [i for i in workspace.issues if i.team_id != team_id]
