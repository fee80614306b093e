"""The AI code tracking API of the fake Cursor: commits with their AI lines, pages, ETags, and
403 for a team without it."""

from __future__ import annotations

import httpx

from veelocity.demo import DemoOrganisation
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, KeySpec, run_fake_cursor

EVERYTHING = {"startDate": "2000-01-01", "endDate": "now"}


def test_commits_page_by_page_against_the_total_count(
    cursor: httpx.Client, team: CursorTeam
) -> None:
    hashes: list[str] = []
    page = 1
    while True:
        answer = cursor.get(
            "/analytics/ai-code/commits", params={**EVERYTHING, "page": page, "pageSize": 25}
        ).json()
        hashes += [item["commitHash"] for item in answer["items"]]
        if page * answer["pageSize"] >= answer["totalCount"]:
            break
        page += 1

    assert answer["totalCount"] == len(team.ai_commits) > 25
    assert sorted(hashes) == sorted(c.commit_hash for c in team.ai_commits)


def test_commits_are_pull_request_commits_of_the_organisation(
    cursor: httpx.Client, ai_org: DemoOrganisation
) -> None:
    oids = {c.oid for r in ai_org.repositories for pr in r.pull_requests for c in pr.commits}

    items = cursor.get("/analytics/ai-code/commits", params=EVERYTHING).json()["items"]

    assert items
    assert {i["commitHash"] for i in items} <= oids
    for item in items:
        ai = item["tabLinesAdded"] + item["composerLinesAdded"]
        assert ai + item["nonAiLinesAdded"] == item["totalLinesAdded"]


def test_the_default_window_is_the_last_seven_days(cursor: httpx.Client, team: CursorTeam) -> None:
    recent = [c for c in team.ai_commits if (team.now - c.commit_ts).days < 7]

    answer = cursor.get("/analytics/ai-code/commits").json()

    assert answer["totalCount"] == len(recent)


def test_an_unchanged_page_answers_304_without_counting(
    fake: FakeCursor, cursor: httpx.Client
) -> None:
    first = cursor.get("/analytics/ai-code/commits", params=EVERYTHING)
    etag = first.headers["etag"]

    again = [
        cursor.get("/analytics/ai-code/commits", params=EVERYTHING, headers={"If-None-Match": etag})
        for _ in range(25)
    ]

    assert first.headers["cache-control"] == "public, max-age=900"
    assert {a.status_code for a in again} == {304}
    assert fake.stats.not_modified == 25
    assert cursor.get("/analytics/ai-code/commits", params=EVERYTHING).status_code == 200


def test_a_team_without_ai_code_tracking_gets_403(ai_org: DemoOrganisation) -> None:
    team = DemoAi(ai_org, seed=7, tracking="none").cursor
    with (
        run_fake_cursor(FakeCursor(team)) as url,
        httpx.Client(base_url=url, auth=(DEMO_KEY, "")) as client,
    ):
        answer = client.get("/analytics/ai-code/commits")
        members = client.get("/teams/members")

    assert answer.status_code == 403
    assert answer.json()["error"] == "Forbidden"
    assert members.status_code == 200


def test_a_key_of_a_workspace_without_tracking_gets_403(
    fake: FakeCursor, cursor: httpx.Client
) -> None:
    fake.add_key(KeySpec(DEMO_KEY, ai_code_tracking=False))

    assert cursor.get("/analytics/ai-code/commits").status_code == 403


def test_an_invalid_page_size_is_a_bad_request(cursor: httpx.Client) -> None:
    answer = cursor.get("/analytics/ai-code/commits", params={"pageSize": 0})

    assert answer.status_code == 400
