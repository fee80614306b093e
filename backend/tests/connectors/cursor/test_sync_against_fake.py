"""The Cursor sync against the fake: what a first sync stores equals the fake's truth, a
second run within the hour asks nothing, and a day Cursor corrects is replaced."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from tests.connectors.cursor.conftest import Harness
from veelocity.connectors.cursor import streams
from veelocity.connectors.cursor.sync import SCOPE, SOURCE
from veelocity.connectors.storage import CheckpointStore
from veelocity.demo.ai_model import CursorTeam
from veelocity.models.ai import AiCommit, CursorDailyUsage, CursorMember, CursorSpend


def _usage_truth(team: CursorTeam, days: int) -> dict[tuple[str, str], int]:
    first = team.now.date() - timedelta(days=days)
    return {
        (u.email.lower(), u.day.isoformat()): u.accepted_lines_added
        for u in team.usage
        if u.day >= first
    }


def _stored_usage(harness: Harness) -> dict[tuple[str, str], int]:
    rows = harness.rows(
        CursorMember.email,
        CursorDailyUsage.day,
        CursorDailyUsage.accepted_lines_added,
        where=[CursorMember.id == CursorDailyUsage.member_id],
    )
    return {(email, day.isoformat()): lines for email, day, lines in rows}


def test_a_first_sync_stores_the_members_usage_spend_and_ai_lines_of_the_team(
    harness: Harness, team: CursorTeam
) -> None:
    harness.run()

    assert {row[0] for row in harness.rows(CursorMember.email)} >= {
        m.email.lower() for m in team.members
    }
    assert _stored_usage(harness) == _usage_truth(team, 90)
    assert harness.count(CursorSpend.member_id) > 0
    first = team.now.date() - timedelta(days=90)
    expected = {c.commit_hash for c in team.ai_commits if c.commit_ts.date() >= first}
    stored = {row[0] for row in harness.rows(AiCommit.sha)}
    assert stored == expected
    commit = next(c for c in team.ai_commits if c.commit_hash in expected)
    lines = harness.rows(AiCommit.ai_lines_added, where=[AiCommit.sha == commit.commit_hash])
    assert lines == [(commit.tab_lines_added + commit.composer_lines_added,)]


def test_a_second_run_within_the_hour_asks_cursor_nothing(harness: Harness) -> None:
    harness.run()
    asked = harness.reporter.requests

    harness.run()

    assert harness.reporter.requests == asked


def test_a_day_cursor_corrects_is_replaced_an_hour_later(
    harness: Harness, team: CursorTeam, clock: time_machine.Coordinates
) -> None:
    harness.run()
    yesterday = team.now.date() - timedelta(days=1)
    corrected = next(u for u in team.usage if u.day == yesterday)
    corrected.accepted_lines_added += 500

    clock.shift(timedelta(hours=1, minutes=1))
    harness.run()

    key = (corrected.email.lower(), yesterday.isoformat())
    assert _stored_usage(harness)[key] == corrected.accepted_lines_added
    mark = CheckpointStore(SOURCE, harness.context.session_factory, harness.context.settings).load(
        streams.DAILY_USAGE, SCOPE
    )
    assert mark["watermark"] >= yesterday.isoformat()
    assert "pass" not in mark
