"""Operational status for operators: version, uptime, database, migrations, sources."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from veelocity import __version__, schema
from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, CurrentUser, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.core.db import database_reachable
from veelocity.credentials import store
from veelocity.credentials.catalogue import SOURCES, SourceName
from veelocity.sync.registry import JOB_BODIES, SCHEDULE
from veelocity.sync.runs import source_runs
from veelocity.sync.scheduler import read_job_states

router = APIRouter(prefix=API_PREFIX, tags=["status"], responses={401: {"model": ErrorResponse}})


class MigrationState(BaseModel):
    current: str | None
    head: str | None
    up_to_date: bool


class DatabaseState(BaseModel):
    dialect: str
    reachable: bool
    migration: MigrationState


class SourceState(BaseModel):
    source: str
    syncs: bool = Field(
        description="Veelocity reads this source. When false its settings are only stored: "
        "nothing syncs it yet, so it has no sync time or error."
    )
    configured: bool = Field(description="Every credential the source needs is stored.")
    last_sync_at: datetime | None = Field(description="When its last successful sync ended.")
    last_error: str | None = Field(
        description="Why its latest sync run failed; null when that run succeeded."
    )


class JobStatus(BaseModel):
    name: str
    interval_seconds: float
    first_run_after_seconds: float = Field(description="Offset of the first run after start.")
    registered: bool = Field(description="A sync is registered for this job (else it never runs).")
    running_here: bool = Field(description="This process is running it right now.")
    last_slot_at: datetime | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_status: str | None = Field(
        description="running, succeeded, failed or skipped (its source is not set up)."
    )
    last_error: str | None
    last_owner: str | None = Field(description="host:pid of the process that ran it last.")
    next_run_at: datetime | None


class SchedulerState(BaseModel):
    running: bool = Field(description="This process runs the scheduler.")
    jobs: list[JobStatus]


class Status(BaseModel):
    version: str
    uptime_seconds: float
    database: DatabaseState
    unreadable_secrets: int
    sources: list[SourceState]
    scheduler: SchedulerState


@router.get("/status", summary="Version, uptime, database and migration state, sources")
def read_status(session: DbSession, context: Context, _: CurrentUser) -> Status:
    scheduler = context.scheduler
    current = schema.current_revision(context.engine)
    head = schema.head_revision()
    synced = set(context.sync.catalogue.sources) if context.sync else set()
    sources = []
    for source in SourceName:
        view = store.source_view(session, context.cipher, source)
        configured = all(view[name].configured for name in SOURCES[source].required_secrets)
        runs = source_runs(session, source.value)
        last_error = None
        if runs.last is not None and runs.last.status != "succeeded":
            last_error = runs.last.error_message
        sources.append(
            SourceState(
                source=source.value,
                syncs=source.value in synced,
                configured=configured,
                last_sync_at=runs.last_success_at,
                last_error=last_error,
            )
        )
    return Status(
        version=__version__,
        uptime_seconds=round(time.monotonic() - context.started_monotonic, 3),
        database=DatabaseState(
            dialect=context.engine.dialect.name,
            reachable=database_reachable(context.engine),
            migration=MigrationState(current=current, head=head, up_to_date=current == head),
        ),
        unreadable_secrets=context.unreadable_secrets,
        sources=sources,
        scheduler=SchedulerState(
            running=scheduler is not None and scheduler.running,
            jobs=[
                JobStatus.model_validate(state, from_attributes=True)
                for state in read_job_states(
                    session,
                    SCHEDULE,
                    registered=set(JOB_BODIES)
                    | (set(context.sync.catalogue.jobs) if context.sync else set()),
                    running_here=scheduler.running_jobs if scheduler else set(),
                )
            ],
        ),
    )
