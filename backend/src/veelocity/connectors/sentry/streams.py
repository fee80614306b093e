"""Each Sentry stream: what to ask for from a checkpoint, and what the answer means.

Checkpoints (`Cursor`s) are plain JSON: a stream's `watermark` (the newest time a finished
pass saw), and mid-pass the page `cursor` Sentry gave and the watermark being built, so a
run killed between pages resumes where the last written page ended.

- projects: every page, every run (a handful of requests; a renamed project is updated).
- releases: newest first, until a page holds only releases created before the watermark
  (Sentry cannot filter them by date; the client does). Their deploys are read when Sentry
  counts more than are stored; their commits only when `lastCommit` names none.
- issues: `lastSeen:>{watermark}` sorted by last seen, 100 a page; empty query on the first
  sync (everything).
- issue events: the 24 h after an issue's first event, or after its regression, for the
  issues that could cross the incident thresholds; one mark per issue and window.
- error stats: stats_v2 per project and day, from two days before the last read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from veelocity.connectors.sentry.config import OVERLAP_SECONDS, PAGE_SIZE, STATS_DAYS
from veelocity.records.sentry import SentryIssueRecord

Cursor = dict[str, Any]

PROJECTS = "projects"
RELEASES = "releases"
ISSUES = "issues"
ISSUE_EVENTS = "issue_events"
ERROR_STATS = "error_stats"
#: the streams read one after the other, in this order
STREAMS = (PROJECTS, RELEASES, ISSUES, ISSUE_EVENTS, ERROR_STATS)

THRESHOLD_WINDOW = timedelta(hours=24)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def overlapped(watermark: str | None) -> datetime | None:
    if not watermark:
        return None
    return parse_time(watermark) - timedelta(seconds=OVERLAP_SECONDS)


def issues_params(watermark: str | None) -> dict[str, str | int]:
    """The org issues query of a pass from `watermark` (None: everything)."""
    since = overlapped(watermark)
    query = f"lastSeen:>{since.strftime('%Y-%m-%dT%H:%M:%S')}" if since else ""
    return {"query": query, "sort": "date", "limit": PAGE_SIZE}


def later(current: str | None, seen: datetime | None) -> str | None:
    """The newer of a watermark being built and a time just seen."""
    if seen is None:
        return current
    if current is None or seen > parse_time(current):
        return _iso(seen)
    return current


def next_cursor(cursor: Cursor, page_cursor: str | None, building: str | None) -> Cursor:
    """The checkpoint after a page: the rest of the pass, or (at its end) the new watermark."""
    if page_cursor:
        return {"watermark": cursor.get("watermark"), "cursor": page_cursor, "building": building}
    return {"watermark": building or cursor.get("watermark")}


def restarted(cursor: Cursor) -> Cursor:
    """The checkpoint of a pass whose page cursor Sentry no longer takes: the pass starts
    again from its watermark (what it wrote stays; re-reading it changes nothing)."""
    return {"watermark": cursor.get("watermark")}


def releases_older_than_watermark(created: list[datetime], watermark: str | None) -> bool:
    """True when a page reaches releases created before the watermark: the pass ends there
    (releases come newest first, so every later page is older still)."""
    since = overlapped(watermark)
    return since is not None and any(at < since for at in created)


# --- issue events for the thresholds -------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    min_events: int
    min_users: int
    levels: frozenset[str]


def could_become_incident(
    issue: SentryIssueRecord, thresholds: Thresholds, is_production: Callable[[str], bool]
) -> bool:
    """Whether the issue's events decide if it is an incident: a level that counts, a
    production environment (or none named), and lifetime totals that reach a threshold
    (below them, no 24 h can)."""
    if issue.level.lower() not in thresholds.levels:
        return False
    environment = issue.tags.get("environment")
    if environment is not None and not is_production(environment):
        return False
    return issue.event_count >= thresholds.min_events or issue.user_count >= thresholds.min_users


def event_windows(
    issue: SentryIssueRecord,
    stored: dict[str, Any] | None,
    thresholds: Thresholds,
    is_production: Callable[[str], bool],
) -> list[Cursor]:
    """The event windows to read for an issue just read (each a mark's cursor).

    `stored`: the issue as stored before this page (None when new), with `substatus`,
    `last_seen` and `events_read`. The first window is the 24 h after its first event. A
    regression (an issue becoming `regressed`) began after the last event stored before it:
    its window is searched from there, a day at a time, until its first event is found, and
    then read to 24 h after that event (`following_window`)."""
    if not could_become_incident(issue, thresholds, is_production):
        return []
    windows: list[Cursor] = []
    if stored is None or not stored.get("events_read"):
        windows.append(_window(issue.first_seen))
    regressed = issue.substatus == "regressed"
    if stored is not None and regressed and stored.get("substatus") != "regressed":
        known: datetime = stored["last_seen"]
        # Sentry's `start` includes its moment: the last known event is not the regression's
        search = _window(known + timedelta(seconds=1))
        windows.append({**search, "regression": True, "last_seen": _iso(issue.last_seen)})
    return windows


def following_window(window: Cursor, first_event: datetime | None) -> Cursor | None:
    """After a window is read: the next one to read for the same threshold, if any.

    A regression's search window without events moves on a day (the regression began later);
    one with events continues to 24 h after its first event. Other windows end here."""
    if not window.get("regression"):
        return None
    end = parse_time(window["end"])
    if first_event is None:
        if end >= parse_time(window["last_seen"]):
            return None  # nothing after the last known event: no regression to read
        return {**_window(end), "regression": True, "last_seen": window["last_seen"]}
    until = first_event + THRESHOLD_WINDOW
    if until <= end:
        return None
    return {"start": _iso(end), "end": _iso(until)}


def _window(start: datetime) -> Cursor:
    return {"start": _iso(start), "end": _iso(start + THRESHOLD_WINDOW)}


def window_scope(issue_id: str, window: Cursor) -> str:
    """A mark's scope: the issue and where its window starts (one issue may have two)."""
    return f"{issue_id}@{window['start']}"


def issue_of_scope(scope: str) -> str:
    return scope.split("@", 1)[0]


def events_params(window: Cursor, now: datetime) -> dict[str, str | int]:
    end = min(parse_time(window["end"]), now)
    return {
        "start": parse_time(window["start"]).strftime("%Y-%m-%dT%H:%M:%S"),
        "end": end.strftime("%Y-%m-%dT%H:%M:%S"),
        "full": "false",
        "per_page": PAGE_SIZE,
    }


def window_after_read(window: Cursor, now: datetime) -> Cursor | None:
    """After the last page of a window: None when the window is over (its events are all
    read), else the window's rest, read again next run (a young issue's 24 h are not over)."""
    end = parse_time(window["end"])
    if end <= now:
        return None
    resume = max(parse_time(window["start"]), now - timedelta(seconds=OVERLAP_SECONDS))
    return {**window, "resume": _iso(resume)}


def read_from(window: Cursor) -> Cursor:
    """The part of a window still to read (a window read up to `resume` starts there)."""
    if window.get("resume"):
        return {"start": window["resume"], "end": window["end"]}
    return window


# --- error stats ---------------------------------------------------------------------------


def stats_params(cursor: Cursor, today: date) -> dict[str, str | int]:
    """Days since two before the last read (today's count grows; Sentry may still be
    adding yesterday's), or Sentry's whole retention on the first read. The period is
    relative (`statsPeriod`), so Sentry's clock, not ours, says where days end."""
    last = cursor.get("read_through")
    days = (today - date.fromisoformat(last)).days + 2 if last else STATS_DAYS
    return {
        "groupBy": "project",
        "field": "sum(quantity)",
        "category": "error",
        "outcome": "accepted",
        "interval": "1d",
        "statsPeriod": f"{min(max(days, 2), STATS_DAYS)}d",
    }
