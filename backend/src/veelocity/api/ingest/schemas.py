"""Ingest responses and the ingest-token settings payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from veelocity.core.logging import get_logger
from veelocity.store import WriteReport

_log = get_logger("veelocity.api.ingest")


class IngestCounts(BaseModel):
    received: int = Field(description="Items in the request.")
    created: int = Field(description="Items that were new.")
    updated: int = Field(description="Items already known whose values changed.")
    unchanged: int = Field(description="Items already known and sent again as they were.")


def logged_counts(report: WriteReport, kind: str, token_id: int, **fields: int) -> IngestCounts:
    """Log what one push wrote (never its contents) and answer with the counts."""
    _log.info(
        "ingested",
        kind=kind,
        ingest_token_id=token_id,
        received=report.received,
        created=report.created,
        updated=report.updated,
        **fields,
    )
    return IngestCounts(
        received=report.received,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )


class NewIngestToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = (
        Field(description="What the token is for, e.g. the pipeline that sends with it.")
    )
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="Leave out for a token that does not expire."
    )


class IngestTokenOut(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it.")
    status: Literal["active", "expired", "revoked"]
    created_at: datetime
    created_by: str | None = Field(description="Email of the admin who created it.")
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class IngestTokenCreated(IngestTokenOut):
    token: str = Field(description="The token itself. Shown only in this response.")


class IngestTokenList(BaseModel):
    items: list[IngestTokenOut]
