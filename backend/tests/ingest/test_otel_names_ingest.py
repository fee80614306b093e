"""Deployments named with OpenTelemetry's attributes give the DORA figures of the native
JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.ingest.delivery_sequence import (
    DEPLOYMENTS,
    INCIDENT,
    ROLLBACK,
    assert_meaningful,
    dora_figures,
    push,
    push_native_sequence,
    push_pull_requests,
)


def test_a_month_named_with_opentelemetry_attributes_gives_the_native_dora_figures(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for repository in ("acme/native", "acme/otel"):
        push_pull_requests(client, ingest_headers, repository)
    push_native_sequence(client, ingest_headers, "acme/native")
    deployments = [
        {
            "source": "gitlab",
            "deployment.id": deployment_id,
            "deployment.environment.name": "production",
            "deployment.status": "succeeded",
            "vcs.repository.url.full": "https://github.com/acme/otel",
            "vcs.ref.head.revision": sha,
            "finished_at": finished_at,
        }
        for deployment_id, finished_at, sha in [*DEPLOYMENTS, ROLLBACK]
    ]
    push(client, ingest_headers, "deployments", {"items": deployments})
    incident_id, detected, resolved = INCIDENT
    push(
        client,
        ingest_headers,
        "incidents",
        {
            "items": [
                {
                    "source": "pagerduty",
                    "external_id": f"otel-{incident_id}",
                    "repository": "acme/otel",
                    "started_at": detected,
                    "resolved_at": resolved,
                },
                {
                    "source": "jenkins",
                    "external_id": "otel-rollback",
                    "repository": "acme/otel",
                    "started_at": DEPLOYMENTS[-1][1],
                    "resolved_at": ROLLBACK[1],
                },
            ]
        },
    )

    native = dora_figures(client, admin_headers, "acme/native")
    assert_meaningful(native)
    assert dora_figures(client, admin_headers, "acme/otel") == native
