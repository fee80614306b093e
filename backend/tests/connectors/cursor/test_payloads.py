"""The connector reads Cursor's recorded answers (tests/contract/cursor/): members, daily
usage per member and UTC day, AI lines per commit with paging against totalCount; missing
counters are zero and an answer without what the store needs is refused by name."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from veelocity.connectors.base import ConnectorError
from veelocity.connectors.cursor import payloads, streams

RECORDED = Path(__file__).parents[2] / "contract" / "cursor"


def _recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def test_members_are_read_with_their_role() -> None:
    members = payloads.members(_recorded("members.json"))

    assert [(m.email, m.name, m.role, m.is_removed) for m in members] == [
        ("developer@company.com", "Alex", "member", False),
        ("admin@company.com", "Sam", "owner", False),
    ]


def test_daily_usage_is_one_record_per_member_and_utc_day() -> None:
    usage = payloads.daily_usage(_recorded("daily-usage-data.json"))

    assert [(u.email, u.day) for u in usage] == [
        ("developer@company.com", date(2024, 3, 18)),
        ("developer@company.com", date(2024, 3, 19)),
    ]
    first = usage[0]
    assert (first.accepted_lines_added, first.tabs_accepted, first.agent_requests) == (
        1102,
        289,
        12,
    )
    assert first.most_used_model == "gpt-4"


def test_ai_lines_are_tab_and_composer_lines_and_paging_follows_total_count() -> None:
    commits, more = payloads.ai_commit_page(_recorded("ai-code-commits.json"))

    assert not more
    by_sha = {c.sha: c for c in commits}
    composed = by_sha["9a1b3017dea20ddd12a012a817c61ab96ebb52c6"]
    assert (composed.total_lines_added, composed.ai_lines_added) == (121, 121)
    assert composed.committed_at == datetime(2025, 9, 3, 2, 41, 24, tzinfo=UTC)
    unknown_repo = by_sha["8dabad06ce5d2b1ce35651ad5f04b177745738aa"]
    assert (unknown_repo.repository_name, unknown_repo.ai_lines_added) == (None, 0)

    page = {**_recorded("ai-code-commits.json"), "totalCount": 250, "pageSize": 3}
    assert payloads.ai_commit_page(page)[1]


def test_a_counter_cursor_leaves_out_or_sends_as_null_is_zero() -> None:
    usage = payloads.daily_usage(
        {"data": [{"date": "1710720000000", "email": "a@b.c", "totalAccepts": None}]}
    )

    assert (usage[0].total_accepts, usage[0].tabs_shown, usage[0].is_active) == (0, 0, False)


def test_an_answer_without_what_the_store_needs_is_refused_by_name() -> None:
    with pytest.raises(ConnectorError, match="AI code tracking commits"):
        payloads.ai_commit_page({"items": [{"userEmail": "a@b.c"}]})


def test_a_first_pass_reads_the_history_in_windows_of_at_most_30_days() -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    cursor = streams.started_pass({}, now, 90)
    windows = []
    while cursor.get("pass"):
        windows.append(streams.window(cursor))
        cursor = streams.after_window(cursor, now)

    assert windows[0][0] == date(2026, 3, 3)
    assert windows[-1][1] == date(2026, 6, 2)
    assert all((end - start).days <= 30 for start, end in windows)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(windows))
    assert cursor["watermark"] == "2026-06-01"
    # the next pass starts two days before the watermark: Cursor corrects recent days
    later = streams.started_pass(cursor, now, 90)
    assert later["pass"]["from"] == "2026-05-30"
