"""The metrics, explorer and export endpoints on a small hand-built history."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_incident, make_pull_request, make_repository
from veelocity.derive import DeriveConfig, derive_all

WINDOW = {"start_date": "2026-01-05", "end_date": "2026-01-11"}


@pytest.fixture
def history(db_session: Session) -> dict[str, int]:
    """Four PRs shipped by two deployments in the week of 2026-01-05; one failed run; one
    incident inside the attribution window and one outside it."""
    api = make_repository(db_session, "acme/api")
    web = make_repository(db_session, "acme/web")
    hours = [
        # (first commit, created, merged) in hours from T0; lead times: 6 h, 8 h, 10 h, 12 h
        (0, 1, 4),
        (0, 2, 5),
        (1, 2, 5),
        (0, 1, 5),
    ]
    prs = []
    for index, (first, created, merged) in enumerate(hours):
        prs.append(
            make_pull_request(
                db_session,
                api if index < 2 else web,
                commits=[at(first)],
                created_at=at(created),
                merged_at=at(merged),
                merge_commit_sha=f"sha{index}",
                author_login=["alice", "bob"][index % 2],
                events=[
                    ("review", "carol", at(created + 0.5), "APPROVED"),
                    ("review_requested", "alice", at(created)),
                ],
                additions=[5, 50, 300, 2000][index],
                deletions=0,
            )
        )
    make_pull_request(
        db_session, api, author_login="dependabot[bot]", merged_at=at(3), merge_commit_sha="bot"
    )
    make_deployment(db_session, api, finished_at=at(5.5), status="failure", commit_sha="sha1")
    make_deployment(db_session, api, finished_at=at(6), commits=["sha0", "sha1"])
    make_deployment(db_session, web, finished_at=at(14), commits=["sha2", "sha3"])
    make_incident(db_session, started_at=at(15), resolved_at=at(18), repository_id=web.id)
    make_incident(
        db_session, started_at=at(days=20), resolved_at=at(days=20, hours=1), repository_id=web.id
    )
    derive_all(db_session, DeriveConfig())
    db_session.commit()
    return {"api": api.id, "web": web.id, "first_pr": prs[0].id}


def test_dora_summary_matches_the_hand_computed_figures(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    response = client.get("/api/v1/metrics/dora", params=WINDOW, headers=admin_headers)
    assert response.status_code == 200, response.text
    keys = {k["slug"]: k for k in response.json()["keys"]}
    assert keys["deployment-frequency"]["sample_size"] == 2
    assert keys["deployment-frequency"]["value"] == pytest.approx(2.0)
    # PR0: coding 1 h + opened→merged 3 h + deploy 2 h = 6 h; PR1: 2 + 3 + 1 = 6 h;
    # PR2: 1 + 3 + 9 = 13 h; PR3: 1 + 4 + 9 = 14 h → even count: (6 h + 13 h) / 2 = 9.5 h.
    assert keys["lead-time"]["sample_size"] == 4
    assert keys["lead-time"]["value"] == 9.5 * 3600
    assert keys["lead-time"]["level"] == "elite"
    # 3 production deployments, 2 failed (the failed run; the web one with an incident).
    assert keys["change-failure-rate"]["value"] == pytest.approx(2 / 3)
    assert keys["change-failure-rate"]["level"] == "low"
    # The failed run (5.5 h) recovered with the next deployment (6 h): 30 min. The web
    # deployment (14 h) recovered when its incident was resolved (18 h): 4 h. The incident
    # twenty days later is outside the 7-day attribution window.
    assert keys["recovery-time"]["sample_size"] == 2
    assert keys["recovery-time"]["value"] == (1800 + 4 * 3600) / 2
    assert keys["rework-rate"]["value"] == 0
    assert keys["rework-rate"]["level"] is None
    assert keys["lead-time"]["previous"] == {"value": None, "sample_size": 0}
    assert keys["lead-time"]["trend"]["direction"] == "unknown"
    assert response.json()["level_table"] == "2023"


def test_a_key_has_a_series_with_nulls_for_empty_periods(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    params = {"start_date": "2026-01-01", "end_date": "2026-01-14", "period": "week"}
    response = client.get("/api/v1/metrics/dora/lead-time", params=params, headers=admin_headers)
    series = response.json()["series"]
    assert [p["period_start"] for p in series] == ["2025-12-29", "2026-01-05", "2026-01-12"]
    assert series[0] == {"period_start": "2025-12-29", "value": None, "sample_size": 0}
    assert series[1]["value"] == 9.5 * 3600
    daily = client.get(
        "/api/v1/metrics/dora/deployment-frequency",
        params={**WINDOW, "period": "day"},
        headers=admin_headers,
    )
    assert [p["value"] for p in daily.json()["series"]][:2] == [2.0, 0.0]


def test_repository_and_statistic_filters(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    only_api = client.get(
        "/api/v1/metrics/dora/lead-time",
        params={**WINDOW, "repo_id": history["api"]},
        headers=admin_headers,
    )
    assert only_api.json()["value"] == 6 * 3600
    p90 = client.get(
        "/api/v1/metrics/dora/lead-time",
        params={**WINDOW, "statistic": "p90"},
        headers=admin_headers,
    )
    # continuous percentile of [6, 6, 13, 14] h at 0.9: 13 + 0.7 × 1 = 13.7 h
    assert p90.json()["value"] == pytest.approx(13.7 * 3600)
    old_levels = client.get(
        "/api/v1/metrics/dora", params={**WINDOW, "levels": "2021"}, headers=admin_headers
    )
    keys = {k["slug"]: k for k in old_levels.json()["keys"]}
    assert keys["lead-time"]["level"] == "high"  # 2021: elite only under an hour
    assert (
        client.get(
            "/api/v1/metrics/dora",
            params={"start_date": "2026-02-01", "end_date": "2026-01-01"},
            headers=admin_headers,
        ).status_code
        == 422
    )


def test_team_scope(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    created = client.post(
        "/api/v1/teams",
        json={"name": "Web", "members": ["bob"], "repositories": ["acme/web"]},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    team_id = created.json()["id"]
    throughput = client.get(
        "/api/v1/metrics/development/throughput",
        params={**WINDOW, "team_id": team_id},
        headers=admin_headers,
    )
    assert throughput.json()["value"] == 2  # bob's two PRs
    frequency = client.get(
        "/api/v1/metrics/dora/deployment-frequency",
        params={**WINDOW, "team_id": team_id},
        headers=admin_headers,
    )
    assert frequency.json()["sample_size"] == 1  # acme/web's deployment
    assert (
        client.get(
            "/api/v1/metrics/dora", params={**WINDOW, "team_id": 999}, headers=admin_headers
        ).status_code
        == 404
    )


def test_development_metrics_leave_bots_out(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    body = client.get("/api/v1/metrics/development", params=WINDOW, headers=admin_headers).json()
    metrics = {m["slug"]: m for m in body["metrics"]}
    assert metrics["throughput"]["value"] == 4
    assert metrics["pickup-time"]["value"] == 1800
    assert metrics["pr-size"]["details"]["distribution"] == {
        "XS": 1,
        "S": 1,
        "M": 1,
        "L": 0,
        "XL": 1,
    }


def test_reviewers_and_developers(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    reviewers = client.get(
        "/api/v1/metrics/reviewers", params=WINDOW, headers=admin_headers
    ).json()["reviewers"]
    carol = next(r for r in reviewers if r["login"] == "carol")
    assert carol["reviews_given"] == 4
    developers = client.get(
        "/api/v1/metrics/developers", params=WINDOW, headers=admin_headers
    ).json()["developers"]
    assert [d["login"] for d in developers] == ["alice", "bob", "carol"]
    assert all("[bot]" not in d["login"] for d in developers)
    alice = client.get(
        "/api/v1/metrics/developers/alice", params=WINDOW, headers=admin_headers
    ).json()
    assert alice["prs_merged"] == 2
    assert (
        client.get(
            "/api/v1/metrics/developers/nobody", params=WINDOW, headers=admin_headers
        ).status_code
        == 404
    )


def test_pr_explorer_pages_with_a_cursor_and_shows_a_timeline(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    seen = []
    cursor = None
    while True:
        params = {"page_size": 2, "sort": "created_at", "order": "asc"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/github/prs", params=params, headers=admin_headers).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    assert (
        client.get(
            "/api/v1/github/prs", params={"page_size": 101}, headers=admin_headers
        ).status_code
        == 422
    )
    assert (
        client.get(
            "/api/v1/github/prs", params={"cursor": "garbage!"}, headers=admin_headers
        ).status_code
        == 422
    )
    search = client.get(
        "/api/v1/github/prs", params={"author": "bob", "include_bots": False}, headers=admin_headers
    ).json()
    assert {i["author"] for i in search["items"]} == {"bob"}

    detail = client.get(f"/api/v1/github/prs/{history['first_pr']}", headers=admin_headers).json()
    assert detail["deployment"]["environment"] == "production"
    assert [e["kind"] for e in detail["timeline"]] == ["review_requested", "review"]
    assert detail["phases"]["pickup_seconds"] == 1800
    assert detail["lead_time_seconds"] == 6 * 3600
    assert client.get("/api/v1/github/prs/99999", headers=admin_headers).status_code == 404


def test_exports_as_csv_and_json(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    response = client.get(
        "/api/v1/export/metrics/lead-time",
        params={**WINDOW, "period": "day"},
        headers=admin_headers,
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0] == {"period_start": "2026-01-05", "value": "34200.0", "sample_size": "4"}
    as_json = client.get(
        "/api/v1/export/prs", params={"format": "json"}, headers=admin_headers
    ).json()
    assert len(as_json) == 5
    assert {"lead_time_seconds", "pickup_seconds", "repository"} <= set(as_json[0])
    assert client.get("/api/v1/export/metrics/nonsense", headers=admin_headers).status_code == 404
