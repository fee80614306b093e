"""Keys, plans, rate limits, ETags and faults of the fake Cursor."""

from __future__ import annotations

import json

import httpx
import pytest

from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, KeySpec


def test_a_wrong_key_is_an_invalid_api_key(base_url: str) -> None:
    with httpx.Client(base_url=base_url, auth=("key_" + "f" * 64, "")) as client:
        answer = client.get("/teams/members")

    assert answer.status_code == 401
    assert answer.json() == {"error": "Unauthorized", "message": "Invalid API key"}


def test_a_bearer_key_is_refused(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/teams/members", headers={"Authorization": f"Bearer {DEMO_KEY}"})

    assert answer.status_code == 401


def test_a_team_without_enterprise_gets_403(fake: FakeCursor, cursor: httpx.Client) -> None:
    fake.add_key(KeySpec(DEMO_KEY, enterprise=False))

    answer = cursor.get("/teams/members")

    assert answer.status_code == 403
    assert answer.json() == {"error": "Forbidden", "message": "Enterprise access required"}


def test_the_admin_api_allows_twenty_requests_a_minute(cursor: httpx.Client) -> None:
    answers = [cursor.get("/teams/members") for _ in range(21)]

    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429
    assert answers[20].headers["retry-after"] == "60"
    assert answers[20].json() == {
        "error": "Too Many Requests",
        "message": "Rate limit exceeded. Please try again later.",
    }


def test_limits_count_per_endpoint(fake: FakeCursor, cursor: httpx.Client) -> None:
    fake.limits.exhaust(DEMO_KEY, "/teams/members")

    assert cursor.get("/teams/members").status_code == 429
    assert cursor.post("/teams/spend", json={}).status_code == 200


def test_a_wrong_method_is_refused(cursor: httpx.Client) -> None:
    assert cursor.get("/teams/spend").status_code == 405


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_status_fault_answers_that_status(
    fake: FakeCursor, cursor: httpx.Client, status: int
) -> None:
    fake.faults.add("status", path="/teams/members", status=status)

    assert cursor.get("/teams/members").status_code == status
    assert cursor.get("/teams/members").status_code == 200


def test_a_rate_limited_fault_answers_cursors_429(fake: FakeCursor, cursor: httpx.Client) -> None:
    fake.faults.add("rate_limited", path="/teams/daily-usage-data")

    answer = cursor.post("/teams/daily-usage-data", json={"startDate": 0, "endDate": 1})

    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "60"


def test_a_malformed_fault_sends_a_body_that_is_not_json(
    fake: FakeCursor, cursor: httpx.Client
) -> None:
    fake.faults.add("malformed", path="/teams/members")

    answer = cursor.get("/teams/members")

    with pytest.raises(json.JSONDecodeError):
        answer.json()
