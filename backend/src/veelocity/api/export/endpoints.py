"""Exports: every metric series and the pull-request list, as CSV or JSON."""

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
from veelocity.api.metrics.params import Query_
from veelocity.api.prs.endpoints import Filter, pull_request_out
from veelocity.core.errors import NotFound
from veelocity.core.time import utcnow
from veelocity.metrics.development import DURATIONS, development_metric
from veelocity.metrics.dora import DORA_KEYS, dora_key
from veelocity.models import PullRequest, Repository
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
    rows = [
        {"period_start": p.period_start.isoformat(), "value": p.value, "sample_size": p.sample_size}
        for p in result.series
    ]
    return _respond(slug, format, ["period_start", "value", "sample_size"], rows)


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
