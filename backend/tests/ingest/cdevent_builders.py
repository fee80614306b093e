"""CDEvents as a CD tool or incident tool sends them, and the CloudEvents HTTP binding."""

from __future__ import annotations

import json
from typing import Any

SPEC_VERSION = "0.5.1"
SCHEMA_VERSION = "0.3.0"


def cdevent(
    kind: str,
    event_id: str,
    at: str,
    subject_id: str,
    content: dict[str, Any],
    *,
    source: str = "/ci/acme",
    custom_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CDEvent of `kind` (e.g. service.deployed), in the v0.5.1 shape."""
    event: dict[str, Any] = {
        "context": {
            "specversion": SPEC_VERSION,
            "id": event_id,
            "source": source,
            "type": f"dev.cdevents.{kind}.{SCHEMA_VERSION}",
            "timestamp": at,
        },
        "subject": {"id": subject_id, "source": source, "content": content},
    }
    if custom_data is not None:
        event["customData"] = custom_data
        event["customDataContentType"] = "application/json"
    return event


def service_event(
    action: str,
    event_id: str,
    at: str,
    *,
    repository: str,
    sha: str,
    environment: str = "production",
    service: str = "api",
) -> dict[str, Any]:
    return cdevent(
        f"service.{action}",
        event_id,
        at,
        service,
        {
            "environment": {"id": environment},
            "artifactId": f"pkg:github/{repository}@{sha}",
        },
    )


def incident_event(
    action: str,
    event_id: str,
    at: str,
    incident_id: str,
    *,
    repository: str,
    description: str = "Checkout errors",
) -> dict[str, Any]:
    return cdevent(
        f"incident.{action}",
        event_id,
        at,
        incident_id,
        {
            "description": description,
            "environment": {"id": "production"},
            "service": {"id": "checkout"},
        },
        source="/monitoring/prod",
        custom_data={"repository": repository, "severity": "sev2"},
    )


def binary_mode(event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    """(headers, body): the context in ce-* headers, the CDEvent as the JSON body."""
    context = event["context"]
    headers = {
        "ce-specversion": "1.0",
        "ce-id": context["id"],
        "ce-source": context["source"],
        "ce-type": context["type"],
        "ce-time": context["timestamp"],
        "content-type": "application/json",
    }
    return headers, json.dumps(event).encode()


def structured_mode(event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    """(headers, body): the whole CloudEvent as application/cloudevents+json."""
    return {"content-type": "application/cloudevents+json"}, json.dumps(envelope(event)).encode()


def batch_mode(events: list[dict[str, Any]]) -> tuple[dict[str, str], bytes]:
    """(headers, body): the CloudEvents as an application/cloudevents-batch+json array."""
    body = json.dumps([envelope(event) for event in events]).encode()
    return {"content-type": "application/cloudevents-batch+json"}, body


def envelope(event: dict[str, Any]) -> dict[str, Any]:
    """The structured-mode CloudEvent carrying a CDEvent."""
    context = event["context"]
    return {
        "specversion": "1.0",
        "id": context["id"],
        "source": context["source"],
        "type": context["type"],
        "time": context["timestamp"],
        "datacontenttype": "application/json",
        "data": event,
    }
