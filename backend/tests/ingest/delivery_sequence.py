"""A realistic month of delivery, once in the native JSON: the yardstick every other ingest
format is held to (the same events in another format must give the same DORA figures)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.ingest.conftest import SHA_A, SHA_B, SHA_C, pull_request

WINDOW = {"start_date": "2025-03-01", "end_date": "2025-03-31"}

#: (id, finished_at, deployed commit) of three production deployments.
DEPLOYMENTS = [
    ("deploy-1", "2025-03-03T09:00:00Z", SHA_A),
    ("deploy-2", "2025-03-05T12:00:00Z", SHA_B),
    ("deploy-3", "2025-03-10T09:00:00Z", SHA_C),
]
#: An incident after deploy-2: (id, detected, resolved).
INCIDENT = ("INC-7", "2025-03-05T13:00:00Z", "2025-03-05T15:30:00Z")
#: deploy-3 rolled back to deploy-2's commit: (id, at, commit).
ROLLBACK = ("rollback-1", "2025-03-10T11:15:00Z", SHA_B)


def push(client: TestClient, headers: dict[str, str], kind: str, body: Any) -> Any:
    response = client.post(f"/api/v1/ingest/{kind}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def push_pull_requests(client: TestClient, headers: dict[str, str], repository: str) -> None:
    """The merged pull requests the deployments ship (the same in every format's test)."""
    merges = [
        ("1", "2025-03-02T10:00:00Z", "2025-03-03T08:00:00Z", SHA_A),
        ("2", "2025-03-04T09:00:00Z", "2025-03-05T10:00:00Z", SHA_B),
        ("3", "2025-03-07T15:00:00Z", "2025-03-10T08:00:00Z", SHA_C),
    ]
    items = [
        pull_request(
            external_id=f"{repository}!{number}",
            repository=repository,
            number=int(number),
            created_at=created,
            merged_at=merged,
            merge_commit_sha=sha,
            commits=[{"sha": sha, "authored_at": created}],
            events=[],
        )
        for number, created, merged, sha in merges
    ]
    push(client, headers, "pull-requests", {"items": items})


def push_native_sequence(client: TestClient, headers: dict[str, str], repository: str) -> None:
    """The month's deployments and incidents in the native JSON."""
    deployments = [
        {
            "source": "jenkins",
            "external_id": external_id,
            "repository": repository,
            "environment": "production",
            "status": "success",
            "finished_at": finished_at,
            "commit_sha": sha,
        }
        for external_id, finished_at, sha in [*DEPLOYMENTS, ROLLBACK]
    ]
    push(client, headers, "deployments", {"items": deployments})
    incident_id, detected, resolved = INCIDENT
    rolled_back_id, rolled_back_at, _ = DEPLOYMENTS[-1]
    incidents = [
        {
            "source": "pagerduty",
            "external_id": incident_id,
            "repository": repository,
            "started_at": detected,
            "resolved_at": resolved,
        },
        {
            "source": "jenkins",
            "external_id": f"{ROLLBACK[0]}:rollback",
            "repository": repository,
            "started_at": rolled_back_at,
            "resolved_at": ROLLBACK[1],
            "deployment": {"source": "jenkins", "external_id": rolled_back_id},
        },
    ]
    push(client, headers, "incidents", {"items": incidents})


def dora_figures(client: TestClient, headers: dict[str, str], repository: str) -> dict[str, Any]:
    """Each DORA key's value, sample size and level for one repository over the month."""
    repositories = client.get("/api/v1/repositories", headers=headers).json()
    [repository_id] = [r["id"] for r in repositories if r["full_name"] == repository]
    response = client.get(
        "/api/v1/metrics/dora", params={**WINDOW, "repo_id": repository_id}, headers=headers
    )
    assert response.status_code == 200, response.text
    return {
        key["slug"]: (key["value"], key["sample_size"], key["level"])
        for key in response.json()["keys"]
    }


def assert_meaningful(figures: dict[str, Any]) -> None:
    """The sequence exercises every key: deployments, lead times, failures, recoveries."""
    assert all(sample_size > 0 for _, sample_size, _ in figures.values()), figures
    assert figures["change-failure-rate"][0] > 0, figures
