"""Health checks: readiness with the database, liveness without.

Readiness reads the database monitor (`core/db_monitor.py`), which probes on a connection of
its own with a short deadline: the check never waits for a pooled connection or for a
worker thread, so it answers at once even while every request is stuck on a frozen
database.
"""

from __future__ import annotations

from typing import Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from veelocity.api import API_PREFIX
from veelocity.api.context import AppContext

router = APIRouter(prefix=API_PREFIX, tags=["health"])

#: A probe of its own for checks made while the monitor is not running (no lifespan).
_probe_threads = anyio.CapacityLimiter(2)


class Health(BaseModel):
    status: Literal["healthy", "unhealthy"]


@router.get(
    "/health",
    summary="Ready to serve: the database answers",
    description='200 `{"status":"healthy"}`, or 503 `{"status":"unhealthy"}` when the '
    "database cannot be reached or leaves a probe unanswered for "
    "`DATABASE_UNRESPONSIVE_SECONDS`. It answers at once either way. No authentication.",
    responses={503: {"model": Health, "description": "The database is unavailable."}},
)
async def health(request: Request) -> JSONResponse:
    # The context is read here, not through a dependency: a sync dependency would take a
    # worker thread, and those may all be waiting on the database.
    context: AppContext = request.app.state.context
    monitor = context.database_monitor
    if monitor.running:
        healthy = monitor.available
    else:
        healthy = await anyio.to_thread.run_sync(monitor.probe_once, limiter=_probe_threads)
    if healthy:
        return JSONResponse({"status": "healthy"})
    return JSONResponse({"status": "unhealthy"}, status_code=503)


@router.get(
    "/health/live",
    summary="The process is alive (does not touch the database)",
    description="For liveness probes: a database outage must not restart every replica.",
)
async def liveness() -> Health:
    return Health(status="healthy")
