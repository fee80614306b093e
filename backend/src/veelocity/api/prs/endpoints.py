"""The pull-request explorer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import BigRowId, RowId
from veelocity.api.prs import schemas
from veelocity.core.time import utcnow
from veelocity.metrics.compute.periods import Period
from veelocity.metrics.issues.detail import linked_issues
from veelocity.metrics.query import team_scope
from veelocity.models import PullRequest, PullRequestAi
from veelocity.prs.explorer import (
    Order,
    PeriodBy,
    PrFilter,
    SortKey,
    in_period,
    list_page,
    pull_request_detail,
    stale_cutoff,
)

router = APIRouter(
    prefix=f"{API_PREFIX}/github/prs",
    tags=["pull requests"],
    responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)

MAX_PAGE_SIZE = 100


def _day_start(day: date | None, *, after: bool = False) -> datetime | None:
    """Midnight UTC of a day (of the next day for an inclusive upper bound)."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if after else day, time.min, tzinfo=UTC)


def pr_filter(
    session: DbSession,
    repo_id: Annotated[
        list[RowId] | None, Query(max_length=500, description="Repositories (repeatable).")
    ] = None,
    author: Annotated[
        list[str] | None, Query(max_length=200, description="Authors (repeatable).")
    ] = None,
    state: Annotated[str | None, Query(pattern="^(open|closed|merged)$")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Search title, branch or #number.")
    ] = None,
    stale: Annotated[bool, Query(description="Only stale open PRs.")] = False,
    merged_from: Annotated[date | None, Query(description="Merged on or after this day.")] = None,
    merged_until: Annotated[date | None, Query(description="Merged on or before this day.")] = None,
    active_from: Annotated[
        date | None,
        Query(
            description="Only PRs open at some time on or after this day: not merged or "
            "closed before it (the PR list's window)."
        ),
    ] = None,
    active_until: Annotated[
        date | None, Query(description="Only PRs opened on or before this day.")
    ] = None,
    include_bots: Annotated[bool, Query(description="Include PRs by bots.")] = True,
    team_id: Annotated[
        RowId | None,
        Query(
            description="Only this team's PRs (its members', or its repositories' when it "
            "has no members), as the metrics count them."
        ),
    ] = None,
    deployed_from: Annotated[
        date | None, Query(description="Deployed on or after this day.")
    ] = None,
    deployed_until: Annotated[
        date | None, Query(description="Deployed on or before this day.")
    ] = None,
    deployment_id: Annotated[
        BigRowId | None, Query(description="Only PRs this deployment shipped.")
    ] = None,
    period_start: Annotated[
        date | None,
        Query(
            description="Only PRs merged (or, with `period_by=deployed`, deployed) in this "
            "period of a series: a series point's `period_start`, with `period`; cut to the "
            "merged or deployed range when one is given."
        ),
    ] = None,
    period: Annotated[Period, Query(description="The period `period_start` starts.")] = Period.WEEK,
    period_by: Annotated[
        PeriodBy,
        Query(
            description="merged (throughput and flow charts) or deployed (lead time, deploy time)."
        ),
    ] = PeriodBy.MERGED,
) -> PrFilter:
    found = PrFilter(
        repository_ids=tuple(repo_id or ()),
        authors=frozenset(author) if author else None,
        state=state,
        search=q.strip() if q and q.strip() else None,
        stale_only=stale,
        merged_from=_day_start(merged_from),
        merged_until=_day_start(merged_until, after=True),
        include_bots=include_bots,
        team=team_scope(session, team_id) if team_id is not None else None,
        deployed_from=_day_start(deployed_from),
        deployed_until=_day_start(deployed_until, after=True),
        deployment_id=deployment_id,
        active_from=_day_start(active_from),
        active_until=_day_start(active_until, after=True),
    )
    return in_period(found, period_start, period, period_by) if period_start else found


Filter = Annotated[PrFilter, Depends(pr_filter)]


