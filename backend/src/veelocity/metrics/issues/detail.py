"""One issue: its history with names resolved, time in each state, linked pull requests and
the deployments that shipped them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.errors import NotFound
from veelocity.metrics.issues.explorer import IssueFilter, IssueRow, issue_rows_query, to_row
from veelocity.metrics.issues.facts import load_issue_facts
from veelocity.metrics.issues.scope import IssueQuery
from veelocity.metrics.issues.timeline import seconds_in_each
from veelocity.metrics.query import MetricQuery
from veelocity.models import (
    Deployment,
    IssuePullRequestLink,
    LinearCycle,
    LinearIssue,
    LinearIssueHistory,
    LinearLabel,
    LinearUser,
    LinearWorkflowState,
    PullRequest,
    Repository,
)


@dataclass(frozen=True)
class StateRef:
    name: str | None
    type: str | None


@dataclass(frozen=True)
class CycleRef:
    id: int | None
    number: int | None
    name: str | None


@dataclass(frozen=True)
class HistoryItem:
    entry: LinearIssueHistory
    actor: str | None
    from_state: StateRef | None
    to_state: StateRef | None
    from_cycle: CycleRef | None
    to_cycle: CycleRef | None
    from_assignee: str | None
    to_assignee: str | None
    added_labels: list[str]
    removed_labels: list[str]


@dataclass(frozen=True)
class StateTime:
    state: StateRef
    seconds: int


@dataclass(frozen=True)
class LinkedPullRequest:
    pull_request: PullRequest
    repository: str
    evidence: str
    detail: str | None


@dataclass(frozen=True)
class IssueDetail:
    row: IssueRow
    history: list[HistoryItem]
    time_in_state: list[StateTime]
    links: list[LinkedPullRequest]
    deployments: list[Deployment]


def _names(
    session: Session, model: type[LinearUser] | type[LinearLabel], ids: set[str]
) -> dict[str, str]:
    if not ids:
        return {}
    if model is LinearUser:
        rows = session.execute(
            select(LinearUser.external_id, LinearUser.display_name, LinearUser.name).where(
                LinearUser.external_id.in_(ids)
            )
        )
        return {external_id: display or name for external_id, display, name in rows}
    return dict(
        session.execute(
            select(LinearLabel.external_id, LinearLabel.name).where(
                LinearLabel.external_id.in_(ids)
            )
        ).all()
    )


def _history(session: Session, issue_id: int) -> list[HistoryItem]:
    entries = list(
        session.scalars(
            select(LinearIssueHistory)
            .where(LinearIssueHistory.issue_id == issue_id)
            .order_by(LinearIssueHistory.at, LinearIssueHistory.id)
        )
    )
    states = {
        s.external_id: StateRef(s.name, s.type)
        for s in session.scalars(select(LinearWorkflowState))
    }
    cycle_ids = {
        c for e in entries for c in (e.from_cycle_external_id, e.to_cycle_external_id) if c
    }
    cycles = (
        {
            c.external_id: CycleRef(c.id, c.number, c.name)
            for c in session.scalars(
                select(LinearCycle).where(LinearCycle.external_id.in_(cycle_ids))
            )
        }
        if cycle_ids
        else {}
    )
    users = _names(
        session,
        LinearUser,
        {
            u
            for e in entries
            for u in (e.actor_external_id, e.from_assignee_external_id, e.to_assignee_external_id)
            if u
        },
    )
    labels = _names(
        session,
        LinearLabel,
        {i for e in entries for i in [*e.added_label_ids, *e.removed_label_ids]},
    )

    def state(external_id: str | None) -> StateRef | None:
        return states.get(external_id, StateRef(None, None)) if external_id else None

    def cycle(external_id: str | None) -> CycleRef | None:
        return cycles.get(external_id, CycleRef(None, None, None)) if external_id else None

    return [
        HistoryItem(
            entry=e,
            actor=users.get(e.actor_external_id) if e.actor_external_id else None,
            from_state=state(e.from_state_external_id),
            to_state=state(e.to_state_external_id),
            from_cycle=cycle(e.from_cycle_external_id),
            to_cycle=cycle(e.to_cycle_external_id),
            from_assignee=users.get(e.from_assignee_external_id or ""),
            to_assignee=users.get(e.to_assignee_external_id or ""),
            added_labels=[labels.get(i, i) for i in e.added_label_ids or []],
            removed_labels=[labels.get(i, i) for i in e.removed_label_ids or []],
        )
        for e in entries
    ]


def _time_in_state(session: Session, issue: LinearIssue, now: datetime) -> list[StateTime]:
    """Seconds in each state from creation until now (or until it was completed or cancelled)."""
    facts = load_issue_facts(session, LinearIssue.id == issue.id)
    if not facts:
        return []
    until = issue.flow_completed_at or issue.canceled_at or now
    states = {
        s.external_id: StateRef(s.name, s.type)
        for s in session.scalars(select(LinearWorkflowState))
    }
    spent = seconds_in_each(facts[0].states, max(until, issue.created_at))
    return [
        StateTime(
            states.get(state, StateRef(None, None)) if state else StateRef(None, None), seconds
        )
        for state, seconds in spent.items()
    ]


def issue_detail(session: Session, issue_id: int, *, now: datetime) -> IssueDetail:
    no_scope = IssueFilter(scope=IssueQuery(metric=MetricQuery(start=now, end=now)))
    found = session.execute(
        issue_rows_query(session, no_scope).where(LinearIssue.id == issue_id)
    ).first()
    if found is None:
        raise NotFound("No such issue.")
    row = to_row(found)
    links = [
        LinkedPullRequest(pr, repository, evidence, detail)
        for pr, repository, evidence, detail in session.execute(
            select(
                PullRequest,
                Repository.full_name,
                IssuePullRequestLink.evidence,
                IssuePullRequestLink.detail,
            )
            .join(IssuePullRequestLink, IssuePullRequestLink.pull_request_id == PullRequest.id)
            .join(Repository, Repository.id == PullRequest.repository_id)
            .where(IssuePullRequestLink.linear_issue_id == issue_id)
            .order_by(PullRequest.created_at, PullRequest.id)
        )
    ]
    deployment_ids = {
        link.pull_request.deployment_id for link in links if link.pull_request.deployment_id
    }
    deployments = (
        list(
            session.scalars(
                select(Deployment)
                .where(Deployment.id.in_(deployment_ids))
                .order_by(Deployment.finished_at, Deployment.id)
            )
        )
        if deployment_ids
        else []
    )
    return IssueDetail(
        row,
        _history(session, issue_id),
        _time_in_state(session, row.issue, now),
        links,
        deployments,
    )


def linked_issues(
    session: Session, pull_request_id: int
) -> list[tuple[LinearIssue, str | None, str]]:
    """The issues a pull request is linked to: (issue, state type, evidence)."""
    rows = session.execute(
        select(LinearIssue, LinearWorkflowState.type, IssuePullRequestLink.evidence)
        .join(IssuePullRequestLink, IssuePullRequestLink.linear_issue_id == LinearIssue.id)
        .outerjoin(LinearWorkflowState, LinearWorkflowState.id == LinearIssue.state_id)
        .where(IssuePullRequestLink.pull_request_id == pull_request_id)
        .order_by(LinearIssue.identifier)
    ).all()
    return [(issue, state_type, evidence) for issue, state_type, evidence in rows]
