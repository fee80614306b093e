"""Starting, following and cancelling syncs. Anyone signed in reads; admins start and cancel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, status

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, Context, CurrentUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.ids import RowId
from veelocity.api.sync.schemas import (
    RunPageOut,
    SourceSyncOut,
    SyncRequest,
    SyncRunOut,
    SyncStatusOut,
    TriggeredRunsOut,
)
from veelocity.audit import record_event
from veelocity.core.errors import NotFound
from veelocity.models import ScheduledJob, SyncRun
from veelocity.sync.readiness import missing_settings
from veelocity.sync.registry import SCHEDULE
from veelocity.sync.runs import SyncOrchestrator, list_runs, source_runs

router = APIRouter(
    prefix=f"{API_PREFIX}/sync",
    tags=["sync"],
    responses={401: {"model": ErrorResponse}},
)

_ADMIN: dict[int | str, dict[str, Any]] = {403: {"model": ErrorResponse}}


def _orchestrator(context: Context) -> SyncOrchestrator:
    assert context.sync is not None, "create_app builds the sync orchestration"
    return context.sync


@router.post(
    "",
    summary="Start a sync of one source, or of every configured source",
    description="Queues a run per source and starts it in the background; a source that "
    "already has a queued or running run gets that run back instead of a second one. "
    "Follow it with `GET /sync/runs/{id}` or `GET /sync/status`.",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **_ADMIN,
        404: {"model": ErrorResponse, "description": "No such source, or it cannot sync yet."},
        409: {"model": ErrorResponse, "description": "The source is not configured."},
    },
)
def start_sync(
    body: SyncRequest,
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> TriggeredRunsOut:
    sync = _orchestrator(context)
    triggered = sync.trigger(session, source=body.source, trigger="api", requested_by=admin.email)
    for item in triggered:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="sync.triggered",
            target=item.run.source,
            details={"run_id": item.run.id, "job": item.run.job, "new_run": item.created},
        )
    # Background tasks run after the request's unit of work has committed the queued runs.
    background.add_task(sync.start_in_background, [t.run.id for t in triggered if t.created])
    return TriggeredRunsOut(runs=[SyncRunOut.of(item.run) for item in triggered])


@router.get("/status", summary="Each source's sync state: current and last run, next run")
def read_sync_status(session: DbSession, context: Context, _: CurrentUser) -> SyncStatusOut:
    sync = _orchestrator(context)
    intervals = {entry.name: entry.interval for entry in SCHEDULE}
    rows = {row.name: row for row in session.query(ScheduledJob).all()}
    sources = []
    for source in sync.catalogue.sources:
        runs = source_runs(session, source)
        next_runs = []
        for job in sync.catalogue.jobs_of(source):
            row = rows.get(job.name)
            if row is not None and job.name in intervals:
                next_runs.append(row.last_slot_at + intervals[job.name])
            elif context.scheduler is not None:
                due = context.scheduler.next_due(job.name)
                if due is not None:
                    next_runs.append(due)
        current = runs.current
        sources.append(
            SourceSyncOut(
                source=source,
                configured=not missing_settings(session, context.cipher, source),
                state="idle" if current is None else current.status,
                current_run=SyncRunOut.of(current) if current else None,
                last_run=SyncRunOut.of(runs.last) if runs.last else None,
                last_success_at=runs.last_success_at,
                next_run_at=min(next_runs) if next_runs else None,
            )
        )
    return SyncStatusOut(demo=context.settings.veelocity_demo, sources=sources)


@router.get("/runs", summary="Sync runs, newest first")
def read_sync_runs(
    session: DbSession,
    _: CurrentUser,
    source: Annotated[str | None, Query(max_length=32, description="Only this source.")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RunPageOut:
    result = list_runs(session, source=source, page=page, page_size=page_size)
    return RunPageOut(
        items=[SyncRunOut.of(run) for run in result.items],
        page=result.page,
        page_size=result.page_size,
        total=result.total,
    )


@router.get(
    "/runs/{run_id}",
    summary="One sync run, with its live progress",
    responses={404: {"model": ErrorResponse}},
)
def read_sync_run(run_id: RowId, session: DbSession, _: CurrentUser) -> SyncRunOut:
    run = session.get(SyncRun, run_id)
    if run is None:
        raise NotFound(f"There is no sync run {run_id}.")
    return SyncRunOut.of(run)


@router.post(
    "/runs/{run_id}/cancel",
    summary="Cancel a sync run",
    description="A queued run is cancelled at once; a running one stops after the page it is "
    "on (its status becomes `cancelled` then). What it wrote so far is kept, and the next "
    "run continues from there.",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **_ADMIN,
        404: {"model": ErrorResponse},
        409: {"model": ErrorResponse, "description": "The run already ended."},
    },
)
def cancel_sync_run(
    run_id: RowId, request: Request, session: DbSession, context: Context, admin: AdminUser
) -> SyncRunOut:
    run = _orchestrator(context).cancel(session, run_id)
    record_event(
        session,
        actor=actor_for(request, admin),
        action="sync.cancelled",
        target=run.source,
        details={"run_id": run.id, "job": run.job},
    )
    return SyncRunOut.of(run)
