"""Bad input and refusals: a team without AI code tracking, a member no developer matches,
a key Cursor refuses or a team that is not Enterprise, and Cursor's 429s."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.connectors.cursor.conftest import Harness, configure_cursor
from veelocity.connectors.cursor import streams
from veelocity.connectors.cursor.connection import check_connection
from veelocity.connectors.cursor.sync import SCOPE, SOURCE, CursorSync
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.storage import CheckpointStore
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import FakeCursor, KeySpec
from veelocity.models import Developer
from veelocity.models.ai import AiCommit, CursorDailyUsage, CursorMember
from veelocity.sync.context import SyncError


def _mark(harness: Harness, stream: str) -> streams.Cursor:
    context = harness.context
    return CheckpointStore(SOURCE, context.session_factory, context.settings).load(stream, SCOPE)


def test_a_team_without_ai_code_tracking_syncs_the_rest_and_says_why(
    harness: Harness, team: CursorTeam
) -> None:
    team.ai_code_tracking = False

    harness.run()

    assert harness.count(AiCommit.sha) == 0
    assert harness.count(CursorDailyUsage.day) > 0
    mark = _mark(harness, streams.AI_COMMITS)
    assert "AI code tracking is not available" in mark["unavailable"]
    check = check_connection(harness.context)
    assert check.ok
    assert "AI code tracking is not available to this team" in check.message
    assert check.details["ai_code_tracking"] is False


def test_members_match_developers_by_e_mail_and_the_others_stay_unmatched(
    harness: Harness, team: CursorTeam
) -> None:
    known = team.members[0]
    with harness.context.session_factory() as session, session.begin():
        session.add(Developer(login="known-dev", email=known.email.upper()))

    harness.run()

    with harness.context.session_factory() as session:
        matched = {
            email: developer_id
            for email, developer_id in session.execute(
                select(CursorMember.email, CursorMember.developer_id)
            )
        }
        developer = session.scalar(select(Developer.id).where(Developer.login == "known-dev"))
    assert matched[known.email.lower()] == developer
    assert all(d is None for email, d in matched.items() if email != known.email.lower())
    # the unmatched members' usage is kept all the same
    assert harness.count(CursorDailyUsage.day) == len(team.usage)


def test_a_key_cursor_refuses_fails_the_run_and_the_check_says_so(
    harness: Harness, served: tuple[FakeCursor, str]
) -> None:
    _fake, base_url = served
    configure_cursor(harness.context, base_url=base_url, key="key_" + "f" * 64)

    with pytest.raises(SyncError) as failed:
        harness.run()

    assert failed.value.code == "bad_credentials"
    check = check_connection(harness.context)
    assert not check.ok
    assert "Cursor rejected the API key" in check.message


def test_a_team_that_is_not_enterprise_is_named(
    harness: Harness, served: tuple[FakeCursor, str]
) -> None:
    fake, base_url = served
    key = "key_" + "e" * 64
    fake.add_key(KeySpec(key, enterprise=False))
    configure_cursor(harness.context, base_url=base_url, key=key)

    check = check_connection(harness.context)

    assert not check.ok
    assert "Enterprise" in check.message
    assert check.details["code"] == "missing_scopes"


def test_a_429_is_waited_out_and_the_sync_ends_with_everything(
    harness: Harness, served: tuple[FakeCursor, str], team: CursorTeam
) -> None:
    fake, _base_url = served
    fake.faults.add("rate_limited", "/teams/daily-usage-data", count=2)
    # Retry-After: 60 is waited on a clock a thousand times faster
    harness.sync = CursorSync(retry=RetryPolicy(max_wait=120, time_scale=0.001, timeout=5))

    harness.run()

    assert harness.count(CursorDailyUsage.day) == len(team.usage)


def test_a_member_cursor_stops_listing_is_kept_marked_removed_with_their_usage(
    harness: Harness, team: CursorTeam, clock: time_machine.Coordinates
) -> None:
    harness.run()
    usage = harness.count(CursorDailyUsage.day)
    gone = team.members.pop()

    clock.shift(timedelta(hours=1, minutes=1))
    harness.run()

    removed = harness.rows(
        CursorMember.is_removed, where=[CursorMember.email == gone.email.lower()]
    )
    assert removed == [(True,)]
    assert harness.count(CursorMember.id, CursorMember.is_removed.is_(True)) == 1
    assert harness.count(CursorDailyUsage.day) >= usage
