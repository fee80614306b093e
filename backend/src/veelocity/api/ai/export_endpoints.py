"""Exports of the AI figures and the PRs behind them, as CSV or JSON; the privacy floor
applies (a suppressed scope exports no rows)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.export.endpoints import MAX_EXPORT_ROWS, Format
from veelocity.api.export.endpoints import _respond as respond
from veelocity.api.export.endpoints import router as export_router
from veelocity.api.metrics.params import Query_
from veelocity.metrics.ai.pull_requests import AiPrFilter, Assisted, ai_pull_request_page
from veelocity.metrics.ai.report import adoption_report, cohort_report, scope_floor

router = APIRouter(
    prefix=f"{API_PREFIX}/export/ai", tags=["export"], responses=export_router.responses
)

ADOPTION_COLUMNS = [
    "period_start",
    "people",
    "active_users",
    "accepted_lines",
    "spend_cents",
    "merged_prs",
    "assisted_prs",
    "reviewed_prs",
    "prs_known",
    "ai_share",
    "review_coverage",
]
COHORT_COLUMNS = [
    "cohort",
    "measure",
    "ai_count",
    "other_count",
    "ai_value",
    "other_value",
    "difference",
    "interval_low",
    "interval_high",
    "reason",
]
PR_COLUMNS = [
    "id",
    "repository",
    "number",
    "title",
    "url",
    "author",
    "merged_at",
    "assisted",
    "evidence",
    "ai_share",
    "reviewed",
    "review_bot",
    "reviewed_at",
    "reviewed_before_merge",
]


@router.get("/adoption", summary="AI adoption per period of the window, as CSV or JSON")
def export_adoption(
    session: DbSession, context: Context, query: Query_, _: CurrentUser, format: Format = Format.CSV
) -> StreamingResponse:
    report = adoption_report(session, query, context.settings.min_group_size)
    rows = [{"period_start": p.period_start, **vars(p.figures)} for p in report.series if p.figures]
    return respond("ai-adoption", format, ADOPTION_COLUMNS, rows)


@router.get("/cohorts", summary="The AI cohort comparisons, one row per measure")
def export_cohorts(
    session: DbSession, context: Context, query: Query_, _: CurrentUser, format: Format = Format.CSV
) -> StreamingResponse:
    report = cohort_report(session, query, context.settings.min_group_size)
    rows = [
        {"cohort": c.name, "measure": m.measure, **vars(m.comparison)}
        for c in report.cohorts
        for m in c.measures
    ]
    return respond("ai-cohorts", format, COHORT_COLUMNS, rows)


@router.get("/pull-requests", summary="The merged PRs with their AI facts, as CSV or JSON")
def export_pull_requests(
    session: DbSession,
    context: Context,
    query: Query_,
    _: CurrentUser,
    assisted: Annotated[Assisted | None, Query(description="high, low, none or any.")] = None,
    reviewed: Annotated[bool | None, Query(description="AI-reviewed or not.")] = None,
    format: Format = Format.CSV,
) -> StreamingResponse:
    rows: list[dict[str, Any]] = []
    if scope_floor(session, query, context.settings.min_group_size) is None:
        items, _next = ai_pull_request_page(
            session,
            query,
            AiPrFilter(assisted=assisted, reviewed=reviewed),
            page_size=MAX_EXPORT_ROWS,
            cursor=None,
        )
        for pr, repository, ai in items:
            rows.append(
                {
                    "id": pr.id,
                    "repository": repository,
                    "number": pr.number,
                    "title": pr.title,
                    "url": pr.url,
                    "author": pr.author_login,
                    "merged_at": pr.merged_at,
                    "assisted": ai.assisted if ai else None,
                    "evidence": "; ".join(
                        f"{e['kind']}: {e['detail']}" for e in (ai.evidence if ai else [])
                    ),
                    "ai_share": ai.ai_share if ai else None,
                    "reviewed": ai.reviewed if ai else None,
                    "review_bot": ai.review_bot if ai else None,
                    "reviewed_at": ai.reviewed_at if ai else None,
                    "reviewed_before_merge": ai.reviewed_before_merge if ai else None,
                }
            )
    return respond("ai-pull-requests", format, PR_COLUMNS, rows)
