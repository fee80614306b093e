"""Health checks: readiness with the database, liveness without."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context
from veelocity.core.db import database_reachable

router = APIRouter(prefix=API_PREFIX, tags=["health"])


class Health(BaseModel):
    status: Literal["healthy", "unhealthy"]


@router.get(
    "/health",
    summary="Ready to serve: the database answers",
    description='200 `{"status":"healthy"}`, or 503 `{"status":"unhealthy"}` when the '
    "database cannot be reached. No authentication.",
    responses={503: {"model": Health, "description": "The database is unreachable."}},
)
def health(context: Context) -> JSONResponse:
    if database_reachable(context.engine):
        return JSONResponse({"status": "healthy"})
    return JSONResponse({"status": "unhealthy"}, status_code=503)


@router.get(
    "/health/live",
    summary="The process is alive (does not touch the database)",
    description="For liveness probes: a database outage must not restart every replica.",
)
def liveness() -> Health:
    return Health(status="healthy")
