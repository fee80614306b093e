"""Deployment and failure events shaped like the common DORA metrics API: the same records,
keys and DORA figures as the native JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from datadog_api_client.v2.model.dora_deployment_request import DORADeploymentRequest
from datadog_api_client.v2.model.dora_deployment_request_attributes import (
    DORADeploymentRequestAttributes,
)
from datadog_api_client.v2.model.dora_deployment_request_data import DORADeploymentRequestData
from datadog_api_client.v2.model.dora_failure_request import DORAFailureRequest
from datadog_api_client.v2.model.dora_failure_request_attributes import (
    DORAFailureRequestAttributes,
)
from datadog_api_client.v2.model.dora_failure_request_data import DORAFailureRequestData
from datadog_api_client.v2.model.dora_git_info import DORAGitInfo
from fastapi.testclient import TestClient

from tests.ingest.conftest import SHA_A
from tests.ingest.delivery_sequence import (
    DEPLOYMENTS,
    INCIDENT,
    ROLLBACK,
    WINDOW,
    assert_meaningful,
    dora_figures,
    push_native_sequence,
    push_pull_requests,
)


def nanoseconds(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp()) * 1_000_000_000


def deployment_event(
    event_id: str | None, at: str, sha: str, repository: str, **extra: Any
) -> dict[str, Any]:
    """A deployment event built with the vendor's own request models, then as JSON."""
    attributes = DORADeploymentRequestAttributes(
        service="api",
        env="production",
        version="v1.4.0",
        team="payments",
        started_at=nanoseconds(at) - 300 * 1_000_000_000,
        finished_at=nanoseconds(at),
        git=DORAGitInfo(repository_url=f"https://github.com/{repository}.git", commit_sha=sha),
        **({"id": event_id} if event_id is not None else {}),
    )
    body: dict[str, Any] = DORADeploymentRequest(
        data=DORADeploymentRequestData(attributes=attributes)
    ).to_dict()
    for name, value in extra.items():
        if value is None:
            body["data"]["attributes"].pop(name, None)
        else:
            body["data"]["attributes"][name] = value
    return body


def failure_event(
    event_id: str, started_at: str, finished_at: str | None, repository: str
) -> dict[str, Any]:
    """A failure event built with the vendor's own request models, then as JSON."""
    attributes = DORAFailureRequestAttributes(
        id=event_id,
        services=["api"],
        team="payments",
        env="production",
        name="Checkout errors",
        severity="High",
        started_at=nanoseconds(started_at),
        git=DORAGitInfo(repository_url=f"https://github.com/{repository}", commit_sha=SHA_A),
        **({"finished_at": nanoseconds(finished_at)} if finished_at is not None else {}),
    )
    body: dict[str, Any] = DORAFailureRequest(
        data=DORAFailureRequestData(attributes=attributes)
    ).to_dict()
    return body


def post(client: TestClient, token: dict[str, str], kind: str, body: Any) -> Any:
    return client.post(f"/api/v1/ingest/dora/{kind}", json=body, headers=token)


