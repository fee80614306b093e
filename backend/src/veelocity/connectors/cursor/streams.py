"""Cursor's streams and their checkpoints, as pure functions of a cursor and the time.

Every stream is read at most once an hour (Cursor aggregates hourly and asks for no more):
a stream whose last pass ended within the hour is skipped, a pass left unfinished is
continued at once. Daily usage and AI commits are read in passes over dates, from
`watermark − OVERLAP` (a first pass: `history_days` back) to today, in windows of at most
30 days; a pass's progress is its checkpoint, written with each window's (or page's) rows.

Checkpoint shapes (scope `team`):
- `members`, `spend`: `{"read_at"}` once read; spend also `{"page"}` during a pass.
- `daily_usage`, `ai_commits`: `{"read_at", "watermark"}` (the day the last pass reached),
  and during a pass `{"pass": {"from", "to", "page"}}` (days, `to` exclusive).
- `ai_commits` of a team without AI code tracking: `{"read_at", "unavailable": why}`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from veelocity.connectors.cursor.config import OVERLAP, POLL_INTERVAL, WINDOW

MEMBERS = "members"
SPEND = "spend"
DAILY_USAGE = "daily_usage"
AI_COMMITS = "ai_commits"
STREAMS = (MEMBERS, SPEND, DAILY_USAGE, AI_COMMITS)

Cursor = dict[str, Any]


def due(cursor: Cursor, now: datetime) -> bool:
    """Whether a stream should be read now: never read, read over an hour ago, or a pass
    left unfinished."""
    if cursor.get("pass") or cursor.get("page"):
        return True
    read_at = cursor.get("read_at")
    return read_at is None or now - datetime.fromisoformat(read_at) >= POLL_INTERVAL


def started_pass(cursor: Cursor, now: datetime, history_days: int) -> Cursor:
    """The cursor with a pass in progress: the one left unfinished, or a new one from the
    watermark less the overlap (or `history_days` back) through today."""
    if cursor.get("pass"):
        return cursor
    today = now.date()
    watermark = cursor.get("watermark")
    start = (
        date.fromisoformat(watermark) - OVERLAP
        if watermark
        else today - timedelta(days=history_days)
    )
    span = {"from": start.isoformat(), "to": (today + timedelta(days=1)).isoformat(), "page": 1}
    return {**cursor, "pass": span}


def window(cursor: Cursor) -> tuple[date, date]:
    """The days the pass reads next: [start, end), at most 30 days."""
    span = cursor["pass"]
    start = date.fromisoformat(span["from"])
    end = min(start + WINDOW, date.fromisoformat(span["to"]))
    return start, end


def after_window(cursor: Cursor, now: datetime) -> Cursor:
    """The cursor once the pass's current window is read to its end."""
    _start, end = window(cursor)
    span = cursor["pass"]
    if end >= date.fromisoformat(span["to"]):
        done = {k: v for k, v in cursor.items() if k not in ("pass", "unavailable")}
        # the last day read is today, which Cursor may still correct: the next pass reads
        # it again (with the overlap)
        return {
            **done,
            "watermark": (end - timedelta(days=1)).isoformat(),
            "read_at": now.isoformat(),
        }
    return {**cursor, "pass": {**span, "from": end.isoformat(), "page": 1}}


def after_page(cursor: Cursor, more: bool, now: datetime) -> Cursor:
    """The cursor after a page of AI commits: the next page of the window, or the next
    window."""
    if more:
        span = cursor["pass"]
        return {**cursor, "pass": {**span, "page": int(span.get("page", 1)) + 1}}
    return after_window(cursor, now)


def unavailable(cursor: Cursor, why: str, now: datetime) -> Cursor:
    """A team without AI code tracking: asked again after the poll interval, the pass
    dropped (a team that gains it later starts from its history)."""
    kept = {k: v for k, v in cursor.items() if k != "pass"}
    return {**kept, "unavailable": why, "read_at": now.isoformat()}


def usage_body(start: date, end: date, now: datetime) -> dict[str, int]:
    """`POST /teams/daily-usage-data`'s body: epoch milliseconds, never past now."""
    return {
        "startDate": _ms(start),
        "endDate": min(_ms(end), int(now.timestamp() * 1000)),
    }


def commits_params(start: date, end: date, page: int, page_size: int) -> dict[str, str | int]:
    """`GET /analytics/ai-code/commits`'s query: from the first day's midnight (UTC) to the
    midnight that ends the window."""
    return {
        "startDate": f"{start.isoformat()}T00:00:00Z",
        "endDate": f"{end.isoformat()}T00:00:00Z",
        "page": page,
        "pageSize": page_size,
    }


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def read_now(cursor: Cursor, now: datetime) -> Cursor:
    """A stream read in full (members, spend) at `now`."""
    return {k: v for k, v in cursor.items() if k != "page"} | {"read_at": now.isoformat()}
