"""What a pipeline pushed, read back: its ids, the window applied, the PRs it named."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.ingest.conftest import SHA_A, SHA_B, deployment, incident, pull_request

WINDOW = {"start_date": "2025-03-01", "end_date": "2025-03-31"}


def _push(client: TestClient, headers: dict[str, str], kind: str, body: Any) -> Any:
    response = client.post(f"/api/v1/ingest/{kind}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _get(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_deployments_and_incidents_read_back_with_the_external_id_pushed(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    _push(client, ingest_headers, "pull-requests", pull_request())
    _push(
        client,
        ingest_headers,
        "deployments",
        deployment(
            external_id="api-deploy-1842",
            started_at="2025-03-02T17:00:00Z",
            finished_at="2025-03-02T17:30:00Z",
        ),
    )
    _push(
        client,
        ingest_headers,
        "incidents",
        incident(deployment={"source": "jenkins", "external_id": "api-deploy-1842"}),
    )

    [listed] = _get(client, admin_headers, "deployments", **WINDOW)["items"]
    [raised] = _get(client, admin_headers, "incidents", **WINDOW)["items"]
    [pr] = _get(client, admin_headers, "github/prs", **WINDOW)["items"]
    detail = _get(client, admin_headers, f"github/prs/{pr['id']}")

    assert (listed["source"], listed["external_id"]) == ("jenkins", "api-deploy-1842")
    assert raised["external_id"] == "Q1ZT8H"
    assert raised["deployment"]["external_id"] == "api-deploy-1842"
    assert raised["deployment"]["source"] == "jenkins"
    assert detail["deployment"]["external_id"] == "api-deploy-1842"
    assert [(i["source"], i["external_id"]) for i in detail["incidents"]] == [
        ("pagerduty", "Q1ZT8H")
    ]


def test_lists_say_which_window_they_applied(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    deployments = _get(client, admin_headers, "deployments", **WINDOW)
    incidents = _get(client, admin_headers, "incidents", **WINDOW)
    defaulted = _get(client, admin_headers, "deployments")

    expected = {"start": "2025-03-01T00:00:00Z", "end": "2025-04-01T00:00:00Z"}
    assert deployments["window"] == expected
    assert incidents["window"] == expected
    start, end = defaulted["window"]["start"], defaulted["window"]["end"]
    assert end[:10] > start[:10]
    assert end.endswith("T00:00:00Z")


def test_a_deployment_without_an_environment_counts_as_production(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    _push(client, ingest_headers, "deployments", deployment(environment=None))
    [listed] = _get(client, admin_headers, "deployments", **WINDOW)["items"]
    assert (listed["environment"], listed["is_production"]) == ("production", True)


def test_a_deployment_naming_its_pull_requests_ships_them(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    _push(
        client,
        ingest_headers,
        "pull-requests",
        {
            "items": [
                pull_request(url="https://gitlab.example.com/acme/api/-/merge_requests/311"),
                pull_request(
                    external_id="312", number=312, merge_commit_sha=SHA_B, commits=[], events=[]
                ),
            ]
        },
    )
    _push(
        client,
        ingest_headers,
        "deployments",
        deployment(
            started_at="2025-03-02T17:00:00Z",
            finished_at="2025-03-02T17:30:00Z",
            commit_sha=None,
            pull_requests=["https://gitlab.example.com/acme/api/-/merge_requests/311/", 312],
        ),
    )
    [listed] = _get(client, admin_headers, "deployments", **WINDOW)["items"]
    assert sorted(p["number"] for p in listed["pull_requests"]) == [311, 312]


def test_a_deployment_naming_an_unknown_pull_request_is_refused_and_nothing_is_written(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    _push(client, ingest_headers, "pull-requests", pull_request())
    response = client.post(
        "/api/v1/ingest/deployments",
        json={
            "items": [
                deployment(external_id="a", pull_requests=[311]),
                deployment(external_id="b", pull_requests=[311, 999]),
            ]
        },
        headers=ingest_headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == (
        "items.1.pull_requests.1: no pull request #999 is known in acme/api; "
        "send the pull request first (or sync its repository), or list the deployed commits "
        "in commits"
    )
    assert _get(client, admin_headers, "deployments", **WINDOW)["total"] == 0


def test_review_kinds_are_stored_as_reviews_with_their_state(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    events = [
        {"kind": "changes_requested", "actor": "bob", "at": "2025-03-01T10:00:00Z"},
        {"kind": "approved", "actor": "bob", "at": "2025-03-02T09:00:00Z"},
    ]
    _push(client, ingest_headers, "pull-requests", pull_request(events=events))
    [pr] = _get(client, admin_headers, "github/prs", **WINDOW)["items"]
    detail = _get(client, admin_headers, f"github/prs/{pr['id']}")
    reviews = [(e["kind"], e["state"]) for e in detail["timeline"] if e["kind"] == "review"]
    assert reviews == [("review", "CHANGES_REQUESTED"), ("review", "APPROVED")]
    assert detail["approved_at"] == "2025-03-02T09:00:00Z"


def test_an_invalid_sha_is_answered_with_a_sentence(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/ingest/deployments",
        json=deployment(commit_sha=SHA_A[:7]),
        headers=ingest_headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(
        "items.0.commit_sha: not a full commit sha: expected 40 (SHA-1) or 64 (SHA-256) "
    )
