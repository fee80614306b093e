"""`POST /api/v1/ingest/cdevents`: CDEvents over the CloudEvents HTTP binding.

The CloudEvents SDK reads both content modes: binary (the context in `ce-*` headers, the
CDEvent as the body) and structured (`Content-Type: application/cloudevents+json`, the
CDEvent as the envelope's `data`).
"""

from __future__ import annotations

from typing import Annotated

from cloudevents.core.bindings.http import HTTPMessage, from_http
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from fastapi import APIRouter, Depends, Request

from veelocity.api.deps import Context, DbSession
from veelocity.api.ingest.auth import IngestTokenAuth
from veelocity.api.ingest.schemas import IngestCounts
from veelocity.api.ingest.source_param import source_query
from veelocity.core.errors import InvalidInput
from veelocity.core.logging import get_logger
from veelocity.ingest.cdevents import CDEVENT_TYPES, CDEvent, parse_cdevent, translate_cdevent
from veelocity.ingest.translated import ingest_translated

log = get_logger(__name__)

router = APIRouter()


_NOT_A_CLOUDEVENT = (
    "send a CloudEvent: in binary mode with ce-specversion, ce-id, ce-source and ce-type "
    "headers and the CDEvent as a JSON body, or in structured mode with Content-Type: "
    "application/cloudevents+json"
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


async def _cdevent(request: Request) -> CDEvent:
    """The request's CloudEvent, read by the CloudEvents SDK, and its data as a CDEvent."""
    headers = {name: value for name, value in request.headers.items()}
    content_type = headers.get("content-type", "")
    binary = any(name.startswith("ce-") for name in headers)
    if not binary and not content_type.startswith("application/cloudevents+json"):
        raise InvalidInput(_NOT_A_CLOUDEVENT)
    body = await request.body()
    try:
        event = from_http(HTTPMessage(headers=headers, body=body), JSONFormat())
    except (BaseCloudEventException, ValueError, KeyError, TypeError) as exc:
        reason = str(exc) if isinstance(exc, BaseCloudEventException) else "not valid JSON"
        raise InvalidInput(f"not a valid CloudEvent ({reason}); {_NOT_A_CLOUDEVENT}") from None
    except AttributeError:  # the SDK reads the body as an object; it was an array or a scalar
        raise InvalidInput(
            f"not a valid CloudEvent (the body is not a JSON object); {_NOT_A_CLOUDEVENT}"
        ) from None
    cdevent = parse_cdevent(event.get_data())
    if event.get_type() != cdevent.context.type:
        raise InvalidInput(
            f"the CloudEvent's type {event.get_type()!r} is not the CDEvent's context.type "
            f"{cdevent.context.type!r}; they must be the same"
        )
    return cdevent


@router.post(
    "/cdevents",
    summary="Push a CDEvent (service deployed, upgraded, rolled back; incident events)",
    description="A CDEvents v0.5 event over the CloudEvents HTTP binding, binary or "
    "structured mode. Accepted types: "
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
    event: Annotated[CDEvent, Depends(_cdevent)],
    source: Annotated[str, Depends(source_query("cdevents"))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    translated = translate_cdevent(session, event, source)
    report = ingest_translated(session, context.settings, translated)
    log.info(
        "ingested",
        kind="cdevents",
        event_type=event.context.type,
        ingest_token_id=caller.token_id,
        received=report.received,
        created=report.created,
        updated=report.updated,
    )
    return IngestCounts(
        received=report.received,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )
