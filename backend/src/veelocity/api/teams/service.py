"""Teams: create, read, replace and delete, with their members and repositories."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from veelocity.core.errors import Conflict, InvalidInput, NotFound
from veelocity.models import Developer, Repository, Team, TeamMember, TeamRepository
from veelocity.store import ensure_developers, find_repositories


@dataclass(frozen=True)
class TeamView:
    team: Team
    #: (id, login, name), by login.
    members: list[tuple[int, str, str | None]] = field(default_factory=list)
    #: (id, full_name), by full name.
    repositories: list[tuple[int, str]] = field(default_factory=list)


def _views(session: Session, teams: list[Team]) -> list[TeamView]:
    ids = [team.id for team in teams]
    members: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
    repositories: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ids:
        for team_id, developer_id, login, name in session.execute(
            select(TeamMember.team_id, Developer.id, Developer.login, Developer.name)
            .join(Developer, Developer.id == TeamMember.developer_id)
            .where(TeamMember.team_id.in_(ids))
            .order_by(func.lower(Developer.login))
        ):
            members[team_id].append((developer_id, login, name))
        for team_id, repository_id, full_name in session.execute(
            select(TeamRepository.team_id, Repository.id, Repository.full_name)
            .join(Repository, Repository.id == TeamRepository.repository_id)
            .where(TeamRepository.team_id.in_(ids))
            .order_by(func.lower(Repository.full_name))
        ):
            repositories[team_id].append((repository_id, full_name))
    return [TeamView(team, members[team.id], repositories[team.id]) for team in teams]


def list_teams(session: Session) -> list[TeamView]:
    teams = list(session.scalars(select(Team).order_by(func.lower(Team.name), Team.id)))
    return _views(session, teams)


def get_team(session: Session, team_id: int) -> TeamView:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("No team with this id.")
    return _views(session, [team])[0]


def _check_name_free(session: Session, name: str, team_id: int | None) -> None:
    query = select(Team.id).where(func.lower(Team.name) == name.lower())
    if team_id is not None:
        query = query.where(Team.id != team_id)
    if session.scalar(query) is not None:
        raise Conflict(f"A team named {name!r} already exists.")


def _repository_ids(session: Session, full_names: list[str]) -> list[int]:
    found = find_repositories(session, full_names)
    problems = [
        {
            "loc": ["body", "repositories", index],
            "msg": f"no repository {name!r} is known; repositories come from the GitHub "
            "sync or the ingest API",
            "type": "unknown_repository",
        }
        for index, name in enumerate(full_names)
        if name not in found
    ]
    if problems:
        first = problems[0]
        raise InvalidInput(f"repositories.{first['loc'][2]}: {first['msg']}", details=problems)
    return [found[name] for name in full_names]


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _set_members(session: Session, team_id: int, logins: list[str]) -> None:
    developer_ids = ensure_developers(session, logins)
    session.execute(delete(TeamMember).where(TeamMember.team_id == team_id))
    for developer_id in _unique(developer_ids[login] for login in logins):
        session.add(TeamMember(team_id=team_id, developer_id=developer_id))


def _set_repositories(session: Session, team_id: int, repository_ids: list[int]) -> None:
    session.execute(delete(TeamRepository).where(TeamRepository.team_id == team_id))
    for repository_id in _unique(repository_ids):
        session.add(TeamRepository(team_id=team_id, repository_id=repository_id))


def create_team(
    session: Session,
    *,
    name: str,
    description: str | None,
    members: list[str],
    repositories: list[str],
    now: datetime,
) -> TeamView:
    _check_name_free(session, name, None)
    repository_ids = _repository_ids(session, repositories)
    team = Team(name=name, description=description, created_at=now)
    session.add(team)
    session.flush()
    _set_members(session, team.id, members)
    _set_repositories(session, team.id, repository_ids)
    session.flush()
    return get_team(session, team.id)


def replace_team(
    session: Session,
    team_id: int,
    *,
    name: str,
    description: str | None,
    members: list[str],
    repositories: list[str],
) -> tuple[TeamView, dict[str, Any]]:
    """Replace everything about a team; returns it and what changed (for the audit log)."""
    before = get_team(session, team_id)
    team = before.team
    _check_name_free(session, name, team.id)
    repository_ids = _repository_ids(session, repositories)
    changes: dict[str, Any] = {}
    if team.name != name:
        changes["name"] = {"from": team.name, "to": name}
        team.name = name
    if team.description != description:
        changes["description"] = "changed"
        team.description = description
    _set_members(session, team.id, members)
    _set_repositories(session, team.id, repository_ids)
    session.flush()
    after = get_team(session, team.id)
    _diff(changes, "members", [m[1] for m in before.members], [m[1] for m in after.members])
    _diff(
        changes,
        "repositories",
        [r[1] for r in before.repositories],
        [r[1] for r in after.repositories],
    )
    return after, changes


def _diff(changes: dict[str, Any], what: str, before: list[str], after: list[str]) -> None:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    if added:
        changes[f"{what}_added"] = added
    if removed:
        changes[f"{what}_removed"] = removed


def delete_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("No team with this id.")
    session.execute(delete(TeamMember).where(TeamMember.team_id == team_id))
    session.execute(delete(TeamRepository).where(TeamRepository.team_id == team_id))
    session.delete(team)
    session.flush()
    return team
