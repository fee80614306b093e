"""Sync API payloads (the shape the web app is built against: docs/sync.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from veelocity.models import SyncRun

RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled", "budget_exhausted"]
RunTrigger = Literal["schedule", "startup", "api", "cli"]


class StreamProgressOut(BaseModel):
    name: str
    items: int
    requests: int
    done: bool


class RunErrorOut(BaseModel):
    code: str = Field(
        description="bad_credentials, missing_scopes, not_found, not_configured, "
        "budget_exhausted, rate_limited, upstream_unavailable, upstream_invalid, interrupted "
        "or internal_error."
    )
    message: str = Field(description="What went wrong and what to do, for people.")
    resets_at: datetime | None = Field(
        description="When the limit or budget that stopped the run frees up again."
    )


class SyncRunOut(BaseModel):
    id: int
    source: str
    job: str = Field(description="The scheduled job that ran: github or fill_pr_details.")
    trigger: RunTrigger
    status: RunStatus
    requested_by: str | None = Field(description="Who asked for it (API); null otherwise.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    current_stream: str | None = Field(description="The stream being synced right now.")
    items: int = Field(description="Records written so far.")
    requests_used: int = Field(description="Upstream requests made so far.")
    rate_limit_remaining: int | None
    rate_limit_reset_at: datetime | None
    streams: list[StreamProgressOut]
    error: RunErrorOut | None

    @classmethod
    def of(cls, run: SyncRun) -> SyncRunOut:
        error = None
        if run.error_code is not None:
            error = RunErrorOut(
                code=run.error_code,
                message=run.error_message or "",
                resets_at=run.error_resets_at,
            )
        return cls(
            id=run.id,
            source=run.source,
            job=run.job,
            trigger=run.trigger,
            status=run.status,
            requested_by=run.requested_by,
            created_at=run.created_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            current_stream=run.current_stream,
            items=run.items,
            requests_used=run.requests_used,
            rate_limit_remaining=run.rate_limit_remaining,
            rate_limit_reset_at=run.rate_limit_reset_at,
            streams=[
                StreamProgressOut(
                    name=name,
                    items=int(share.get("items", 0)),
                    requests=int(share.get("requests", 0)),
                    done=bool(share.get("done", False)),
                )
                for name, share in sorted(
                    (run.streams or {}).items(), key=lambda item: item[1].get("order", 0)
                )
            ],
            error=error,
        )


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(
        default=None,
        max_length=32,
        description="The source to sync (github); leave out to sync every configured source.",
    )


class TriggeredRunsOut(BaseModel):
    runs: list[SyncRunOut] = Field(
        description="One run per source: a new queued run, or the one already queued or running."
    )


class SourceSyncOut(BaseModel):
    source: str
    configured: bool = Field(description="The source has every setting it needs to sync.")
    state: Literal["idle", "queued", "running"]
    current_run: SyncRunOut | None = Field(description="The queued or running run, if any.")
    last_run: SyncRunOut | None = Field(description="The latest run that ended.")
    last_success_at: datetime | None
    next_run_at: datetime | None = Field(description="The next scheduled run, when known.")


class SyncStatusOut(BaseModel):
    demo: bool = Field(
        description="The instance syncs from the built-in demo upstream (VEELOCITY_DEMO): "
        "its data is generated, not real."
    )
    sources: list[SourceSyncOut]


class RunPageOut(BaseModel):
    items: list[SyncRunOut]
    page: int
    page_size: int
    total: int


class ConnectionCheckOut(BaseModel):
    ok: bool
    message: str = Field(description="One sentence: what worked, or what is wrong.")
    details: dict[str, object] = Field(
        description="What was found, e.g. the login, token scopes and repository count."
    )
