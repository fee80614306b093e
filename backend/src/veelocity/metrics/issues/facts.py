"""Loading the issues' history as plain facts for the replayed figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from veelocity.metrics.issues.timeline import Change, IssueFacts, build_timeline
from veelocity.models import LinearCycle, LinearIssue, LinearIssueHistory, LinearWorkflowState


def state_types(session: Session) -> dict[str, str]:
    """Linear state id → state type, archived states included (the history still names them)."""
    return dict(
        session.execute(select(LinearWorkflowState.external_id, LinearWorkflowState.type)).all()
    )


def load_issue_facts(session: Session, condition: ColumnElement[bool]) -> list[IssueFacts]:
    types = state_types(session)
    rows = session.execute(
        select(
            LinearIssue.id,
            LinearIssue.created_at,
            LinearIssue.estimate,
            LinearIssue.is_canceled,
            LinearWorkflowState.external_id,
            LinearCycle.external_id,
        )
        .outerjoin(LinearWorkflowState, LinearWorkflowState.id == LinearIssue.state_id)
        .outerjoin(LinearCycle, LinearCycle.id == LinearIssue.cycle_id)
        .where(condition)
        .order_by(LinearIssue.id)
    ).all()
    if not rows:
        return []
    history = _changes(session, [row[0] for row in rows])
    return [
        IssueFacts(
            id=issue_id,
            created_at=created_at,
            estimate=estimate,
            is_canceled=bool(is_canceled),
            states=build_timeline(created_at, state, history[issue_id][0]),
            cycles=build_timeline(created_at, cycle, history[issue_id][1]),
            state_types=types,
        )
        for issue_id, created_at, estimate, is_canceled, state, cycle in rows
    ]


_CHUNK = 500


def _changes(
    session: Session, issue_ids: Sequence[int]
) -> dict[int, tuple[list[Change], list[Change]]]:
    """Each issue's state changes and cycle changes, oldest first."""
    found: dict[int, tuple[list[Change], list[Change]]] = defaultdict(lambda: ([], []))
    entry = LinearIssueHistory
    for offset in range(0, len(issue_ids), _CHUNK):
        chunk = issue_ids[offset : offset + _CHUNK]
        for row in session.execute(
            select(
                entry.issue_id,
                entry.at,
                entry.from_state_external_id,
                entry.to_state_external_id,
                entry.from_cycle_external_id,
                entry.to_cycle_external_id,
            )
            .where(
                entry.issue_id.in_(chunk),
                or_(
                    entry.to_state_external_id.is_not(None),
                    entry.from_cycle_external_id.is_not(None),
                    entry.to_cycle_external_id.is_not(None),
                ),
            )
            .order_by(entry.issue_id, entry.at, entry.id)
        ):
            issue_id, at, from_state, to_state, from_cycle, to_cycle = row
            states, cycles = found[issue_id]
            if to_state is not None and to_state != from_state:
                states.append(Change(at, from_state, to_state))
            if from_cycle != to_cycle:
                cycles.append(Change(at, from_cycle, to_cycle))
    return found
