"""Cycles (sprints): the list per Linear team, and one cycle's figures, burn-up and the issues
behind each figure. A cycle without dates is listed but has no figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from veelocity.core.errors import NotFound
from veelocity.metrics.issues.cycle_figures import (
    BurnUpPoint,
    CycleDates,
    CycleFigures,
    burn_up,
    cycle_figures,
)
from veelocity.metrics.issues.facts import load_issue_facts
from veelocity.models import LinearCycle, LinearIssue, LinearIssueHistory, LinearTeam


def cycle_status(cycle: LinearCycle, now: datetime) -> str:
    """current, past or upcoming by its dates; undated without them."""
    if cycle.starts_at is None or cycle.ends_at is None:
        return "undated"
    if now < cycle.starts_at:
        return "upcoming"
    if now >= cycle.ends_at:
        return "past"
    return "current"


def list_cycles(
    session: Session, *, linear_team_id: int | None = None
) -> list[tuple[LinearCycle, LinearTeam]]:
    """Cycles with their team, by team name then newest first (undated last)."""
    query = select(LinearCycle, LinearTeam).join(LinearTeam, LinearTeam.id == LinearCycle.team_id)
    if linear_team_id is not None:
        if session.get(LinearTeam, linear_team_id) is None:
            raise NotFound("No such Linear team.")
        query = query.where(LinearCycle.team_id == linear_team_id)
    rows = session.execute(
        query.where(LinearCycle.archived_at.is_(None)).order_by(
            LinearTeam.name, LinearTeam.id, LinearCycle.number.desc(), LinearCycle.id
        )
    ).all()
    return [(cycle, team) for cycle, team in rows]


@dataclass(frozen=True)
class CycleDetail:
    cycle: LinearCycle
    team: LinearTeam
    status: str
    figures: CycleFigures | None
    burn_up: list[BurnUpPoint]
    estimates: dict[int, float | None]


def cycle_detail(session: Session, cycle_id: int, *, now: datetime) -> CycleDetail:
    row = session.execute(
        select(LinearCycle, LinearTeam)
        .join(LinearTeam, LinearTeam.id == LinearCycle.team_id)
        .where(LinearCycle.id == cycle_id)
    ).first()
    if row is None:
        raise NotFound("No such cycle.")
    cycle, team = row
    status = cycle_status(cycle, now)
    if cycle.starts_at is None or cycle.ends_at is None or status == "upcoming":
        return CycleDetail(cycle, team, status, None, [], {})
    mentioned = select(LinearIssueHistory.issue_id).where(
        or_(
            LinearIssueHistory.from_cycle_external_id == cycle.external_id,
            LinearIssueHistory.to_cycle_external_id == cycle.external_id,
        )
    )
    facts = load_issue_facts(
        session, or_(LinearIssue.cycle_id == cycle.id, LinearIssue.id.in_(mentioned))
    )
    dates = CycleDates(cycle.external_id, cycle.starts_at, cycle.ends_at)
    figures = cycle_figures(dates, facts, now=now)
    return CycleDetail(
        cycle,
        team,
        status,
        figures,
        burn_up(dates, facts, figures, now=now),
        {f.id: f.estimate for f in facts},
    )
