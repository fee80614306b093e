"""Short references to issues, for the lists behind a figure (a cycle's, a day's)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.api.issues import schemas
from veelocity.models import LinearIssue, LinearWorkflowState


def issue_refs(
    session: Session, ids: Collection[int]
) -> dict[int, tuple[schemas.CycleIssueOut, datetime]]:
    """Each issue's reference and its creation, by id."""
    if not ids:
        return {}
    return {
        issue.id: (
            schemas.CycleIssueOut(
                id=issue.id,
                identifier=issue.identifier,
                title=issue.title,
                url=issue.url,
                estimate=issue.estimate,
                state=schemas.StateOut(name=name, type=state_type) if issue.state_id else None,
            ),
            issue.created_at,
        )
        for issue, name, state_type in session.execute(
            select(LinearIssue, LinearWorkflowState.name, LinearWorkflowState.type)
            .outerjoin(LinearWorkflowState, LinearWorkflowState.id == LinearIssue.state_id)
            .where(LinearIssue.id.in_(list(ids)))
        )
    }
