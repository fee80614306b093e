"""Reading a generated Linear issue's fields back from its history."""

from __future__ import annotations

from veelocity.demo.linear_model import Issue, LinearWorkspace


def replayed(workspace: LinearWorkspace, issue: Issue) -> dict[str, object]:
    """The issue's fields as its history tells them."""
    state = cycle = estimate = assignee = None
    labels: list[str] = []
    started = completed = canceled = archived = None
    for entry in issue.history:
        if entry.to_state_id is not None:
            assert entry.from_state_id in (None, state), "each move starts where the last ended"
            state = entry.to_state_id
            kind = workspace.state(state).type
            if kind == "started" and started is None:
                started = entry.created_at
            completed = entry.created_at if kind == "completed" else None
            canceled = entry.created_at if kind == "canceled" else None
        if entry.to_cycle_id is not None or entry.from_cycle_id is not None:
            cycle = entry.to_cycle_id
        if entry.to_estimate is not None or entry.from_estimate is not None:
            estimate = entry.to_estimate
        if entry.to_assignee_id is not None or entry.from_assignee_id is not None:
            assignee = entry.to_assignee_id
        removed = set(entry.removed_label_ids or ())
        labels = [i for i in labels if i not in removed] + list(entry.added_label_ids or ())
        if entry.archived:
            archived = entry.created_at
    return {
        "state": state,
        "cycle": cycle,
        "estimate": estimate,
        "assignee": assignee,
        "labels": labels,
        "started_at": started,
        "completed_at": completed,
        "canceled_at": canceled,
        "archived_at": archived,
    }
