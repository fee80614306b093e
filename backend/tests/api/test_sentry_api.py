"""The Sentry routes: projects and their mapping (chosen by admins, audited), issues with why
each is or is not an incident, a deployment's error impact, error series, and the preview of
other thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_repository
from tests.conftest import add_user
from tests.derive.sentry_builders import (
    add_events,
    make_sentry_issue,
    make_sentry_project,
    make_sentry_release,
    sentry_changes,
)
from veelocity.derive import DeriveConfig, derive_changes
from veelocity.models import SentryErrorStat

SHA = "c3" * 20


@pytest.fixture
def stored(database_url: str, client: TestClient) -> dict[str, Any]:
    """A repository with a deployment whose release's issue crossed the thresholds, a small
    issue the next day, and daily error counts."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        repo = make_repository(session, "acme/checkout")
        other = make_repository(session, "acme/web")
        deployment = make_deployment(session, repo, finished_at=at(1), commit_sha=SHA)
        project = make_sentry_project(session, repo, slug="checkout")
        make_sentry_release(session, project, SHA[:9], created_at=at(0))
        big = make_sentry_issue(session, project, first_seen=at(2), first_release_version=SHA[:9])
        add_events(session, big, at(2), 120)
        small = make_sentry_issue(session, project, first_seen=at(20), level="warning")
        add_events(session, small, at(20), 3)
        for offset, events in ((-1, 48), (0, 240), (1, 24)):
            session.add(
                SentryErrorStat(project_id=project.id, day=at(offset * 24).date(), events=events)
            )
        session.flush()
        derive_changes(session, DeriveConfig(), everything(session).merge(sentry_changes(session)))
        ids = {
            "repo": repo.id,
            "other": other.id,
            "deployment": deployment.id,
            "project": project.id,
            "big": big.id,
            "big_short": big.short_id,
            "small": small.id,
        }
    engine.dispose()
    return ids


