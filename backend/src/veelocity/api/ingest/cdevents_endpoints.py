"""`POST /api/v1/ingest/cdevents`: CDEvents over the CloudEvents HTTP binding.

The CloudEvents SDK reads both content modes: binary (the context in `ce-*` headers, the
CDEvent as the body) and structured (`Content-Type: application/cloudevents+json`, the
CDEvent as the envelope's `data`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.http import HTTPMessage, from_http
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from fastapi import APIRouter, Depends, Request

from veelocity.api.deps import Context, DbSession
from veelocity.api.ingest.auth import IngestTokenAuth
from veelocity.api.ingest.schemas import IngestCounts, logged_counts
from veelocity.api.ingest.source_param import source_query
from veelocity.core.errors import InvalidInput
from veelocity.ingest.cdevents import CDEVENT_TYPES, CDEvent, parse_cdevent, translate_cdevent
from veelocity.ingest.payloads import MAX_BATCH_ITEMS
from veelocity.ingest.translated import ingest_translated
from veelocity.store import WriteReport

router = APIRouter()


BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"

_NOT_A_CLOUDEVENT = (
    "send a CloudEvent: in binary mode with ce-specversion, ce-id, ce-source and ce-type "
    "headers and the CDEvent as a JSON body, in structured mode with Content-Type: "
    f"application/cloudevents+json, or a batch as {BATCH_CONTENT_TYPE}"
)

_EXAMPLE = {
    "specversion": "1.0",
    "id": "8d2c0a4e-6f0b-4a57-9d55-0f3c3e1d2b11",
    "source": "/argocd/api-production",
    "type": "dev.cdevents.service.deployed.0.3.0",
    "time": "2025-03-03T09:07:12Z",
    "datacontenttype": "application/json",
    "data": {
        "context": {
            "specversion": "0.5.1",
            "id": "8d2c0a4e-6f0b-4a57-9d55-0f3c3e1d2b11",
            "source": "/argocd/api-production",
            "type": "dev.cdevents.service.deployed.0.3.0",
            "timestamp": "2025-03-03T09:07:12Z",
        },
        "subject": {
            "id": "api",
            "content": {
                "environment": {"id": "production"},
                "artifactId": "pkg:github/acme/api@9fceb02d0ae598e95dc970b74767f19372d61af8",
            },
        },
    },
}


def _read_cloudevent(headers: dict[str, str], body: bytes) -> BaseCloudEvent:
    try:
        return from_http(HTTPMessage(headers=headers, body=body), JSONFormat())
    except (BaseCloudEventException, ValueError, KeyError, TypeError) as exc:
        reason = str(exc) if isinstance(exc, BaseCloudEventException) else "not valid JSON"
        raise InvalidInput(f"not a valid CloudEvent ({reason}); {_NOT_A_CLOUDEVENT}") from None
    except AttributeError:  # the SDK reads the body as an object; it was an array or a scalar
        raise InvalidInput(
            f"not a valid CloudEvent (the body is not a JSON object); {_NOT_A_CLOUDEVENT}"
        ) from None


def _as_cdevent(event: BaseCloudEvent) -> CDEvent:
    cdevent = parse_cdevent(event.get_data())
    if event.get_type() != cdevent.context.type:
        raise InvalidInput(
            f"the CloudEvent's type {event.get_type()!r} is not the CDEvent's context.type "
            f"{cdevent.context.type!r}; they must be the same"
        )
    return cdevent


def _batch(body: bytes) -> list[CDEvent]:
    """A JSON array of structured-mode CloudEvents; a problem is named by its index."""
    try:
        items = json.loads(body)
    except ValueError:
        raise InvalidInput("a CloudEvents batch must be a JSON array of events") from None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH_ITEMS:
        raise InvalidInput(
            f"a CloudEvents batch is a JSON array of 1 to {MAX_BATCH_ITEMS} events; split a "
            "larger one into several requests"
        )
    events = []
    structured = {"content-type": "application/cloudevents+json"}
    for index, item in enumerate(items):
        with _named(index):
            events.append(_as_cdevent(_read_cloudevent(structured, json.dumps(item).encode())))
    return events


@contextmanager
def _named(index: int | None) -> Iterator[None]:
    """Prefix a refusal with the event's index in a batch (nothing for a single event)."""
    try:
        yield
    except InvalidInput as exc:
        if index is None:
            raise
        details = [
            {**d, "loc": ["body", index, *d["loc"][1:]]} for d in (exc.details or []) if "loc" in d
        ]
        raise InvalidInput(f"{index}.{exc.message}", details=details or None) from None


async def _cdevents(request: Request) -> list[CDEvent]:
    """The request's CloudEvents, read by the CloudEvents SDK, with their data as CDEvents."""
    headers = {name: value for name, value in request.headers.items()}
    content_type = headers.get("content-type", "")
    body = await request.body()
    if content_type.startswith(BATCH_CONTENT_TYPE):
        return _batch(body)
    binary = any(name.startswith("ce-") for name in headers)
    if not binary and not content_type.startswith("application/cloudevents+json"):
        raise InvalidInput(_NOT_A_CLOUDEVENT)
    return [_as_cdevent(_read_cloudevent(headers, body))]


@router.post(
    "/cdevents",
    summary="Push a CDEvent (service deployed, upgraded, rolled back; incident events)",
    description="A CDEvents v0.5 event over the CloudEvents HTTP binding, binary or "
    "structured mode, or a batch (`application/cloudevents-batch+json`: a JSON array of up to "
    f"{MAX_BATCH_ITEMS} structured events, written in order, all or nothing). Accepted types: "
    + ", ".join(f"`{t}`" for t in CDEVENT_TYPES)
    + " (any 0.x event schema version). Service events become deployments keyed by "
    "`context.id`; a rollback also records an incident against the deployment it undid; "
    "incident events are keyed by `subject.id`, so detected and resolved update one incident. "
    "The repository comes from `customData.repository` or an `artifactId` such as "
    "`pkg:github/acme/api@<sha>`. Same ingest token, keys and all-or-nothing writes as the "
    "native routes; see docs/ingest.md.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/cloudevents+json": {
                    "schema": {"type": "object"},
                    "examples": {"structured": {"summary": "Structured mode", "value": _EXAMPLE}},
                },
                BATCH_CONTENT_TYPE: {
                    "schema": {"type": "array", "items": {"type": "object"}},
                    "examples": {"batch": {"summary": "A batch", "value": [_EXAMPLE]}},
                },
                "application/json": {
                    "schema": {"type": "object"},
                    "examples": {
                        "binary": {
                            "summary": "Binary mode: the CDEvent (headers ce-specversion, "
                            "ce-id, ce-source, ce-type)",
                            "value": _EXAMPLE["data"],
                        }
                    },
                },
            },
        }
    },
)
def push_cdevent(
    caller: IngestTokenAuth,
    events: Annotated[list[CDEvent], Depends(_cdevents)],
    source: Annotated[str, Depends(source_query("cdevents"))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    # One event after the other in the request's transaction: a later event sees what an
    # earlier one wrote (a resolution its detection, a rollback its deployment), and any
    # refusal writes nothing.
    report = WriteReport()
    for index, event in enumerate(events):
        with _named(index if len(events) > 1 else None):
            translated = translate_cdevent(session, event, source)
            report.merge(ingest_translated(session, context.settings, translated))
    return logged_counts(report, "cdevents", caller.token_id, events=len(events))