def posted(client: TestClient, token: dict[str, str], kind: str, body: Any) -> Any:
    response = post(client, token, kind, body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_month_of_dora_api_events_gives_the_dora_figures_of_the_native_json(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for repository in ("acme/native", "acme/dora"):
        push_pull_requests(client, ingest_headers, repository)
    push_native_sequence(client, ingest_headers, "acme/native")
    for event_id, finished_at, sha in [*DEPLOYMENTS, ROLLBACK]:
        posted(
            client,
            ingest_headers,
            "deployment",
            deployment_event(event_id, finished_at, sha, "acme/dora"),
        )
    incident_id, detected, resolved = INCIDENT
    posted(
        client, ingest_headers, "failure", failure_event(incident_id, detected, None, "acme/dora")
    )
    posted(
        client,
        ingest_headers,
        "failure",
        failure_event(incident_id, detected, resolved, "acme/dora"),
    )
    # The rollback's failure: from the rolled-back deployment to the rollback.
    posted(
        client,
        ingest_headers,
        "failure",
        failure_event("rollback-1", DEPLOYMENTS[-1][1], ROLLBACK[1], "acme/dora"),
    )

    native = dora_figures(client, admin_headers, "acme/native")
    assert_meaningful(native)
    assert dora_figures(client, admin_headers, "acme/dora") == native


def test_an_event_without_an_id_is_keyed_by_its_contents(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    event = deployment_event(None, "2025-03-03T09:00:00Z", SHA_A, "acme/api")
    assert posted(client, ingest_headers, "deployment", event)["created"] == 1
    assert posted(client, ingest_headers, "deployment", event)["unchanged"] == 1


def test_a_deployment_reads_back_as_sent(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    event = deployment_event("d-1", "2025-03-03T09:00:00Z", SHA_A, "acme/api", env=None)
    posted(client, ingest_headers, "deployment", event["data"]["attributes"])  # no envelope
    [listed] = client.get("/api/v1/deployments", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    assert (listed["source"], listed["external_id"], listed["repository"]) == (
        "dora",
        "d-1",
        "acme/api",
    )
    assert (listed["environment"], listed["commit_sha"], listed["name"]) == (
        "production",
        SHA_A,
        "api v1.4.0",
    )
    assert listed["started_at"] == "2025-03-03T08:55:00Z"


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        (
            "deployment",
            deployment_event("d-1", "2025-03-03T09:00:00Z", SHA_A, "acme/api", git=None),
            "git.repository_url: Veelocity counts deployments by repository",
        ),
        (
            "deployment",
            deployment_event(
                "d-1", "2025-03-03T09:00:00Z", SHA_A, "acme/api", finished_at=1_741_000_000_000_000
            ),
            "data.attributes.finished_at: expected a Unix time in seconds, milliseconds or",
        ),
        (
            "deployment",
            deployment_event("d-1", "2025-03-03T09:00:00Z", "9fceb02", "acme/api"),
            "git.commit_sha: not a full commit sha",
        ),
        (
            "failure",
            {"data": {"attributes": {"started_at": 1741000000000000000}}},
            "services: a failure needs services, git.repository_url or team",
        ),
        (
            "failure",
            {"data": {"attributes": {"team": "payments", "started_at": 1741000000000000000}}},
            "team: Veelocity has no team named 'payments'",
        ),
        ("failure", {"data": {"attributes": []}}, "expected a JSON object"),
    ],
)
def test_an_event_that_cannot_be_recorded_is_refused_in_its_own_terms(
    client: TestClient, ingest_headers: dict[str, str], kind: str, body: Any, message: str
) -> None:
    response = post(client, ingest_headers, kind, body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith(message)


@pytest.mark.parametrize(
    "finished_at",
    [1_740_992_832, 1_740_992_832_000, 1_740_992_832_000_000_000, "2025-03-03T17:07:12+08:00"],
    ids=["seconds", "milliseconds", "nanoseconds", "iso-8601"],
)
def test_times_are_read_in_every_unit_the_api_takes(
    client: TestClient,
    ingest_headers: dict[str, str],
    admin_headers: dict[str, str],
    finished_at: int | str,
) -> None:
    event = deployment_event("d-1", "2025-03-03T09:07:12Z", SHA_A, "acme/api")
    event["data"]["attributes"]["finished_at"] = finished_at
    posted(client, ingest_headers, "deployment", event)
    [listed] = client.get("/api/v1/deployments", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    assert listed["finished_at"] == "2025-03-03T09:07:12Z"


def test_a_failure_naming_only_a_team_follows_that_teams_latest_production_deployment(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for event_id, at, repository in (
        ("d-1", "2025-03-03T09:00:00Z", "acme/api"),
        ("d-2", "2025-03-04T09:00:00Z", "acme/web"),
        ("d-3", "2025-03-05T09:00:00Z", "acme/billing"),  # not the team's
    ):
        posted(
            client, ingest_headers, "deployment", deployment_event(event_id, at, SHA_A, repository)
        )
    team = {"name": "Payments", "repositories": ["acme/api", "acme/web"]}
    assert client.post("/api/v1/teams", json=team, headers=admin_headers).status_code == 201

    def team_failure(event_id: str, started_at: str) -> dict[str, Any]:
        attributes = {"id": event_id, "team": "payments", "started_at": started_at}
        return {"data": {"attributes": attributes}}

    posted(client, ingest_headers, "failure", team_failure("f-1", "2025-03-06T10:00:00Z"))
    [incident] = client.get("/api/v1/incidents", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    assert (incident["external_id"], incident["repository"]) == ("f-1", "acme/web")

    early = post(client, ingest_headers, "failure", team_failure("f-2", "2025-03-01T10:00:00Z"))
    assert early.status_code == 422, early.text
    assert early.json()["error"]["message"].startswith(
        "team: the team 'payments' has no production deployment in its repositories before"
    )