def test_projects_list_their_repository_and_how_it_was_found(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com")
    [project] = client.get("/api/v1/sentry/projects", headers=viewer).json()["items"]
    assert project["slug"] == "checkout"
    assert (project["repository"], project["mapped_by"]) == ("acme/checkout", "name")
    assert (project["issues"], project["incidents"]) == (2, 1)


def test_an_admin_chooses_a_repository_and_it_is_audited_and_derived_again(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    url = f"/api/v1/sentry/projects/{stored['project']}/repository"
    chosen = client.put(url, json={"repository_id": stored["other"]}, headers=admin_headers)
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["repository"], chosen.json()["mapped_by"]) == ("acme/web", "chosen")
    # the release no longer maps to acme/checkout's deployment, nor does the incident
    issue = client.get(f"/api/v1/sentry/issues/{stored['big']}", headers=admin_headers).json()
    assert issue["first_release_deployment_id"] is None
    errors = client.get(
        f"/api/v1/deployments/{stored['deployment']}/errors", headers=admin_headers
    ).json()
    assert errors["failing_issues"] == []
    events = client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    assert any(
        e["action"] == "sentry_project.repository_updated" and e["target"] == "checkout"
        for e in events
    )
    again = client.delete(url, headers=admin_headers).json()
    assert (again["repository"], again["mapped_by"]) == ("acme/checkout", "name")


def test_viewers_cannot_choose_and_unknown_ids_are_refused(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com")
    url = f"/api/v1/sentry/projects/{stored['project']}/repository"
    assert client.put(url, json={"repository_id": None}, headers=viewer).status_code == 403
    assert (
        client.put(url, json={"repository_id": 999_999}, headers=admin_headers).status_code == 422
    )
    assert (
        client.put(
            "/api/v1/sentry/projects/999999/repository",
            json={"repository_id": None},
            headers=admin_headers,
        ).status_code
        == 404
    )
    assert client.get("/api/v1/sentry/issues/99999999", headers=viewer).status_code == 404
    assert client.get(f"/api/v1/sentry/issues/{2**63}", headers=viewer).status_code == 422
    assert client.get("/api/v1/sentry/issues?cursor=%00", headers=viewer).status_code == 422


def test_issues_say_why_they_are_or_are_not_incidents_and_filter_and_page(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    page = client.get("/api/v1/sentry/issues?page_size=1", headers=admin_headers).json()
    assert [i["id"] for i in page["items"]] == [stored["small"]]
    assert (
        page["items"][0]["incident_reason"] == "level warning is not one that counts (error, fatal)"
    )
    rest = client.get(
        f"/api/v1/sentry/issues?page_size=1&cursor={page['next_cursor']}", headers=admin_headers
    ).json()
    assert [i["id"] for i in rest["items"]] == [stored["big"]]
    assert rest["next_cursor"] is None
    incidents = client.get("/api/v1/sentry/issues?incident=true", headers=admin_headers).json()
    [incident] = incidents["items"]
    assert incident["incident_reason"] == "120 events in 24 h of its first event (≥ 100)"
    assert incident["first_release_deployment_id"] == stored["deployment"]
    errors = client.get("/api/v1/sentry/issues?level=error", headers=admin_headers).json()
    assert [i["id"] for i in errors["items"]] == [stored["big"]]
    day = at(20).date().isoformat()
    windowed = client.get(f"/api/v1/sentry/issues?start_date={day}", headers=admin_headers).json()
    assert [i["id"] for i in windowed["items"]] == [stored["small"]]


def test_an_issue_shows_its_incident_and_the_deployment_it_is_attributed_to(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    issue = client.get(f"/api/v1/sentry/issues/{stored['big']}", headers=admin_headers).json()
    [incident] = issue["incidents"]
    assert incident["attributed_deployment_id"] == stored["deployment"]
    assert incident["attribution_reason"] == (
        f"first seen in release {SHA[:9]}, deployed by deployment {stored['deployment']}"
    )
    assert issue["events_read"] is True


def test_a_deployment_shows_the_issues_that_failed_it_and_errors_around_it(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    impact = client.get(
        f"/api/v1/deployments/{stored['deployment']}/errors", headers=admin_headers
    ).json()
    assert [i["short_id"] for i in impact["failing_issues"]] == [stored["big_short"]]
    # it finished at 10:00 UTC: the day before gives 14 h of its 48 events, the day itself
    # 10 h of 240; after, 14 h of 240 and 10 h of 24
    assert impact["before"]["error_events"] == 128.0
    assert impact["after"]["error_events"] == 150.0
    assert (impact["before"]["new_issues"], impact["after"]["new_issues"]) == (0, 2)
    assert [i["id"] for i in impact["after"]["new_issue_list"]] == [stored["big"], stored["small"]]
    assert (
        client.get("/api/v1/deployments/99999999/errors", headers=admin_headers).status_code == 404
    )


def test_series_count_error_events_and_new_issues_per_project(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    start = at(-24).date()
    end = start + timedelta(days=6)
    answer = client.get(
        f"/api/v1/metrics/sentry?start_date={start}&end_date={end}&period=day",
        headers=admin_headers,
    ).json()
    events, new_issues = answer["metrics"]
    assert (events["slug"], events["value"], events["better"]) == (
        "sentry-error-events",
        312.0,
        "lower",
    )
    assert new_issues["value"] == 2.0
    assert [p["value"] for p in events["series"][:3]] == [48.0, 240.0, 24.0]
    [project] = answer["projects"]
    assert project["project"] == "checkout"
    # one issue first seen on the deployment's day, the other the next morning
    assert [p["value"] for p in project["new_issues"]["series"][:3]] == [0.0, 1.0, 1.0]
    other = client.get(
        f"/api/v1/metrics/sentry?start_date={start}&end_date={end}&repo_id={stored['other']}",
        headers=admin_headers,
    ).json()
    assert other["projects"] == []
    assert other["metrics"][0]["value"] == 0.0
    catalogue = {
        m["slug"] for m in client.get("/api/v1/metrics/catalogue", headers=admin_headers).json()
    }
    assert {"sentry-error-events", "sentry-new-issues"} <= catalogue
    assert isinstance(date.fromisoformat(events["series"][0]["period_start"]), date)


def test_the_preview_lists_which_issues_other_thresholds_would_change(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    lower = client.post(
        "/api/v1/sentry/incident-preview",
        json={"min_events": 2, "min_users": 50, "levels": ["error", "warning"]},
        headers=admin_headers,
    ).json()
    assert (lower["incidents"], lower["incidents_now"]) == (2, 1)
    assert [e["issue"]["id"] for e in lower["becoming"]] == [stored["small"]]
    assert lower["becoming"][0]["reason"] == "3 events in 24 h of its first event (≥ 2)"
    higher = client.post(
        "/api/v1/sentry/incident-preview",
        json={"min_events": 500, "min_users": 50, "levels": ["error"]},
        headers=admin_headers,
    ).json()
    assert higher["leaving_total"] == 1
    assert higher["leaving"][0]["issue"]["id"] == stored["big"]
    # nothing was saved
    issue = client.get(f"/api/v1/sentry/issues/{stored['big']}", headers=admin_headers).json()
    assert issue["is_incident"] is True
    viewer = add_user(client, admin_headers, "viewer@example.com")
    assert (
        client.post(
            "/api/v1/sentry/incident-preview",
            json={"min_events": 2, "min_users": 2, "levels": ["error"]},
            headers=viewer,
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/sentry/incident-preview",
            json={"min_events": 0, "min_users": 2, "levels": ["error"]},
            headers=admin_headers,
        ).status_code
        == 422
    )


def test_exports_give_the_issue_list_and_the_series(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    listed = client.get(
        "/api/v1/export/sentry-issues?format=json&incident=true", headers=admin_headers
    ).json()
    assert [(i["id"], i["incident_reason"]) for i in listed] == [
        (stored["big"], "120 events in 24 h of its first event (≥ 100)")
    ]
    csv_text = client.get("/api/v1/export/sentry-issues", headers=admin_headers).text
    assert csv_text.splitlines()[0].startswith("id,external_id,short_id,project,title,level")
    assert len(csv_text.splitlines()) == 3
    start = at(-24).date()
    series = client.get(
        f"/api/v1/export/metrics/sentry/sentry-error-events?format=json&period=day"
        f"&start_date={start}&end_date={start + timedelta(days=2)}",
        headers=admin_headers,
    ).json()
    assert [p["value"] for p in series] == [48.0, 240.0, 24.0]
    assert (
        client.get("/api/v1/export/metrics/sentry/nope", headers=admin_headers).status_code == 404
    )


def test_saved_thresholds_decide_again_which_issues_are_incidents_and_are_audited(
    client: TestClient, admin_headers: dict[str, str], stored: dict[str, Any]
) -> None:
    url = "/api/v1/sentry/thresholds"
    assert client.get(url, headers=admin_headers).json() == {
        "min_events": 100,
        "min_users": 10,
        "levels": ["error", "fatal"],
        "saved": False,
    }
    lower = {"min_events": 2, "min_users": 50, "levels": ["error", "warning"]}
    saved = client.put(url, json=lower, headers=admin_headers)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {**lower, "saved": True}
    small = client.get(f"/api/v1/sentry/issues/{stored['small']}", headers=admin_headers).json()
    assert (small["is_incident"], small["incident_reason"]) == (
        True,
        "3 events in 24 h of its first event (≥ 2)",
    )
    events = client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    assert any(e["action"] == "settings.sentry_thresholds_updated" for e in events)
    viewer = add_user(client, admin_headers, "viewer@example.com")
    assert client.put(url, json=lower, headers=viewer).status_code == 403
    assert client.get(url, headers=viewer).json()["saved"] is True
    forgotten = client.delete(url, headers=admin_headers).json()
    assert (forgotten["min_events"], forgotten["saved"]) == (100, False)
    small = client.get(f"/api/v1/sentry/issues/{stored['small']}", headers=admin_headers).json()
    assert small["is_incident"] is False
