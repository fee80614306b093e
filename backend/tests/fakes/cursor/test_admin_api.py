"""The Admin API of the fake Cursor: members, daily usage, spend and usage events."""

from __future__ import annotations

from datetime import timedelta

import httpx

from veelocity.demo import DemoOrganisation
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import FakeCursor, Options

DAY_MS = 86_400_000


def _ms(team: CursorTeam, days_ago: int) -> int:
    return int((team.now - timedelta(days=days_ago)).timestamp() * 1000)


def test_members_are_the_organisations_people_by_email(
    cursor: httpx.Client, ai_org: DemoOrganisation
) -> None:
    answer = cursor.get("/teams/members")

    assert answer.status_code == 200
    emails = {m["email"] for m in answer.json()["teamMembers"]}
    assert emails == {m.email for m in ai_org.members if not m.is_bot}
    first = answer.json()["teamMembers"][0]
    assert set(first) == {"id", "name", "email", "role", "isRemoved"}


def test_daily_usage_has_one_row_per_member_and_day(cursor: httpx.Client, team: CursorTeam) -> None:
    body = {"startDate": _ms(team, 10), "endDate": _ms(team, 0)}

    answer = cursor.post("/teams/daily-usage-data", json=body).json()

    days = {row["date"] for row in answer["data"]}
    pairs = {(row["date"], row["email"]) for row in answer["data"]}
    assert len(pairs) == len(answer["data"]) == len(days) * len(team.members)
    assert answer["period"] == body
    assert any(row["isActive"] and row["acceptedLinesAdded"] > 0 for row in answer["data"])


def test_a_daily_usage_range_over_thirty_days_is_refused(
    cursor: httpx.Client, team: CursorTeam
) -> None:
    answer = cursor.post(
        "/teams/daily-usage-data", json={"startDate": _ms(team, 31), "endDate": _ms(team, 0)}
    )

    assert answer.status_code == 400
    assert answer.json() == {"error": "Bad Request", "message": "Date range cannot exceed 30 days"}


def test_the_older_ninety_day_limit_can_be_chosen(team: CursorTeam) -> None:
    from veelocity.fakes.cursor import run_fake_cursor
    from veelocity.fakes.cursor.keys import DEMO_KEY

    fake = FakeCursor(team, options=Options(max_range_days=90))
    with run_fake_cursor(fake) as url, httpx.Client(base_url=url, auth=(DEMO_KEY, "")) as client:
        answer = client.post(
            "/teams/daily-usage-data", json={"startDate": _ms(team, 60), "endDate": _ms(team, 0)}
        )
    assert answer.status_code == 200


def test_spend_covers_the_current_cycle_by_member(cursor: httpx.Client, team: CursorTeam) -> None:
    answer = cursor.post("/teams/spend", json={"sortBy": "amount", "sortDirection": "desc"}).json()

    assert answer["totalMembers"] == len(team.members)
    spends = [row["spendCents"] for row in answer["teamMemberSpend"]]
    assert spends == sorted(spends, reverse=True)
    assert answer["subscriptionCycleStart"] <= int(team.now.timestamp() * 1000)


def test_spend_pages_by_page_size(cursor: httpx.Client, team: CursorTeam) -> None:
    pages = [
        cursor.post("/teams/spend", json={"page": page, "pageSize": 3}).json() for page in (1, 2, 3)
    ]

    assert pages[0]["totalPages"] == 3  # 8 members
    emails = [row["email"] for page in pages for row in page["teamMemberSpend"]]
    assert sorted(emails) == sorted(m.email for m in team.members)


def test_usage_events_page_newest_first_with_an_epoch_string(
    cursor: httpx.Client, team: CursorTeam
) -> None:
    body = {"startDate": _ms(team, 20), "endDate": _ms(team, 0), "pageSize": 5}

    first = cursor.post("/teams/filtered-usage-events", json={**body, "page": 1}).json()
    second = cursor.post("/teams/filtered-usage-events", json={**body, "page": 2}).json()

    assert first["pagination"]["hasNextPage"]
    assert not first["pagination"]["hasPreviousPage"]
    stamps = [int(e["timestamp"]) for e in first["usageEvents"] + second["usageEvents"]]
    assert stamps == sorted(stamps, reverse=True)
    assert all(isinstance(e["timestamp"], str) for e in first["usageEvents"])
    assert "kind" in first["usageEvents"][0]


def test_usage_events_filter_by_email(cursor: httpx.Client, team: CursorTeam) -> None:
    email = next(e.email for e in team.events)

    answer = cursor.post(
        "/teams/filtered-usage-events",
        json={"startDate": _ms(team, 30), "endDate": _ms(team, 0), "email": email, "pageSize": 100},
    ).json()

    assert answer["usageEvents"]
    assert {e["userEmail"] for e in answer["usageEvents"]} == {email}


def test_usage_events_can_say_kind_label(team: CursorTeam) -> None:
    from veelocity.fakes.cursor import run_fake_cursor
    from veelocity.fakes.cursor.keys import DEMO_KEY

    fake = FakeCursor(team, options=Options(event_kind_field="kindLabel"))
    with run_fake_cursor(fake) as url, httpx.Client(base_url=url, auth=(DEMO_KEY, "")) as client:
        event = client.post("/teams/filtered-usage-events", json={}).json()["usageEvents"][0]
    assert "kindLabel" in event
    assert "kind" not in event
