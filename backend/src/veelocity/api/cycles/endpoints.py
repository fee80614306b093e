"""Linear cycles (sprints): the list, and one cycle's figures, burn-up and issues."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from veelocity.api import API_PREFIX
from veelocity.api.deps import CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.issues import schemas
from veelocity.api.issues.refs import issue_refs
from veelocity.core.time import utcnow
from veelocity.metrics.issues.cycle_figures import completion_rate, points
from veelocity.metrics.issues.cycles import cycle_detail, cycle_status, list_cycles
from veelocity.models import LinearCycle, LinearTeam

router = APIRouter(
    prefix=f"{API_PREFIX}/cycles",
    tags=["issues"],
    responses={
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)


def _cycle_out(cycle: LinearCycle, team: LinearTeam, now: datetime) -> dict[str, Any]:
    return {
        "id": cycle.id,
        "linear_team_id": team.id,
        "team_key": team.key,
        "team_name": team.name,
        "number": cycle.number,
        "name": cycle.name,
        "starts_at": cycle.starts_at,
        "ends_at": cycle.ends_at,
        "completed_at": cycle.completed_at,
        "status": cycle_status(cycle, now),
    }


@router.get(
    "",
    summary="Cycles (sprints) per Linear team: number, name, dates, current, past or upcoming",
    description="By team name, then newest first. A cycle without dates is listed as "
    "`undated` and has no figures.",
)
def cycles(
    session: DbSession,
    _: CurrentUser,
    linear_team_id: Annotated[RowId | None, Query(description="Only this Linear team.")] = None,
) -> list[schemas.CycleOut]:
    now = utcnow()
    return [
        schemas.CycleOut(**_cycle_out(cycle, team, now))
        for cycle, team in list_cycles(session, linear_team_id=linear_team_id)
    ]


@router.get(
    "/{cycle_id}",
    summary="One cycle: committed, added, removed, completed, carried over, burn-up and issues",
    description="Committed = in the cycle at its start; added = joined after; removed = in it "
    "during the cycle but not at its end; completed = completed while in it within its dates; "
    "carried over = in it at its end and not completed; completion rate = completed ÷ "
    "(committed + added − removed); the same in estimate points (current estimates). Cancelled "
    "issues are left out. For the current cycle, the figures so far.",
)
def cycle(cycle_id: RowId, session: DbSession, _: CurrentUser) -> schemas.CycleDetailOut:
    now = utcnow()
    detail = cycle_detail(session, cycle_id, now=now)
    figures = detail.figures
    empty = schemas.CycleIssuesOut(
        committed=[], added=[], removed=[], completed=[], carried_over=[]
    )
    if figures is None:
        return schemas.CycleDetailOut(
            **_cycle_out(detail.cycle, detail.team, now),
            figures=None,
            burn_up=[],
            issues=empty,
        )
    refs = issue_refs(session, {*figures.committed, *figures.added, *figures.removed})

    def listed(issue_ids: list[int]) -> list[schemas.CycleIssueOut]:
        return sorted((refs[i][0] for i in issue_ids if i in refs), key=lambda r: r.identifier)

    e = detail.estimates
    committed, added, removed = (
        points(figures.committed, e),
        points(figures.added, e),
        points(figures.removed, e),
    )
    completed = points(figures.completed, e)
    return schemas.CycleDetailOut(
        **_cycle_out(detail.cycle, detail.team, now),
        figures=schemas.CycleFiguresOut(
            committed=len(figures.committed),
            added=len(figures.added),
            removed=len(figures.removed),
            completed=len(figures.completed),
            carried_over=len(figures.carried_over),
            completion_rate=completion_rate(
                len(figures.completed),
                len(figures.committed),
                len(figures.added),
                len(figures.removed),
            ),
            committed_points=committed,
            added_points=added,
            removed_points=removed,
            completed_points=completed,
            carried_over_points=points(figures.carried_over, e),
            completion_rate_points=completion_rate(completed, committed, added, removed),
        ),
        burn_up=[schemas.BurnUpPointOut(**vars(p)) for p in detail.burn_up],
        issues=schemas.CycleIssuesOut(
            committed=listed(figures.committed),
            added=listed(figures.added),
            removed=listed(figures.removed),
            completed=listed(figures.completed),
            carried_over=listed(figures.carried_over),
        ),
    )
