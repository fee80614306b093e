"""The Sentry streams' decisions: which event windows an issue needs, how a regression's
window is found, when a window is over, when the releases pass ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veelocity.connectors.sentry import streams
from veelocity.records.sentry import SentryIssueRecord

T0 = datetime(2026, 3, 1, tzinfo=UTC)
THRESHOLDS = streams.Thresholds(min_events=100, min_users=10, levels=frozenset({"error", "fatal"}))


def _production(environment: str) -> bool:
    return environment in ("production", "prod")


def _issue(**changes: object) -> SentryIssueRecord:
    values: dict[str, object] = {
        "external_id": "7",
        "short_id": "API-7",
        "project_external_id": "1",
        "level": "error",
        "status": "unresolved",
        "first_seen": T0,
        "last_seen": T0 + timedelta(hours=3),
        "event_count": 150,
        "user_count": 2,
    }
    values.update(changes)
    return SentryIssueRecord(**values)  # type: ignore[arg-type]


def test_a_new_issue_that_could_cross_a_threshold_has_its_first_day_read() -> None:
    windows = streams.event_windows(_issue(), None, THRESHOLDS, _production)

    assert windows == [{"start": T0.isoformat(), "end": (T0 + timedelta(days=1)).isoformat()}]


def test_issues_that_cannot_cross_a_threshold_have_no_window() -> None:
    below = _issue(event_count=99, user_count=9)
    warning = _issue(level="warning")
    staging = _issue(tags={"environment": "staging"})
    read = {"substatus": "ongoing", "last_seen": T0, "events_read": True}

    assert [
        streams.event_windows(below, None, THRESHOLDS, _production),
        streams.event_windows(warning, None, THRESHOLDS, _production),
        streams.event_windows(staging, None, THRESHOLDS, _production),
        streams.event_windows(_issue(), read, THRESHOLDS, _production),
    ] == [[], [], [], []]


def test_a_regression_is_searched_from_just_after_the_last_known_event() -> None:
    stored = {"substatus": None, "last_seen": T0 + timedelta(hours=3), "events_read": True}
    regressed = _issue(substatus="regressed", last_seen=T0 + timedelta(days=3))

    [window] = streams.event_windows(regressed, stored, THRESHOLDS, _production)

    start = T0 + timedelta(hours=3, seconds=1)
    assert window == {
        "start": start.isoformat(),
        "end": (start + timedelta(days=1)).isoformat(),
        "regression": True,
        "last_seen": (T0 + timedelta(days=3)).isoformat(),
    }


def test_a_regression_search_moves_on_a_day_then_reads_to_a_day_after_its_first_event() -> None:
    search = {
        "start": T0.isoformat(),
        "end": (T0 + timedelta(days=1)).isoformat(),
        "regression": True,
        "last_seen": (T0 + timedelta(days=3)).isoformat(),
    }
    first_event = T0 + timedelta(days=1, hours=20)

    empty = streams.following_window(search, None)
    assert empty is not None
    found = streams.following_window(empty, first_event)

    assert empty["start"] == (T0 + timedelta(days=1)).isoformat()
    assert found == {
        "start": (T0 + timedelta(days=2)).isoformat(),
        "end": (first_event + timedelta(days=1)).isoformat(),
    }
    assert streams.following_window(found, first_event) is None


def test_a_window_not_over_yet_is_read_again_from_where_it_ended() -> None:
    window = {"start": T0.isoformat(), "end": (T0 + timedelta(days=1)).isoformat()}
    now = T0 + timedelta(hours=5)

    rest = streams.window_after_read(window, now)

    assert rest is not None
    assert streams.read_from(rest)["start"] == (now - timedelta(minutes=5)).isoformat()
    assert streams.window_after_read(window, T0 + timedelta(days=2)) is None


def test_the_releases_pass_ends_at_the_first_release_older_than_the_watermark() -> None:
    watermark = (T0 + timedelta(hours=1)).isoformat()
    newer = [T0 + timedelta(hours=2), T0 + timedelta(hours=1, minutes=2)]

    assert not streams.releases_older_than_watermark(newer, watermark)
    assert streams.releases_older_than_watermark([*newer, T0], watermark)
    assert not streams.releases_older_than_watermark([T0], None)


def test_the_issues_query_asks_for_what_was_seen_since_the_watermark() -> None:
    assert streams.issues_params(None) == {"query": "", "sort": "date", "limit": 100}
    assert streams.issues_params((T0 + timedelta(hours=1)).isoformat())["query"] == (
        "lastSeen:>2026-03-01T00:55:00"
    )
