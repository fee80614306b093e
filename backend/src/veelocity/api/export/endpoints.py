"""Exports: every metric series, the pull-request list, the issue list and the Sentry issue
list, as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.issues.endpoints import IssueFilter_, issue_out
from veelocity.api.issues.params import IssueQuery_
from veelocity.api.metrics.params import Query_
from veelocity.api.prs.endpoints import Filter, pull_request_out
from veelocity.api.sentry.endpoints import issue_out as sentry_issue_out
from veelocity.api.sentry.params import SentryIssueFilter_
from veelocity.core.errors import NotFound
from veelocity.core.time import utcnow
from veelocity.metrics.development import DURATIONS, development_metric
from veelocity.metrics.dora import DORA_KEYS, dora_key
from veelocity.metrics.issues.explorer import issue_rows_query, to_row
from veelocity.metrics.issues.flow import ISSUE_DURATIONS, THROUGHPUT_KEYS, issue_metric
from veelocity.metrics.issues.wip import WIP_KEYS, wip_figures
from veelocity.metrics.results import SeriesPoint
from veelocity.metrics.sentry.issues import list_sentry_issues
from veelocity.metrics.sentry.series import ERROR_EVENTS, NEW_ISSUES, sentry_series
from veelocity.models import LinearIssue, PullRequest, Repository
from veelocity.prs.explorer import filtered

router = APIRouter(
    prefix=f"{API_PREFIX}/export",
    tags=["export"],
    responses={
        200: {
            "description": "CSV with a header row (`format=csv`) or a JSON array of rows.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"type": "object", "additionalProperties": True},
                    }
                },
            },
        },
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    },
)

MAX_EXPORT_ROWS = 200_000


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


def _respond(
    name: str, fmt: Format, columns: list[str], rows: list[dict[str, Any]]
) -> StreamingResponse:
    if fmt is Format.JSON:
        body = json.dumps(rows, default=str)
        return StreamingResponse(
            iter([body]),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/metrics/{slug}", summary="A metric's time series for the window, as CSV or JSON")
def export_metric(
    slug: str,
    session: DbSession,
    query: Query_,
    _: CurrentUser,
    format: Format = Format.CSV,
) -> StreamingResponse:
    if slug in DORA_KEYS:
        result = dora_key(session, slug, query, with_series=True)
    elif slug in DURATIONS or slug == "throughput":
        result = development_metric(session, slug, query, with_series=True)
    else:
        raise NotFound(f"No metric named {slug!r}; see /api/v1/metrics/catalogue.")
    return _series_response(slug, format, result.series)


SERIES_COLUMNS = ["period_start", "value", "sample_size"]


def _series_response(slug: str, fmt: Format, series: list[SeriesPoint]) -> StreamingResponse:
    rows = [
        {"period_start": p.period_start.isoformat(), "value": p.value, "sample_size": p.sample_size}
        for p in series
    ]
    return _respond(slug, fmt, SERIES_COLUMNS, rows)


@router.get(
    "/metrics/issues/{slug}",
    summary="An issue metric's time series for the window, as CSV or JSON",
    description="The issue metrics of the catalogue (issue-lead-time, issues-completed, "
    "work-in-progress, ...), with the same window and scope parameters as "
    "/api/v1/metrics/issues/*.",
)
def export_issue_metric(
    slug: str,
    session: DbSession,
    query: IssueQuery_,
    _: CurrentUser,
    format: Format = Format.CSV,
) -> StreamingResponse:
    if slug in ISSUE_DURATIONS or slug in THROUGHPUT_KEYS:
        series = issue_metric(session, slug, query, with_series=True).series
    elif slug in WIP_KEYS:
        series = next(m for m in wip_figures(session, query).metrics if m.slug == slug).series
    else:
        raise NotFound(f"No issue metric named {slug!r}; see /api/v1/metrics/catalogue.")
    return _series_response(slug, format, series)


@router.get(
    "/metrics/sentry/{slug}",
    summary="Sentry error events or new issues per period for the window, as CSV or JSON",
    description="sentry-error-events or sentry-new-issues, with the same window, scope and "
    "`project_id` parameters as /api/v1/metrics/sentry.",
)
def export_sentry_metric(
    slug: str,
    session: DbSession,
    query: Query_,
    _: CurrentUser,
    project_id: Annotated[
        list[RowId] | None, Query(max_length=200, description="Only these projects (repeatable).")
    ] = None,
    format: Format = Format.CSV,
) -> StreamingResponse:
    if slug not in (ERROR_EVENTS, NEW_ISSUES):
        raise NotFound(f"No Sentry metric named {slug!r}; see /api/v1/metrics/catalogue.")
    found = sentry_series(session, query, frozenset(project_id) if project_id else None)
    return _series_response(slug, format, next(m for m in found.metrics if m.slug == slug).series)


SENTRY_ISSUE_COLUMNS = [
    "id",
    "external_id",
    "short_id",
    "project",
    "title",
    "level",
    "status",
    "environment",
    "first_seen",
    "last_seen",
    "resolved_at",
    "event_count",
    "user_count",
    "first_release",
    "first_release_deployment_id",
    "is_incident",
    "incident_reason",
    "incident_started_at",
    "url",
]


@router.get(
    "/sentry-issues",
    summary="The Sentry issue list (same filters as /api/v1/sentry/issues), as CSV or JSON",
)
def export_sentry_issues(
    session: DbSession,
    _: CurrentUser,
    filters: SentryIssueFilter_,
    format: Format = Format.CSV,
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT_ROWS)] = MAX_EXPORT_ROWS,
) -> StreamingResponse:
    items, _next = list_sentry_issues(session, filters, page_size=limit, cursor=None)
    rows = [sentry_issue_out(row).model_dump(mode="json") for row in items]
    return _respond("sentry-issues", format, SENTRY_ISSUE_COLUMNS, rows)


PR_COLUMNS = [
    "id",
    "repository",
    "number",
    "title",
    "url",
    "author",
    "state",
    "is_draft",
    "created_at",
    "merged_at",
    "deployed_at",
    "size",
    "coding_seconds",
    "pickup_seconds",
    "review_seconds",
    "deploy_seconds",
    "cycle_seconds",
    "merge_seconds",
    "lead_time_seconds",
    "is_revert",
    "is_hotfix",
]


@router.get("/prs", summary="The pull-request list (same filters as the explorer), as CSV or JSON")
def export_prs(
    session: DbSession,
    context: Context,
    _: CurrentUser,
    filters: Filter,
    format: Format = Format.CSV,
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT_ROWS)] = MAX_EXPORT_ROWS,
) -> StreamingResponse:
    now = utcnow()
    stale_days = context.settings.stale_pr_days
    query = (
        filtered(
            select(PullRequest, Repository.full_name).join(
                Repository, Repository.id == PullRequest.repository_id
            ),
            filters,
            now=now,
            stale_days=stale_days,
        )
        .order_by(PullRequest.id)
        .limit(limit)
    )
    rows = []
    for pr, repository in session.execute(query):
        item = pull_request_out(pr, repository, now=now, stale_days=stale_days)
        phases = item.pop("phases")
        item.update(phases.model_dump())
        rows.append(item)
    return _respond("pull-requests", format, PR_COLUMNS, rows)


ISSUE_COLUMNS = [
    "id",
    "identifier",
    "title",
    "url",
    "team_key",
    "state",
    "state_type",
    "project",
    "cycle_number",
    "assignee",
    "estimate",
    "priority",
    "labels",
    "created_at",
    "updated_at",
    "started_at",
    "completed_at",
    "is_canceled",
    "lead_seconds",
    "cycle_seconds",
    "deployed_at",
    "to_production_seconds",
    "linked_pull_requests",
]


@router.get(
    "/issues",
    summary="The Linear issue list (same filters as /api/v1/issues), as CSV or JSON",
)
def export_issues(
    session: DbSession,
    _: CurrentUser,
    filters: IssueFilter_,
    format: Format = Format.CSV,
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT_ROWS)] = MAX_EXPORT_ROWS,
) -> StreamingResponse:
    query = issue_rows_query(session, filters).order_by(LinearIssue.id).limit(limit)
    rows = []
    for found in session.execute(query):
        item = issue_out(to_row(found))
        state = item.pop("state")
        item["state"] = state.name if state else None
        item["state_type"] = state.type if state else None
        item["labels"] = ", ".join(item["labels"]) if format is Format.CSV else item["labels"]
        rows.append(item)
    return _respond("issues", format, ISSUE_COLUMNS, rows)
