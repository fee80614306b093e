"""Greptile's streams and their checkpoints, as pure functions.

- `repositories` (scope: the repository, `owner/name`): `{"checked_at", "status"}`. A
  repository whose index is completed is checked again once a day, the others (never
  indexed, still indexing, failed) at every run.
- `reviews` (scope `account`): `{"watermark"}` (the newest review's creation time the last
  pass reached) and during a pass `{"offset", "building"}`. A pass reads newest first and
  ends at the first review created before `watermark − OVERLAP`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from veelocity.connectors.greptile.config import COMPLETED_RECHECK, OVERLAP

REPOSITORIES = "repositories"
REVIEWS = "reviews"
STREAMS = (REPOSITORIES, REVIEWS)

Cursor = dict[str, Any]


def repository_due(cursor: Cursor, now: datetime) -> bool:
    checked = cursor.get("checked_at")
    if checked is None or cursor.get("status") != "completed":
        return True
    return now - datetime.fromisoformat(checked) >= COMPLETED_RECHECK


def later(current: str | None, moment: datetime | None) -> str | None:
    if moment is None:
        return current
    if current is None or datetime.fromisoformat(current) < moment:
        return moment.isoformat()
    return current


def reached_watermark(created: list[datetime | None], watermark: str | None) -> bool:
    """Whether a page (newest first) reached reviews older than the watermark's overlap."""
    if watermark is None:
        return False
    floor = datetime.fromisoformat(watermark) - OVERLAP
    return any(moment is not None and moment < floor for moment in created)


def after_page(cursor: Cursor, read: int, building: str | None, last: bool) -> Cursor:
    """The cursor after a page of reviews: the next offset, or the pass's end."""
    if last:
        watermark = later(cursor.get("watermark"), _parsed(building))
        return {"watermark": watermark} if watermark else {}
    return {**cursor, "offset": int(cursor.get("offset", 0)) + read, "building": building}


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
