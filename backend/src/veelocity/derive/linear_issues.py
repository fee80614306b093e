"""Write each Linear issue's flow figures and its issue-to-production time.

The maths is in `linear_flow`; this module reads the facts in batches and writes the derived
columns of `linear_issue` (docs/linear.md, "How each figure is derived").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id
from veelocity.derive.linear_flow import (
    IssueFacts,
    LinkedPullRequest,
    StateMove,
    compute_flow,
    compute_to_production,
)
from veelocity.derive.pull_requests import chunks
from veelocity.models import (
    IssuePullRequestLink,
    LinearIssue,
    LinearIssueHistory,
    LinearWorkflowState,
    PullRequest,
)


def _state_types(session: Session) -> tuple[dict[str, str], dict[int, str]]:
    """State types by Linear's state id and by our id (archived states included: the
    history still names them)."""
    by_external: dict[str, str] = {}
    by_id: dict[int, str] = {}
    for state_id, external_id, kind in session.execute(
        select(LinearWorkflowState.id, LinearWorkflowState.external_id, LinearWorkflowState.type)
    ):
        by_external[external_id] = kind
        by_id[state_id] = kind
    return by_external, by_id


def _moves(session: Session, issue_ids: list[int]) -> dict[int, list[StateMove]]:
    moves: dict[int, list[StateMove]] = defaultdict(list)
    for issue_id, at, from_state, to_state in session.execute(
        select(
            LinearIssueHistory.issue_id,
            LinearIssueHistory.at,
            LinearIssueHistory.from_state_external_id,
            LinearIssueHistory.to_state_external_id,
        )
        .where(
            LinearIssueHistory.issue_id.in_(issue_ids),
            LinearIssueHistory.to_state_external_id.is_not(None),
        )
        .order_by(LinearIssueHistory.issue_id, LinearIssueHistory.at, LinearIssueHistory.id)
    ):
        moves[issue_id].append(StateMove(at, from_state, to_state))
    return moves


def _linked_pull_requests(
    session: Session, issue_ids: list[int]
) -> dict[int, list[LinkedPullRequest]]:
    linked: dict[int, list[LinkedPullRequest]] = defaultdict(list)
    for row in session.execute(
        select(
            IssuePullRequestLink.linear_issue_id,
            PullRequest.first_commit_at,
            PullRequest.created_at,
            PullRequest.merged_at,
            PullRequest.deployed_at,
            PullRequest.deployment_id,
        )
        .join(PullRequest, PullRequest.id == IssuePullRequestLink.pull_request_id)
        .where(IssuePullRequestLink.linear_issue_id.in_(issue_ids))
    ):
        linked[row.linear_issue_id].append(
            LinkedPullRequest(
                first_commit_at=row.first_commit_at,
                created_at=row.created_at,
                merged_at=row.merged_at,
                deployed_at=row.deployed_at,
                deployment_id=row.deployment_id,
            )
        )
    return linked


def all_linear_issue_ids(session: Session) -> list[int]:
    return list(session.scalars(select(LinearIssue.id).order_by(LinearIssue.id)))


def derive_linear_issues(session: Session, issue_ids: Iterable[int] | None) -> int:
    """Recompute the flow figures and issue-to-production of these issues (None: all)."""
    if issue_ids is None:
        issue_ids = all_linear_issue_ids(session)
    types, types_by_id = _state_types(session)
    count = 0
    for batch in chunks(issue_ids):
        issues = session.execute(
            select(
                LinearIssue.id,
                LinearIssue.created_at,
                LinearIssue.state_id,
                LinearIssue.started_at,
                LinearIssue.completed_at,
            ).where(LinearIssue.id.in_(batch))
        ).all()
        moves = _moves(session, batch)
        linked = _linked_pull_requests(session, batch)
        rows: list[dict[str, Any]] = []
        seconds_by_type: list[dict[str, Any]] = []
        for issue in issues:
            flow = compute_flow(
                IssueFacts(
                    created_at=issue.created_at,
                    current_type=types_by_id.get(issue.state_id or 0),
                    moves=moves.get(issue.id, []),
                    reported_started_at=issue.started_at,
                    reported_completed_at=issue.completed_at,
                ),
                types,
            )
            production = compute_to_production(
                created_at=issue.created_at,
                started_at=flow.started_at,
                prs=linked.get(issue.id, []),
            )
            # cancelled issues leave every flow figure (metrics.md); their facts stay
            counted = not flow.is_canceled
            rows.append(
                {
                    "id": issue.id,
                    "flow_started_at": flow.started_at,
                    "flow_completed_at": flow.completed_at,
                    "is_canceled": flow.is_canceled,
                    "lead_seconds": flow.lead_seconds,
                    "cycle_seconds": flow.cycle_seconds,
                    "production_deployment_id": production.deployment_id,
                    "deployed_at": production.deployed_at,
                    "to_production_seconds": production.seconds if counted else None,
                    "before_pr_seconds": production.before_pr_seconds if counted else None,
                    "pr_cycle_seconds": production.pr_cycle_seconds if counted else None,
                    "deploy_seconds": production.deploy_seconds if counted else None,
                }
            )
            seconds_by_type.append({"_id": issue.id, "_seconds": flow.state_type_seconds})
        update_by_id(session, LinearIssue.__table__, rows)
        if seconds_by_type:
            session.connection().execute(
                update(LinearIssue)
                .where(LinearIssue.id == bindparam("_id"))
                .values(state_type_seconds=bindparam("_seconds")),
                seconds_by_type,
            )
        count += len(rows)
    return count
