"""Which repository a failure reported for a team follows: the team's latest production
deployment before the failure started. Used when a failure names a team and nothing else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput
from veelocity.models import Deployment, Repository, Team, TeamRepository


def latest_team_deployment_repository(session: Session, team_name: str, before: datetime) -> str:
    """The full name of the repository of TEAM_NAME's latest production deployment that
    finished at or before BEFORE; a clear 422 when the team or such a deployment is missing."""
    team_id = session.scalar(select(Team.id).where(func.lower(Team.name) == team_name.lower()))
    if team_id is None:
        raise InvalidInput(
            f"team: Veelocity has no team named {team_name!r}; create it under People (with "
            "its repositories), or send services or git.repository_url"
        )
    repository = session.scalar(
        select(Repository.full_name)
        .join(Deployment, Deployment.repository_id == Repository.id)
        .join(TeamRepository, TeamRepository.repository_id == Repository.id)
        .where(
            TeamRepository.team_id == team_id,
            Deployment.is_production.is_(True),
            Deployment.finished_at <= before,
        )
        .order_by(Deployment.finished_at.desc(), Deployment.id.desc())
        .limit(1)
    )
    if repository is None:
        raise InvalidInput(
            f"team: the team {team_name!r} has no production deployment in its repositories "
            "before this failure started; send services or git.repository_url"
        )
    return repository