def pull_request_out(
    pr: PullRequest, repository: str, *, now: datetime, stale_days: int
) -> dict[str, Any]:
    return {
        "id": pr.id,
        "repository": repository,
        "number": pr.number,
        "title": pr.title,
        "url": pr.url,
        "author": pr.author_login,
        "state": pr.state,
        "is_draft": pr.is_draft,
        "is_stale": pr.state == "open" and pr.updated_at < stale_cutoff(now, stale_days),
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "merged_at": pr.merged_at,
        "deployed_at": pr.deployed_at,
        "size": pr.size,
        "additions": pr.additions,
        "deletions": pr.deletions,
        "phases": schemas.PhasesOut(
            coding_seconds=pr.coding_seconds,
            pickup_seconds=pr.pickup_seconds,
            review_seconds=pr.review_seconds,
            deploy_seconds=pr.deploy_seconds,
        ),
        "cycle_seconds": pr.cycle_seconds,
        "merge_seconds": pr.merge_seconds,
        "lead_time_seconds": pr.lead_time_seconds,
        "is_revert": pr.is_revert,
        "is_hotfix": pr.is_hotfix,
    }


@router.get(
    "",
    summary="Pull requests, filtered and sorted, in keyset-paged order",
    description="Filter by repository, author, team, state, search, merged or deployed days, "
    "the deployment that shipped them, or one period of a series (`period_start` with "
    "`period` and `period_by`): what a throughput, flow or lead-time chart point counts. "
    "The metrics leave bots out; pass `include_bots=false` to list the same PRs.",
    responses={404: {"model": ErrorResponse}},
)
def list_pull_requests(
    session: DbSession,
    context: Context,
    _: CurrentUser,
    filters: Filter,
    sort: SortKey = SortKey.UPDATED_AT,
    order: Order = Order.DESC,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> schemas.PullRequestPage:
    now = utcnow()
    stale_days = context.settings.stale_pr_days
    items, next_cursor = list_page(
        session,
        filters,
        sort=sort,
        order=order,
        page_size=page_size,
        cursor=cursor,
        now=now,
        stale_days=stale_days,
    )
    return schemas.PullRequestPage(
        items=[
            schemas.PullRequestOut(**pull_request_out(pr, repo, now=now, stale_days=stale_days))
            for pr, repo in items
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/{pr_id}",
    summary="One pull request: timeline, phases, deployment and the incidents attributed to it",
    responses={404: {"model": ErrorResponse}},
)
def get_pull_request(
    pr_id: BigRowId, session: DbSession, context: Context, _: CurrentUser
) -> schemas.PullRequestDetailOut:
    detail = pull_request_detail(session, pr_id)
    pr = detail.pull_request
    deployment = detail.deployment
    return schemas.PullRequestDetailOut(
        **pull_request_out(
            pr, detail.repository, now=utcnow(), stale_days=context.settings.stale_pr_days
        ),
        first_commit_at=pr.first_commit_at,
        opened_at=pr.opened_at,
        first_review_at=pr.first_review_at,
        approved_at=pr.approved_at,
        head_branch=pr.head_branch,
        labels=list(pr.labels or []),
        commits=[schemas.CommitOut(sha=c.sha, authored_at=c.authored_at) for c in detail.commits],
        timeline=[
            schemas.TimelineEventOut(
                kind=e.kind, actor=e.actor_login, at=e.at, state=e.state, subject=e.subject_login
            )
            for e in detail.events
        ],
        deployment=(
            schemas.DeploymentOut(
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
            if deployment
            else None
        ),
        incidents=[
            schemas.IncidentOut(
                id=i.id,
                source=i.source,
                external_id=i.external_id,
                title=i.title,
                started_at=i.started_at,
                resolved_at=i.resolved_at,
                url=i.url,
                attribution_reason=i.attribution_reason,
            )
            for i in detail.incidents
        ],
        linked_issues=[
            schemas.LinkedIssueOut(
                id=issue.id,
                identifier=issue.identifier,
                title=issue.title,
                url=issue.url,
                state=state_type,
                evidence=evidence,
            )
            for issue, state_type, evidence in linked_issues(session, pr_id)
        ],
        ai=ai_out(session.get(PullRequestAi, pr_id)),
    )


def ai_out(row: PullRequestAi | None) -> schemas.PullRequestAiOut | None:
    if row is None:
        return None
    return schemas.PullRequestAiOut(
        assisted=row.assisted,
        evidence=[schemas.AiEvidenceOut(**item) for item in row.evidence or []],
        ai_share=row.ai_share,
        ai_lines_added=row.ai_lines_added,
        reviewed=row.reviewed,
        review_bot=row.review_bot,
        reviewed_at=row.reviewed_at,
        reviewed_before_merge=row.reviewed_before_merge,
    )
