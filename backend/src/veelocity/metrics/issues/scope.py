"""Which issues a question covers: a Linear team, project or cycle, a Veelocity team, or
repositories (through the pull requests linked to the issues).

A Veelocity team's issues are those assigned to one of its members (a Linear user matched to
the member's developer) or linked to a pull request in one of the team's repositories; an
author's, those assigned to the Linear user matched to that developer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from veelocity.core.errors import NotFound
from veelocity.metrics.query import MetricQuery
from veelocity.models import (
    Developer,
    IssuePullRequestLink,
    LinearCycle,
    LinearIssue,
    LinearProject,
    LinearTeam,
    LinearUser,
    PullRequest,
    Team,
    TeamMember,
    TeamRepository,
)


@dataclass(frozen=True)
class IssueQuery:
    """A metric query (window, period, statistic, team, repositories) and the Linear scopes."""

    metric: MetricQuery
    linear_team_id: int | None = None
    project_id: int | None = None
    cycle_id: int | None = None


def linked_to_repositories(repository_ids: object) -> ColumnElement[bool]:
    linked = (
        select(IssuePullRequestLink.linear_issue_id)
        .join(PullRequest, PullRequest.id == IssuePullRequestLink.pull_request_id)
        .where(PullRequest.repository_id.in_(repository_ids))  # type: ignore[arg-type]
    )
    return LinearIssue.id.in_(linked)


def assigned_to_team(team_id: int) -> ColumnElement[bool]:
    members = (
        select(LinearUser.id)
        .join(TeamMember, TeamMember.developer_id == LinearUser.developer_id)
        .where(TeamMember.team_id == team_id)
    )
    return LinearIssue.assignee_id.in_(members)


def assigned_to_developer(login: str) -> ColumnElement[bool]:
    """Assigned to the Linear user matched to this developer."""
    users = (
        select(LinearUser.id)
        .join(Developer, Developer.id == LinearUser.developer_id)
        .where(Developer.login == login)
    )
    return LinearIssue.assignee_id.in_(users)


def team_issues(session: Session, team_id: int) -> ColumnElement[bool]:
    """Assigned to a member, or linked to a PR in one of the team's repositories."""
    if session.get(Team, team_id) is None:
        raise NotFound("No such team.")
    repositories = select(TeamRepository.repository_id).where(TeamRepository.team_id == team_id)
    return or_(assigned_to_team(team_id), linked_to_repositories(repositories))


def check_exists(session: Session, query: IssueQuery) -> None:
    for model, row_id, what in (
        (LinearTeam, query.linear_team_id, "Linear team"),
        (LinearProject, query.project_id, "project"),
        (LinearCycle, query.cycle_id, "cycle"),
    ):
        if row_id is not None and session.get(model, row_id) is None:
            raise NotFound(f"No such {what}.")


def issue_scope(session: Session, query: IssueQuery) -> ColumnElement[bool]:
    """The condition on `linear_issue` for the issues in scope (raises NotFound for an
    unknown team, Linear team, project or cycle)."""
    check_exists(session, query)
    conditions: list[ColumnElement[bool]] = []
    if query.linear_team_id is not None:
        conditions.append(LinearIssue.team_id == query.linear_team_id)
    if query.project_id is not None:
        conditions.append(LinearIssue.project_id == query.project_id)
    if query.cycle_id is not None:
        conditions.append(LinearIssue.cycle_id == query.cycle_id)
    if query.metric.team_id is not None:
        conditions.append(team_issues(session, query.metric.team_id))
    if query.metric.repository_ids:
        conditions.append(linked_to_repositories(query.metric.repository_ids))
    if query.metric.author is not None:
        conditions.append(assigned_to_developer(query.metric.author))
    return and_(true(), *conditions)
