"""The issue explorer: Linear issues filtered, sorted and keyset-paged, and one issue's detail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from veelocity.api import API_PREFIX
from veelocity.api.deps import CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import BigRowId, RowId
from veelocity.api.issues import schemas
from veelocity.api.issues.params import IssueQuery_
from veelocity.api.prs.schemas import DeploymentOut
from veelocity.core.time import utcnow
from veelocity.metrics.issues.detail import IssueDetail, StateRef, issue_detail
from veelocity.metrics.issues.explorer import IssueFilter, IssueRow, IssueSortKey, list_issues
from veelocity.models import Deployment
from veelocity.prs.explorer import Order

router = APIRouter(
    prefix=f"{API_PREFIX}/issues",
    tags=["issues"],
    responses={
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)

MAX_PAGE_SIZE = 100
STATE_TYPE_PATTERN = "^(triage|backlog|unstarted|started|completed|canceled)$"


def _day_start(day: date | None, *, after: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if after else day, time.min, tzinfo=UTC)


def issue_filter(
    scope: IssueQuery_,
    created_from: Annotated[date | None, Query(description="Created on or after this day.")] = None,
    created_until: Annotated[
        date | None, Query(description="Created on or before this day.")
    ] = None,
    completed_from: Annotated[
        date | None, Query(description="Completed on or after this day.")
    ] = None,
    completed_until: Annotated[
        date | None, Query(description="Completed on or before this day.")
    ] = None,
    updated_from: Annotated[date | None, Query(description="Updated on or after this day.")] = None,
    updated_until: Annotated[
        date | None, Query(description="Updated on or before this day.")
    ] = None,
    state_type: Annotated[
        list[Annotated[str, Query(pattern=STATE_TYPE_PATTERN)]] | None,
        Query(max_length=6, description="Only issues now in a state of these types (repeatable)."),
    ] = None,
    assignee_id: Annotated[
        RowId | None, Query(description="Only this Linear user's issues.")
    ] = None,
    label: Annotated[
        str | None, Query(max_length=200, description="Only issues with this label.")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Search the title, or an identifier (ENG-123)."),
    ] = None,
) -> IssueFilter:
    return IssueFilter(
        scope=scope,
        created_from=_day_start(created_from),
        created_until=_day_start(created_until, after=True),
        completed_from=_day_start(completed_from),
        completed_until=_day_start(completed_until, after=True),
        updated_from=_day_start(updated_from),
        updated_until=_day_start(updated_until, after=True),
        state_types=frozenset(state_type) if state_type else None,
        assignee_id=assignee_id,
        label=label.strip() if label and label.strip() else None,
        search=q.strip() if q and q.strip() else None,
    )


IssueFilter_ = Annotated[IssueFilter, Depends(issue_filter)]


def _state(ref: StateRef | None) -> schemas.StateOut | None:
    return schemas.StateOut(name=ref.name, type=ref.type) if ref else None


def issue_out(row: IssueRow) -> dict[str, Any]:
    issue = row.issue
    return {
        "id": issue.id,
        "identifier": issue.identifier,
        "title": issue.title,
        "url": issue.url,
        "linear_team_id": issue.team_id,
        "team_key": row.team_key,
        "state": (
            schemas.StateOut(name=row.state_name, type=row.state_type)
            if issue.state_id is not None
            else None
        ),
        "project_id": issue.project_id,
        "project": row.project,
        "cycle_id": issue.cycle_id,
        "cycle_number": row.cycle_number,
        "assignee_id": issue.assignee_id,
        "assignee": row.assignee,
        "estimate": issue.estimate,
        "priority": issue.priority,
        "labels": row.labels,
        "created_at": issue.created_at,
        "updated_at": issue.updated_at,
        "started_at": issue.flow_started_at,
        "completed_at": issue.flow_completed_at,
        "is_canceled": issue.is_canceled,
        "lead_seconds": issue.lead_seconds,
        "cycle_seconds": issue.cycle_seconds,
        "deployed_at": issue.deployed_at,
        "to_production_seconds": issue.to_production_seconds,
        "linked_pull_requests": row.linked_pull_requests,
    }


@router.get(
    "",
    summary="Linear issues, filtered and sorted, in keyset-paged order",
    description="Filter by Linear team, project, cycle (issues in it now), state type, "
    "assignee, label, Veelocity team (issues assigned to its members or linked to PRs in its "
    "repositories), repository (through linked PRs), created, completed or updated days, or "
    "search. The window parameters of the metrics are accepted and ignored: pass "
    "`completed_from`/`completed_until` to list what a throughput point counts.",
)
def list_linear_issues(
    session: DbSession,
    _: CurrentUser,
    filters: IssueFilter_,
    sort: IssueSortKey = IssueSortKey.UPDATED_AT,
    order: Order = Order.DESC,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> schemas.IssuePage:
    items, next_cursor = list_issues(
        session, filters, sort=sort, order=order, page_size=page_size, cursor=cursor
    )
    return schemas.IssuePage(
        items=[schemas.IssueOut(**issue_out(row)) for row in items], next_cursor=next_cursor
    )


def deployment_out(deployment: Deployment) -> DeploymentOut:
    return DeploymentOut(
        id=deployment.id,
        source=deployment.source,
        external_id=deployment.external_id,
        environment=deployment.environment,
        status=deployment.status,
        started_at=deployment.started_at,
        finished_at=deployment.finished_at,
        url=deployment.url,
        is_failed=deployment.is_failed,
        failure_reason=deployment.failure_reason,
        is_rework=deployment.is_rework,
        rework_reason=deployment.rework_reason,
    )


def _detail_out(detail: IssueDetail) -> schemas.IssueDetailOut:
    issue = detail.row.issue
    return schemas.IssueDetailOut(
        **issue_out(detail.row),
        history=[
            schemas.HistoryEntryOut(
                at=h.entry.at,
                actor=h.actor,
                from_state=_state(h.from_state),
                to_state=_state(h.to_state),
                from_cycle=schemas.CycleRefOut(**vars(h.from_cycle)) if h.from_cycle else None,
                to_cycle=schemas.CycleRefOut(**vars(h.to_cycle)) if h.to_cycle else None,
                from_estimate=h.entry.from_estimate,
                to_estimate=h.entry.to_estimate,
                from_assignee=h.from_assignee,
                to_assignee=h.to_assignee,
                added_labels=h.added_labels,
                removed_labels=h.removed_labels,
            )
            for h in detail.history
        ],
        time_in_state=[
            schemas.StateTimeOut(
                state=schemas.StateOut(name=t.state.name, type=t.state.type), seconds=t.seconds
            )
            for t in detail.time_in_state
        ],
        time_in_state_type=dict(issue.state_type_seconds or {}),
        links=[
            schemas.LinkedPullRequestOut(
                id=link.pull_request.id,
                number=link.pull_request.number,
                title=link.pull_request.title,
                repository=link.repository,
                url=link.pull_request.url,
                state=link.pull_request.state,
                merged_at=link.pull_request.merged_at,
                deployed_at=link.pull_request.deployed_at,
                evidence=link.evidence,
                detail=link.detail,
            )
            for link in detail.links
        ],
        deployments=[deployment_out(d) for d in detail.deployments],
        to_production=schemas.ToProductionOut(
            total_seconds=issue.to_production_seconds,
            before_pr_seconds=issue.before_pr_seconds,
            pr_cycle_seconds=issue.pr_cycle_seconds,
            deploy_seconds=issue.deploy_seconds,
            deployed_at=issue.deployed_at,
            deployment_id=issue.production_deployment_id,
        ),
    )


@router.get(
    "/{issue_id}",
    summary="One Linear issue: history, time in each state, linked PRs and their deployments",
)
def get_linear_issue(
    issue_id: BigRowId, session: DbSession, _: CurrentUser
) -> schemas.IssueDetailOut:
    return _detail_out(issue_detail(session, issue_id, now=utcnow()))
