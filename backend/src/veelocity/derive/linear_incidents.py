"""The repository a Linear incident is attributed through.

A Linear issue names no repository, so a Linear issue labelled as an incident takes one: the
repository of its earliest linked pull request; else, through the Veelocity team named like
its Linear team (name or key, ignoring case), that team's repository — of several, the one
whose latest successful production deployment before the incident is the latest. Attribution
then works as for a labelled GitHub issue (the latest production deployment of that
repository before the incident started, within the attribution window).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.derive.pull_requests import chunks
from veelocity.models import (
    Deployment,
    Incident,
    IssuePullRequestLink,
    LinearIssue,
    LinearTeam,
    PullRequest,
    Team,
    TeamRepository,
)

LINEAR_SOURCE = "linear"


def _linked_repositories(session: Session, issue_ids: list[int]) -> dict[int, int]:
    """Issue id → the repository of its earliest-opened linked pull request."""
    found: dict[int, int] = {}
    for issue_id, repository_id in session.execute(
        select(LinearIssue.issue_id, PullRequest.repository_id)
        .join(IssuePullRequestLink, IssuePullRequestLink.linear_issue_id == LinearIssue.id)
        .join(PullRequest, PullRequest.id == IssuePullRequestLink.pull_request_id)
        .where(LinearIssue.issue_id.in_(issue_ids))
        .order_by(LinearIssue.issue_id, PullRequest.created_at, PullRequest.id)
    ):
        found.setdefault(issue_id, repository_id)
    return found


def _team_repositories(session: Session, issue_ids: list[int]) -> dict[int, list[int]]:
    """Issue id → the repositories of the Veelocity team named like its Linear team."""
    teams: dict[str, int] = {
        name: team_id for team_id, name in session.execute(select(Team.id, func.lower(Team.name)))
    }
    repositories: dict[int, list[int]] = {}
    for team_id, repository_id in session.execute(
        select(TeamRepository.team_id, TeamRepository.repository_id).order_by(
            TeamRepository.team_id, TeamRepository.repository_id
        )
    ):
        repositories.setdefault(team_id, []).append(repository_id)
    found: dict[int, list[int]] = {}
    for issue_id, name, key in session.execute(
        select(LinearIssue.issue_id, LinearTeam.name, LinearTeam.key)
        .join(LinearTeam, LinearTeam.id == LinearIssue.team_id)
        .where(LinearIssue.issue_id.in_(issue_ids))
    ):
        named = teams.get(name.lower()) or teams.get(key.lower())
        if named is not None and repositories.get(named):
            found[issue_id] = repositories[named]
    return found


def _latest_deployed(
    session: Session, repository_ids: list[int], started_at: datetime, window: timedelta
) -> int | None:
    """Of these repositories, the one with the latest successful production deployment that
    finished before `started_at`, within the window."""
    return session.scalar(
        select(Deployment.repository_id)
        .where(
            Deployment.repository_id.in_(repository_ids),
            Deployment.status == "success",
            Deployment.is_production.is_(True),
            Deployment.finished_at <= started_at,
            Deployment.finished_at >= started_at - window,
        )
        .order_by(Deployment.finished_at.desc(), Deployment.id.desc())
        .limit(1)
    )


def linear_incident_repositories(
    session: Session, started: dict[int, datetime], window: timedelta
) -> dict[int, int]:
    """For Linear issues (`issue.id` → when the incident started), the repository each is
    attributed through; issues with none are left out."""
    ids = list(started)
    if not ids:
        return {}
    found = _linked_repositories(session, ids)
    rest = [issue_id for issue_id in ids if issue_id not in found]
    for issue_id, repository_ids in _team_repositories(session, rest).items():
        if len(repository_ids) == 1:
            found[issue_id] = repository_ids[0]
            continue
        chosen = _latest_deployed(session, repository_ids, started[issue_id], window)
        if chosen is not None:
            found[issue_id] = chosen
    return found


def linear_incident_issue_ids(session: Session) -> set[int]:
    """Linear issues that are incidents now: a new deployment may change which of their
    team's repositories they are attributed through."""
    return {
        issue_id
        for issue_id in session.scalars(
            select(Incident.issue_id).where(Incident.source == LINEAR_SOURCE + "_issue")
        )
        if issue_id is not None
    }


def issue_ids_of(session: Session, linear_issue_ids: Iterable[int]) -> set[int]:
    """The tracker-neutral `issue` rows of these Linear issues."""
    found: set[int] = set()
    for batch in chunks(linear_issue_ids):
        found |= set(session.scalars(select(LinearIssue.issue_id).where(LinearIssue.id.in_(batch))))
    return found
