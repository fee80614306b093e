"""The AI routes on a hand-built history: six people, 48 merged PRs, half with AI lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_pull_request, make_repository
from veelocity.derive import DeriveConfig, derive_all
from veelocity.models import (
    AiCommit,
    CursorDailyUsage,
    CursorMember,
    CursorSpend,
    Developer,
    PullRequestCommit,
    Team,
    TeamMember,
)

WINDOW = {"start_date": "2026-01-05", "end_date": "2026-02-01"}
PEOPLE = ["ann", "ben", "cat", "dan", "eve", "fay"]


@pytest.fixture
def history(db_session: Session) -> dict[str, Any]:
    """Each person merges eight PRs over four weeks; the even-numbered ones have 80 % AI
    lines and a review by coderabbitai[bot] and wait longer for review. Everyone uses
    Cursor on every day of the fourth week, after the last commit."""
    repo = make_repository(db_session)
    team = Team(name="Platform", created_at=at())
    db_session.add(team)
    db_session.flush()
    for person in PEOPLE:
        developer = Developer(login=person, email=f"{person}@example.com")
        db_session.add(developer)
        db_session.flush()
        db_session.add(TeamMember(team_id=team.id, developer_id=developer.id))
        member = CursorMember(email=f"{person}@example.com", developer_id=developer.id)
        db_session.add(member)
        db_session.flush()
        for day in range(22, 28):
            db_session.add(
                CursorDailyUsage(
                    member_id=member.id,
                    day=(at() + timedelta(days=day)).date(),
                    is_active=True,
                    accepted_lines_added=10,
                )
            )
        db_session.add(
            CursorSpend(
                member_id=member.id, cycle_start=at().date(), spend_cents=2000, read_at=at()
            )
        )
    ai_prs = []
    for index in range(8):
        for offset, person in enumerate(PEOPLE):
            start = at(offset, days=index * 3)
            with_ai = index % 2 == 0
            pr = make_pull_request(
                db_session,
                repo,
                author_login=person,
                commits=[start],
                created_at=start + timedelta(hours=1),
                merged_at=start + timedelta(hours=30 if with_ai else 10),
                merge_commit_sha=f"m-{person}-{index}",
                events=[
                    ("review", "coderabbitai[bot]", start + timedelta(hours=2)),
                    ("review", "zed", start + timedelta(hours=20), "APPROVED"),
                ]
                if with_ai
                else [("review", "zed", start + timedelta(hours=3), "APPROVED")],
            )
            if with_ai:
                ai_prs.append(pr.id)
    db_session.flush()
    for pr_id, sha in db_session.execute(
        select(PullRequestCommit.pull_request_id, PullRequestCommit.sha)
    ):
        if pr_id in ai_prs:
            db_session.add(
                AiCommit(source="cursor", sha=sha, ai_lines_added=8, total_lines_added=10)
            )
    make_deployment(db_session, repo, finished_at=at(days=26), commits=[])
    derive_all(db_session, DeriveConfig())
    db_session.commit()
    return {"team": team.id, "ai_prs": ai_prs}


def test_adoption_counts_active_users_lines_spend_and_coverage(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get("/api/v1/ai/adoption", params=WINDOW, headers=admin_headers).json()
    assert body["suppressed"] is None
    figures = body["figures"]
    assert figures["people"] == 6
    assert figures["active_users"] == 6
    assert figures["accepted_lines"] == 6 * 6 * 10
    assert figures["spend_cents"] == 6 * 2000
    assert (figures["merged_prs"], figures["reviewed_prs"], figures["prs_known"]) == (48, 24, 24)
    assert figures["ai_share"] == pytest.approx(0.8)
    assert figures["review_coverage"] == 0.5
    assert [p["period_start"] for p in body["series"]][:2] == ["2026-01-05", "2026-01-12"]


def test_cohorts_compare_ai_assisted_and_reviewed_prs_with_an_interval(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get("/api/v1/ai/cohorts", params=WINDOW, headers=admin_headers).json()
    assisted = next(c for c in body["cohorts"] if c["name"] == "ai_assisted")
    assert (assisted["ai_prs"], assisted["ai_people"]) == (24, 6)
    review = next(m for m in assisted["measures"] if m["measure"] == "review_seconds")
    assert review["ai_count"] >= 20
    assert review["difference"] is not None
    assert review["interval_low"] <= review["difference"] <= review["interval_high"]
    again = client.get("/api/v1/ai/cohorts", params=WINDOW, headers=admin_headers).json()
    assert again == body


def test_a_comparison_needs_twenty_prs_in_each_group(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    two_weeks = {"start_date": "2026-01-05", "end_date": "2026-01-18"}
    body = client.get("/api/v1/ai/cohorts", params=two_weeks, headers=admin_headers).json()
    assisted = next(c for c in body["cohorts"] if c["name"] == "ai_assisted")
    cycle = next(m for m in assisted["measures"] if m["measure"] == "cycle_seconds")
    assert cycle["difference"] is None
    assert cycle["reason"] == "fewer than 20 PRs in a group"
    assert cycle["ai_value"] is not None


def test_no_ai_figure_for_fewer_people_than_the_floor(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    for route in ("adoption", "cohorts", "failures", "pull-requests"):
        body = client.get(
            f"/api/v1/ai/{route}", params={**WINDOW, "author": "ann"}, headers=admin_headers
        ).json()
        assert body["suppressed"] == "fewer than 5 people", route
        assert not body.get("figures"), route
        assert not body.get("cohorts"), route
        assert not body.get("items"), route


def test_the_team_crossed_half_adoption_in_its_fourth_week(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get("/api/v1/ai/adoption-crossing", params=WINDOW, headers=admin_headers).json()
    (team,) = body["teams"]
    assert (team["team"], team["people"], team["crossed_on"]) == ("Platform", 6, "2026-01-26")
    assert team["comparison"]["name"] == "after_adoption"


def test_the_prs_behind_the_assisted_cohort_carry_their_evidence_page_by_page(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {**WINDOW, "assisted": "any", "page_size": 10}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/ai/pull-requests", params=params, headers=admin_headers).json()
        seen += [item["id"] for item in page["items"]]
        for item in page["items"]:
            assert item["ai"]["evidence"][0] == {
                "kind": "ai_share",
                "detail": "80 % of added lines",
            }
            assert item["ai"]["review_bot"] == "coderabbitai[bot]"
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(history["ai_prs"])
    detail = client.get(f"/api/v1/github/prs/{seen[0]}", headers=admin_headers).json()
    assert detail["ai"]["assisted"] == "high"
    assert detail["ai"]["reviewed_before_merge"] is True


def test_ai_weighted_failures_sit_beside_the_change_failure_rate(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get("/api/v1/ai/failures", params=WINDOW, headers=admin_headers).json()
    figures = body["figures"]
    assert figures["deployments"] == 1
    assert figures["failed"] == 0
    assert figures["change_failure_rate"] == 0
    assert figures["ai_weighted_failures"] == 0


def test_exports_give_the_cohorts_and_the_prs_with_their_evidence(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    cohorts = client.get(
        "/api/v1/export/ai/cohorts", params={**WINDOW, "format": "json"}, headers=admin_headers
    )
    assert cohorts.status_code == 200, cohorts.text
    rows = cohorts.json()
    assert {(r["cohort"], r["measure"]) for r in rows} >= {("ai_assisted", "cycle_seconds")}
    csv_text = client.get(
        "/api/v1/export/ai/pull-requests",
        params={**WINDOW, "assisted": "high"},
        headers=admin_headers,
    ).text
    header, *lines = csv_text.strip().splitlines()
    assert header.startswith("id,repository,number,title,url,author,merged_at,assisted,evidence")
    assert len(lines) == 24
    assert "ai_share: 80 % of added lines" in lines[0]
    adoption = client.get(
        "/api/v1/export/ai/adoption", params={**WINDOW, "format": "json"}, headers=admin_headers
    ).json()
    assert sum(r["merged_prs"] for r in adoption) == 48
