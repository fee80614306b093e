"""The drill-down lists: repositories, deployments, incidents, on a small hand-built history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_incident, make_pull_request, make_repository
from veelocity.derive import DeriveConfig, derive_all
from veelocity.metrics.development import DEVELOPMENT_KEYS
from veelocity.metrics.dora import DORA_KEYS

WINDOW = {"start_date": "2026-01-05", "end_date": "2026-01-18"}


@pytest.fixture
def history(db_session: Session) -> dict[str, Any]:
    """acme/api: a failed run, then a deployment shipping two PRs, then (a week later) one
    shipping a PR that a revert undoes, then the revert. acme/web: one deployment with an
    incident attributed by time. acme/docs: no pull requests or deployments. One open
    incident of a service no repository matches."""
    api = make_repository(db_session, "acme/api")
    web = make_repository(db_session, "acme/web")
    make_repository(db_session, "acme/docs")
    first = make_pull_request(
        db_session,
        api,
        commits=[at(0)],
        created_at=at(1),
        merged_at=at(4),
        merge_commit_sha="a1",
        url="https://github.com/acme/api/pull/1",
        updated_at=at(4),
        events=[("review", "carol", at(2), "APPROVED")],
    )
    second = make_pull_request(
        db_session, api, commits=[at(0)], created_at=at(2), merged_at=at(5), merge_commit_sha="a2"
    )
    broken = make_pull_request(
        db_session,
        api,
        commits=[at(days=7)],
        created_at=at(1, days=7),
        merged_at=at(2, days=7),
        merge_commit_sha="a3",
        title="Cache the catalogue",
        author_login="bob",
    )
    revert = make_pull_request(
        db_session,
        api,
        commits=[at(4, days=7)],
        created_at=at(4, days=7),
        merged_at=at(5, days=7),
        merge_commit_sha="a4",
        title='Revert "Cache the catalogue"',
        author_login="bob",
        url="https://github.com/acme/api/pull/4",
    )
    shipped_by_web = make_pull_request(
        db_session,
        web,
        commits=[at(0)],
        created_at=at(1),
        merged_at=at(5),
        merge_commit_sha="w1",
        url="https://github.example.com/acme/web/pull/7",
        updated_at=at(12),
    )
    failed_run = make_deployment(
        db_session, api, finished_at=at(5.5), status="failure", commit_sha="a2"
    )
    good = make_deployment(db_session, api, finished_at=at(6), commits=["a1", "a2"])
    reverted = make_deployment(db_session, api, finished_at=at(3, days=7), commits=["a3"])
    fix = make_deployment(db_session, api, finished_at=at(6, days=7), commits=["a4"])
    web_deployment = make_deployment(db_session, web, finished_at=at(14), commits=["w1"])
    outage = make_incident(
        db_session,
        started_at=at(15),
        resolved_at=at(18),
        repository_id=web.id,
        external_id="INC-12",
        title="Checkout errors",
    )
    open_incident = make_incident(
        db_session,
        started_at=at(days=10),
        external_id="INC-13",
        title="Slow search",
        service="search",
        source="ingest",
    )
    staging = make_deployment(
        db_session, web, finished_at=at(20), environment="staging", commits=["w1"]
    )
    derive_all(db_session, DeriveConfig())
    db_session.commit()
    return {
        "api": api.id,
        "web": web.id,
        "prs": {
            "first": first.id,
            "second": second.id,
            "broken": broken.id,
            "revert": revert.id,
            "web": shipped_by_web.id,
        },
        "deployments": {
            "failed_run": failed_run.id,
            "good": good.id,
            "reverted": reverted.id,
            "fix": fix.id,
            "web": web_deployment.id,
            "staging": staging.id,
        },
        "incident": outage.id,
        "open_incident": open_incident.id,
    }


def test_repositories_list_every_repository_with_counts_and_latest_activity(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    response = client.get("/api/v1/repositories", headers=admin_headers)
    assert response.status_code == 200, response.text
    by_name = {r["full_name"]: r for r in response.json()}
    assert list(by_name) == ["acme/api", "acme/docs", "acme/web"]
    api, docs, web = by_name["acme/api"], by_name["acme/docs"], by_name["acme/web"]
    assert api["id"] == history["api"]
    assert api["default_branch"] == "main"
    assert api["url"] == "https://github.com/acme/api"
    assert (api["pull_request_count"], api["deployment_count"]) == (4, 4)
    # The latest deployment (day 7, 6 h) is later than any PR update.
    assert api["last_activity_at"] == "2026-01-12T15:00:00Z"
    assert web["url"] == "https://github.example.com/acme/web"
    assert (web["pull_request_count"], web["deployment_count"]) == (1, 2)
    assert web["last_activity_at"] == "2026-01-06T05:00:00Z"
    assert docs == {
        "id": docs["id"],
        "full_name": "acme/docs",
        "default_branch": "main",
        "url": None,
        "pull_request_count": 0,
        "deployment_count": 0,
        "last_activity_at": None,
    }


def test_repositories_need_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/repositories").status_code == 401


def _deployments(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/deployments", params={**WINDOW, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_deployments_list_newest_first_with_what_they_shipped(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    ids, prs = history["deployments"], history["prs"]
    body = _deployments(client, admin_headers)
    assert body["total"] == 5  # production only: the staging deployment is not counted
    assert [d["id"] for d in body["items"]] == [
        ids["fix"],
        ids["reverted"],
        ids["web"],
        ids["good"],
        ids["failed_run"],
    ]
    good = body["items"][3]
    assert good["repository"] == "acme/api"
    assert good["status"] == "success"
    assert good["is_failed"] is False
    assert good["failure_causes"] == []
    assert [p["id"] for p in good["pull_requests"]] == [prs["first"], prs["second"]]
    # Both: coding + opened→merged + merged→deployed = 6 h.
    assert [p["lead_time_seconds"] for p in good["pull_requests"]] == [6 * 3600, 6 * 3600]
    assert good["median_lead_time_seconds"] == 6 * 3600
    assert good["pull_requests"][0]["url"] == "https://github.com/acme/api/pull/1"


def test_each_failed_deployment_says_why_it_counted_as_failed(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    ids = history["deployments"]
    body = _deployments(client, admin_headers, failed="true")
    by_id = {d["id"]: d for d in body["items"]}
    assert set(by_id) == {ids["failed_run"], ids["reverted"], ids["web"]}

    failed_run = by_id[ids["failed_run"]]
    assert failed_run["status"] == "failure"
    assert [c["kind"] for c in failed_run["failure_causes"]] == ["failed_run"]
    assert failed_run["failure_causes"][0]["description"] == "The deployment run failed."
    assert failed_run["recovery_seconds"] == 30 * 60  # the next successful deployment
    assert failed_run["pull_requests"] == []

    [revert] = by_id[ids["reverted"]]["failure_causes"]
    assert revert["kind"] == "revert"
    assert revert["revert_pull_request_id"] == history["prs"]["revert"]
    assert revert["description"].startswith(
        f"Followed by revert PR #{revert['revert_pull_request_number']} "
        '“Revert "Cache the catalogue"”: reverts PR #'
    )
    assert revert["description"].endswith(", which this deployment shipped.")
    assert by_id[ids["reverted"]]["recovery_seconds"] == 3 * 3600  # the revert shipped

    [incident] = by_id[ids["web"]]["failure_causes"]
    assert incident["kind"] == "incident"
    assert incident["incident_id"] == history["incident"]
    assert incident["incident_external_id"] == "INC-12"
    assert incident["description"] == (
        "Incident INC-12 “Checkout errors” attributed: latest production deployment of "
        "acme/web before the incident started (within 7 days)."
    )
    assert by_id[ids["web"]]["recovery_seconds"] == 4 * 3600  # the incident resolved

    not_failed = _deployments(client, admin_headers, failed="false")
    assert {d["id"] for d in not_failed["items"]} == {ids["good"], ids["fix"]}
    rework = _deployments(client, admin_headers, rework="true")
    assert [d["id"] for d in rework["items"]] == [ids["fix"]]
    assert rework["items"][0]["rework_reason"].startswith("ships a revert: PR #")


def test_a_chart_point_lists_exactly_the_deployments_it_counts(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    ids = history["deployments"]
    metric = client.get(
        "/api/v1/metrics/dora/change-failure-rate",
        params={**WINDOW, "period": "day"},
        headers=admin_headers,
    ).json()
    first_day = metric["series"][0]
    assert first_day["period_start"] == "2026-01-05"
    behind = _deployments(client, admin_headers, period="day", period_start="2026-01-05")
    assert behind["total"] == first_day["sample_size"] == 3
    assert {d["id"] for d in behind["items"]} == {ids["failed_run"], ids["good"], ids["web"]}
    failed = [d for d in behind["items"] if d["is_failed"]]
    assert len(failed) / behind["total"] == first_day["value"]

    # A week that starts before the window counts only the days inside it.
    week = _deployments(
        client,
        admin_headers,
        start_date="2026-01-06",
        end_date="2026-01-18",
        period="week",
        period_start="2026-01-05",
    )
    assert week["total"] == 0
    second_week = _deployments(client, admin_headers, period="week", period_start="2026-01-12")
    assert {d["id"] for d in second_week["items"]} == {ids["reverted"], ids["fix"]}


def test_deployments_filter_by_repository_environment_and_page(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    ids = history["deployments"]
    web = _deployments(client, admin_headers, repo_id=history["web"])
    assert [d["id"] for d in web["items"]] == [ids["web"]]
    everywhere = _deployments(client, admin_headers, repo_id=history["web"], production_only=False)
    assert [(d["id"], d["environment"], d["is_production"]) for d in everywhere["items"]] == [
        (ids["staging"], "staging", False),
        (ids["web"], "production", True),
    ]
    second_page = _deployments(client, admin_headers, page=2, page_size=2)
    assert second_page["total"] == 5
    assert (second_page["page"], second_page["page_size"]) == (2, 2)
    assert [d["id"] for d in second_page["items"]] == [ids["web"], ids["good"]]
    by_bob = _deployments(client, admin_headers, author="bob")
    assert {d["id"] for d in by_bob["items"]} == {ids["reverted"], ids["fix"]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"period": "week", "period_start": "2026-01-07"},
            "period_start must be the first day of a week (a Monday).",
        ),
        (
            {"period": "day", "period_start": "2026-02-01"},
            "period_start: that period is outside the window.",
        ),
    ],
)
def test_a_period_start_that_is_not_a_chart_point_is_refused(
    client: TestClient,
    admin_headers: dict[str, str],
    history: dict[str, Any],
    params: dict[str, str],
    message: str,
) -> None:
    response = client.get("/api/v1/deployments", params={**WINDOW, **params}, headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == message


def _incidents(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/incidents", params={**WINDOW, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    items: list[dict[str, Any]] = body["items"]
    return items


def test_incidents_list_newest_first_with_their_attributed_deployment(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    deployments = history["deployments"]
    items = _incidents(client, admin_headers)
    assert [i["title"] for i in items] == [
        "Slow search",
        'Revert "Cache the catalogue"',
        "Checkout errors",
    ]
    still_open, revert, outage = items
    assert still_open["id"] == history["open_incident"]
    assert (still_open["resolved_at"], still_open["recovery_seconds"]) == (None, None)
    assert (still_open["deployment"], still_open["attribution_reason"]) == (None, None)
    assert (still_open["source"], still_open["service"]) == ("ingest", "search")

    assert outage["id"] == history["incident"]
    assert outage["external_id"] == "INC-12"
    assert outage["repository"] == "acme/web"
    assert outage["started_at"] == "2026-01-06T00:00:00Z"
    assert outage["recovery_seconds"] == 3 * 3600
    assert outage["deployment"]["id"] == deployments["web"]
    assert outage["deployment"]["repository"] == "acme/web"
    assert outage["deployment"]["recovery_seconds"] == 4 * 3600
    assert outage["attribution_reason"] == (
        "latest production deployment of acme/web before the incident started (within 7 days)"
    )

    assert revert["source"] == "revert"
    assert revert["revert_pull_request_id"] == history["prs"]["revert"]
    assert revert["deployment"]["id"] == deployments["reverted"]
    assert revert["attribution_reason"].startswith("reverts PR #")
    assert revert["recovery_seconds"] == 2 * 3600  # opened at 4 h, shipped at 6 h


def test_incidents_filter_by_scope_state_source_and_period(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    def titles(**params: Any) -> list[str]:
        return [i["title"] for i in _incidents(client, admin_headers, **params)]

    assert titles(repo_id=history["web"]) == ["Checkout errors"]
    assert titles(repo_id=history["api"]) == ['Revert "Cache the catalogue"']
    # bob's PR was shipped by the deployment the revert is attributed to.
    assert titles(author="bob") == ['Revert "Cache the catalogue"']
    assert titles(resolved="false") == ["Slow search"]
    assert titles(resolved="true") == ['Revert "Cache the catalogue"', "Checkout errors"]
    assert titles(source="revert") == ['Revert "Cache the catalogue"']
    assert titles(period="week", period_start="2026-01-12") == [
        "Slow search",
        'Revert "Cache the catalogue"',
    ]
    assert titles(start_date="2026-01-20", end_date="2026-01-25") == []


def _pull_requests(client: TestClient, headers: dict[str, str], **params: Any) -> list[int]:
    response = client.get("/api/v1/github/prs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return sorted(p["id"] for p in response.json()["items"])


def test_a_throughput_point_lists_the_prs_merged_in_its_period(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    prs = history["prs"]
    metric = client.get(
        "/api/v1/metrics/development/throughput",
        params={**WINDOW, "period": "week"},
        headers=admin_headers,
    ).json()
    points = {p["period_start"]: p["sample_size"] for p in metric["series"]}
    window = {"merged_from": WINDOW["start_date"], "merged_until": WINDOW["end_date"]}
    second_week = _pull_requests(
        client, admin_headers, **window, period="week", period_start="2026-01-12"
    )
    assert second_week == sorted([prs["broken"], prs["revert"]])
    assert len(second_week) == points["2026-01-12"]
    first_week = _pull_requests(client, admin_headers, **window, period_start="2026-01-05")
    assert first_week == sorted([prs["first"], prs["second"], prs["web"]])
    assert len(first_week) == points["2026-01-05"]


def test_prs_filter_by_deployment_and_deployment_period(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    prs, deployments = history["prs"], history["deployments"]
    assert _pull_requests(client, admin_headers, deployment_id=deployments["good"]) == sorted(
        [prs["first"], prs["second"]]
    )
    deployed_first_day = _pull_requests(
        client, admin_headers, period="day", period_start="2026-01-05", period_by="deployed"
    )
    assert deployed_first_day == sorted([prs["first"], prs["second"], prs["web"]])
    assert _pull_requests(
        client, admin_headers, deployed_from="2026-01-12", deployed_until="2026-01-12"
    ) == sorted([prs["broken"], prs["revert"]])


def test_prs_filter_by_team_as_the_metrics_do(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    prs = history["prs"]
    people = client.post(
        "/api/v1/teams", json={"name": "Search", "members": ["bob"]}, headers=admin_headers
    ).json()
    assert _pull_requests(client, admin_headers, team_id=people["id"]) == sorted(
        [prs["broken"], prs["revert"]]
    )
    # A team without members covers its repositories.
    web_only = client.post(
        "/api/v1/teams", json={"name": "Web", "repositories": ["acme/web"]}, headers=admin_headers
    ).json()
    assert _pull_requests(client, admin_headers, team_id=web_only["id"]) == [prs["web"]]
    missing = client.get("/api/v1/github/prs", params={"team_id": 999}, headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "No such team."


def test_a_prs_period_that_is_not_a_chart_point_is_refused(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    not_monday = client.get(
        "/api/v1/github/prs", params={"period_start": "2026-01-06"}, headers=admin_headers
    )
    assert not_monday.status_code == 422
    assert not_monday.json()["error"]["message"] == (
        "period_start must be the first day of a week (a Monday)."
    )
    outside = client.get(
        "/api/v1/github/prs",
        params={"period_start": "2026-02-02", "merged_until": "2026-01-18"},
        headers=admin_headers,
    )
    assert outside.status_code == 422


METRIC_ROUTES = [
    *(f"dora/{slug}" for slug in DORA_KEYS),
    *(f"development/{slug}" for slug in (*DEVELOPMENT_KEYS, "coding-time", "deploy-time")),
]


@pytest.mark.parametrize("route", METRIC_ROUTES)
@pytest.mark.parametrize(
    "scope", [{}, {"author": "alice", "statistic": "p75", "period": "day"}], ids=["all", "alice"]
)
def test_each_repository_of_a_breakdown_equals_the_metric_for_that_repository(
    client: TestClient,
    admin_headers: dict[str, str],
    history: dict[str, Any],
    route: str,
    scope: dict[str, str],
) -> None:
    params = {**WINDOW, "period": "week", **scope}
    response = client.get(
        f"/api/v1/metrics/{route}/by-repository", params=params, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["spec"]["slug"] == route.split("/")[1]
    # acme/docs has no data; every metric here has data in acme/api (for alice, in one
    # repository at least: the failed deployments of acme/api shipped none of her PRs).
    names = [r["repository"] for r in body["repositories"]]
    assert "acme/docs" not in names
    assert "acme/api" in names if not scope else names
    assert names == sorted(names)
    for row in body["repositories"]:
        alone = client.get(
            f"/api/v1/metrics/{route}",
            params={**params, "repo_id": row["repository_id"]},
            headers=admin_headers,
        ).json()
        assert row["metric"] == alone


def test_a_breakdown_shows_each_repository_its_own_figures(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get(
        "/api/v1/metrics/dora/change-failure-rate/by-repository",
        params={**WINDOW, "period": "week"},
        headers=admin_headers,
    ).json()
    rows = {r["repository"]: r["metric"] for r in body["repositories"]}
    assert list(rows) == ["acme/api", "acme/web"]
    # acme/api: the failed run and the reverted deployment, of four; acme/web: one of one.
    assert rows["acme/api"]["value"] == 2 / 4
    assert rows["acme/api"]["sample_size"] == 4
    assert [p["sample_size"] for p in rows["acme/api"]["series"]] == [2, 2]
    assert rows["acme/web"]["value"] == 1.0
    assert rows["acme/web"]["level"] == "low"
    # A team of bob's: only the repository where bob's work was deployed.
    team = client.post(
        "/api/v1/teams", json={"name": "Search", "members": ["bob"]}, headers=admin_headers
    ).json()
    for_team = client.get(
        "/api/v1/metrics/dora/change-failure-rate/by-repository",
        params={**WINDOW, "team_id": team["id"]},
        headers=admin_headers,
    ).json()
    assert [(r["repository"], r["metric"]["value"]) for r in for_team["repositories"]] == [
        ("acme/api", 1 / 2)
    ]


def test_a_breakdown_keeps_the_most_active_repositories_up_to_its_limit(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    body = client.get(
        "/api/v1/metrics/dora/deployment-frequency/by-repository",
        params={**WINDOW, "limit": 1},
        headers=admin_headers,
    ).json()
    assert body["active_repositories"] == 2
    assert [r["repository"] for r in body["repositories"]] == ["acme/api"]
    too_many = client.get(
        "/api/v1/metrics/dora/deployment-frequency/by-repository",
        params={**WINDOW, "limit": 101},
        headers=admin_headers,
    )
    assert too_many.status_code == 422
