"""CDEvents over the CloudEvents HTTP binding: the same records, keys and DORA figures as
the native JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.cdevents_schemas import conformance_examples, schema_problems
from tests.ingest.cdevent_builders import (
    batch_mode,
    binary_mode,
    incident_event,
    service_event,
    structured_mode,
)
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

Mode = Callable[[dict[str, Any]], tuple[dict[str, str], bytes]]
CDEVENTS = "/api/v1/ingest/cdevents"
CONFORMANCE = conformance_examples()


def send(
    client: TestClient, token: dict[str, str], event: dict[str, Any], mode: Mode = binary_mode
) -> Any:
    headers, body = mode(event)
    return client.post(CDEVENTS, content=body, headers={**headers, **token})


def sent(
    client: TestClient, token: dict[str, str], event: dict[str, Any], mode: Mode = binary_mode
) -> Any:
    response = send(client, token, event, mode)
    assert response.status_code == 200, response.text
    return response.json()


def month_of_cdevents(repository: str) -> list[dict[str, Any]]:
    """The native sequence's deployments, incident and rollback, as a CD tool and an
    incident tool would send them."""
    events = [
        service_event("deployed", external_id, at, repository=repository, sha=sha)
        for external_id, at, sha in DEPLOYMENTS
    ]
    incident_id, detected, resolved = INCIDENT
    events.insert(
        2, incident_event("detected", "e-1", detected, incident_id, repository=repository)
    )
    events.insert(
        3, incident_event("resolved", "e-2", resolved, incident_id, repository=repository)
    )
    rollback_id, at, sha = ROLLBACK
    events.append(service_event("rolledback", rollback_id, at, repository=repository, sha=sha))
    return events


@pytest.mark.parametrize("mode", [binary_mode, structured_mode], ids=["binary", "structured"])
def test_a_month_of_cdevents_gives_the_dora_figures_of_the_native_json(
    client: TestClient,
    ingest_headers: dict[str, str],
    admin_headers: dict[str, str],
    mode: Mode,
) -> None:
    for repository in ("acme/native", "acme/cdevents"):
        push_pull_requests(client, ingest_headers, repository)
    push_native_sequence(client, ingest_headers, "acme/native")
    for event in month_of_cdevents("acme/cdevents"):
        sent(client, ingest_headers, event, mode)

    native = dora_figures(client, admin_headers, "acme/native")
    assert_meaningful(native)
    assert dora_figures(client, admin_headers, "acme/cdevents") == native


def test_sending_an_event_again_updates_and_never_duplicates(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    event = service_event(
        "deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A
    )
    assert sent(client, ingest_headers, event)["created"] == 1
    again = sent(client, ingest_headers, event, structured_mode)
    assert again == {"received": 1, "created": 0, "updated": 0, "unchanged": 1}


def test_detected_then_resolved_is_one_incident_from_detection_to_resolution(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    detected = incident_event(
        "detected", "e-1", "2025-03-05T13:00:00Z", "INC-1", repository="acme/api"
    )
    resolved = incident_event(
        "resolved", "e-2", "2025-03-05T15:00:00Z", "INC-1", repository="acme/api"
    )
    sent(client, ingest_headers, detected)
    assert sent(client, ingest_headers, resolved)["updated"] == 1

    [incident] = client.get("/api/v1/incidents", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    assert (incident["source"], incident["external_id"]) == ("cdevents", "INC-1")
    assert (incident["started_at"], incident["resolved_at"]) == (
        "2025-03-05T13:00:00Z",
        "2025-03-05T15:00:00Z",
    )
    assert (incident["title"], incident["service"], incident["severity"]) == (
        "Checkout errors",
        "checkout",
        "sev2",
    )


def test_a_rollback_fails_the_deployment_it_undid_and_recovers_it(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for event in month_of_cdevents("acme/api"):
        sent(client, ingest_headers, event)
    deployments = client.get("/api/v1/deployments", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    undone = next(d for d in deployments if d["external_id"] == "deploy-3")
    assert undone["is_failed"] is True
    assert undone["recovered_at"] == ROLLBACK[1]
    # the rollback went back to the commit deployed before it, and CDEvents also names
    # the rollback as an incident of the deployment it undid: both causes are shown
    assert [c["kind"] for c in undone["failure_causes"]] == ["rollback", "incident"]
    rollback = next(d for d in deployments if d["external_id"] == ROLLBACK[0])
    assert undone["failure_causes"][0]["rolled_back_by_deployment_id"] == rollback["id"]


def test_the_source_can_name_the_sending_tool(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    headers, body = binary_mode(
        service_event("deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A)
    )
    response = client.post(
        CDEVENTS, params={"source": "argocd"}, content=body, headers={**headers, **ingest_headers}
    )
    assert response.status_code == 200, response.text
    [listed] = client.get("/api/v1/deployments", params=WINDOW, headers=admin_headers).json()[
        "items"
    ]
    assert (listed["source"], listed["external_id"]) == ("argocd", "d-1")


def test_a_service_event_without_a_repository_is_refused_with_what_to_add(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    event = service_event(
        "deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A
    )
    event["subject"]["content"]["artifactId"] = "pkg:oci/api@sha256%3A0b31b1c0"
    response = send(client, ingest_headers, event)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(
        "customData.repository: the event names no repository; add customData.repository"
    )


def test_a_mapped_field_that_is_not_valid_is_named_as_the_event_names_it(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    event = service_event(
        "deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A
    )
    event["customData"] = {"commit_sha": "9fceb02"}
    response = send(client, ingest_headers, event)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(
        "customData.commit_sha: not a full commit sha"
    )


def test_a_resolved_incident_never_detected_is_refused_and_nothing_is_written(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    resolved = incident_event(
        "resolved", "e-2", "2025-03-05T15:00:00Z", "INC-9", repository="acme/api"
    )
    response = send(client, ingest_headers, resolved)
    assert response.status_code == 422
    assert "no detected or reported event of it was received" in response.json()["error"]["message"]
    listed = client.get("/api/v1/incidents", params=WINDOW, headers=admin_headers).json()
    assert listed["total"] == 0


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"content-type": "application/json"}, b"{}", "send a CloudEvent: in binary mode"),
        (
            {"content-type": "application/cloudevents+json"},
            b"{not json",
            "not a valid CloudEvent (not valid JSON)",
        ),
        (
            {"content-type": "application/cloudevents+json"},
            json.dumps(
                {"specversion": "1.0", "id": "1", "source": "/x", "type": "com.example.build"}
            ).encode(),
            "the CloudEvent's data must be the CDEvent",
        ),
    ],
)
def test_what_is_not_a_cdevent_is_refused_with_a_sentence(
    client: TestClient,
    ingest_headers: dict[str, str],
    headers: dict[str, str],
    body: bytes,
    message: str,
) -> None:
    response = client.post(CDEVENTS, content=body, headers={**headers, **ingest_headers})
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]["message"]


def test_an_event_type_veelocity_does_not_record_is_refused(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    event = service_event(
        "deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A
    )
    event["context"]["type"] = "dev.cdevents.pipelinerun.finished.0.2.0"
    response = send(client, ingest_headers, event)
    assert response.status_code == 422
    assert "is not an event Veelocity records" in response.json()["error"]["message"]


def test_cdevents_need_an_ingest_token(client: TestClient, admin_headers: dict[str, str]) -> None:
    event = service_event(
        "deployed", "d-1", "2025-03-03T09:00:00Z", repository="acme/api", sha=SHA_A
    )
    headers, body = binary_mode(event)
    assert client.post(CDEVENTS, content=body, headers=headers).status_code == 401
    assert (
        client.post(CDEVENTS, content=body, headers={**headers, **admin_headers}).status_code == 401
    )


def _with_repository(example: dict[str, Any]) -> dict[str, Any]:
    custom = example.get("customData")
    return {
        **example,
        "customData": {**(custom if isinstance(custom, dict) else {}), "repository": "acme/api"},
        "customDataContentType": "application/json",
    }


@pytest.mark.parametrize("mode", [binary_mode, structured_mode], ids=["binary", "structured"])
def test_every_conformance_example_is_accepted_once_it_names_a_repository(
    client: TestClient, ingest_headers: dict[str, str], mode: Any
) -> None:
    order = [
        "service_deployed",
        "service_upgraded",
        "service_rolledback",
        "incident_detected",
        "incident_reported",
        "incident_resolved",
    ]
    for name in order:
        event = _with_repository(CONFORMANCE[name])
        assert schema_problems(event) == []
        event["context"]["id"] = f"{name}-{event['context']['id']}"
        if name == "service_rolledback":  # after the deployment it rolls back, not with it
            event["context"]["timestamp"] = "2023-03-20T15:00:00Z"
        headers, body = mode(event)
        response = client.post(
            "/api/v1/ingest/cdevents", content=body, headers={**headers, **ingest_headers}
        )
        assert response.status_code == 200, (name, response.text)


def test_a_batch_of_a_month_gives_the_native_dora_figures_in_one_request(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    for repository in ("acme/native", "acme/cdevents"):
        push_pull_requests(client, ingest_headers, repository)
    push_native_sequence(client, ingest_headers, "acme/native")
    headers, body = batch_mode(month_of_cdevents("acme/cdevents"))
    response = client.post(CDEVENTS, content=body, headers={**headers, **ingest_headers})
    assert response.status_code == 200, response.text
    assert response.json()["received"] == 7  # four deployments, two incident events, a rollback

    native = dora_figures(client, admin_headers, "acme/native")
    assert dora_figures(client, admin_headers, "acme/cdevents") == native


def test_a_batch_with_one_bad_event_names_it_and_writes_nothing(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    events = month_of_cdevents("acme/api")
    events[3]["customData"]["started_at"] = "yesterday"
    headers, body = batch_mode(events)
    response = client.post(CDEVENTS, content=body, headers={**headers, **ingest_headers})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith("3.customData.started_at: ")
    listed = client.get("/api/v1/deployments", params=WINDOW, headers=admin_headers).json()
    assert listed["total"] == 0
