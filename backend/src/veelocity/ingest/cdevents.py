"""CDEvents v0.5 (service deployed, upgraded, rolled back; incident detected, reported,
resolved) translated to native deployments and incidents.

- A service event is a deployment keyed by the event's `context.id`; it happened at
  `context.timestamp` in `subject.content.environment.id`. CDEvents name no repository, so it
  comes from `customData.repository` or an `artifactId` purl of a source host
  (`pkg:github/acme/api@<sha>`, whose version is then the commit).
- A rollback is a deployment too, and it says the deployment before it in that repository
  and environment failed: an incident attributed to that deployment, from its finish to the
  rollback (so the rollback is its recovery).
- Incident events are keyed by `subject.id`, so detected/reported then resolved update one
  incident: the earliest detection is its start, the resolution its end.

`customData` may also carry native fields the events have no place for: `commit_sha`,
`commits`, `pull_requests`, `url`, `started_at`, `severity`, `title`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import Timestamp
from veelocity.ingest.repository_names import repository_and_commit_from_purl
from veelocity.ingest.translated import Translated, TranslatedItem
from veelocity.models import Deployment, Incident, Repository

#: The CDEvents this route accepts; the version suffix is the event schema's own (0.x).
CDEVENT_TYPES = (
    "dev.cdevents.service.deployed",
    "dev.cdevents.service.upgraded",
    "dev.cdevents.service.rolledback",
    "dev.cdevents.incident.detected",
    "dev.cdevents.incident.reported",
    "dev.cdevents.incident.resolved",
)
_TYPE = re.compile(
    r"^(?P<kind>dev\.cdevents\.(?:service|incident)\.[a-z]+)\.(?P<version>0\.\d+\.\d+(?:-\S+)?)$"
)
_FULL_SHA = re.compile(r"^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")

_DEPLOYMENT_EXTRAS = ("commit_sha", "commits", "pull_requests", "url", "started_at")
_INCIDENT_EXTRAS = ("severity", "url", "title", "started_at")


class _Reference(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)


class _Context(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1)
    type: str
    timestamp: Timestamp


class _Subject(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = Field(min_length=1, max_length=200)
    content: dict[str, Any] = Field(default_factory=dict)


class CDEvent(BaseModel):
    """The parts of a CDEvent that Veelocity reads; the rest is ignored, not refused."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    context: _Context
    subject: _Subject
    custom_data: dict[str, Any] | str | None = Field(default=None, alias="customData")

    @property
    def kind(self) -> str:
        match = _TYPE.match(self.context.type)
        return match.group("kind") if match else self.context.type

    def custom(self) -> dict[str, Any]:
        return self.custom_data if isinstance(self.custom_data, dict) else {}


def parse_cdevent(data: Any) -> CDEvent:
    """The CloudEvent's data as a CDEvent of a type this route accepts, or InvalidInput."""
    if not isinstance(data, dict):
        raise InvalidInput(
            "the CloudEvent's data must be the CDEvent as a JSON object with context and subject"
        )
    try:
        event = CDEvent.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        details = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
        raise InvalidInput(f"{where}: {first['msg']}", details=details) from None
    if event.kind not in CDEVENT_TYPES or not _TYPE.match(event.context.type):
        raise InvalidInput(
            f"context.type: {event.context.type!r} is not an event Veelocity records; send "
            "one of " + ", ".join(f"{t}.0.x.y" for t in CDEVENT_TYPES)
        )
    return event


@dataclass(frozen=True)
class _Where:
    repository: str | None
    commit_sha: str | None
    repository_origin: str


def _repository_of(event: CDEvent) -> _Where:
    custom = event.custom()
    artifact = event.subject.content.get("artifactId")
    from_purl = repository_and_commit_from_purl(artifact) if isinstance(artifact, str) else None
    commit = custom.get("commit_sha")
    if commit is None and from_purl and from_purl[1] and _FULL_SHA.match(from_purl[1]):
        commit = from_purl[1]
    if custom.get("repository") is not None:
        return _Where(custom["repository"], commit, "customData.repository")
    if from_purl is not None:
        return _Where(from_purl[0], commit, "subject.content.artifactId")
    return _Where(None, commit, "customData.repository")


def _environment(event: CDEvent) -> Any:
    environment = event.subject.content.get("environment")
    return environment.get("id") if isinstance(environment, dict) else None


def _no_repository(event: CDEvent) -> InvalidInput:
    return InvalidInput(
        "customData.repository: the event names no repository; add customData.repository "
        '(e.g. "acme/api"), or use an artifactId of a source host such as '
        "pkg:github/acme/api@<commit sha>"
    )


def _deployment(event: CDEvent, source: str, *, name: str) -> TranslatedItem:
    where = _repository_of(event)
    if where.repository is None:
        raise _no_repository(event)
    custom = event.custom()
    data: dict[str, Any] = {
        "source": source,
        "external_id": event.context.id,
        "repository": where.repository,
        "environment": _environment(event),
        "status": "success",
        "finished_at": event.context.timestamp.isoformat(),
        "name": name,
        "commit_sha": where.commit_sha,
        **{key: custom[key] for key in _DEPLOYMENT_EXTRAS[1:] if key in custom},
    }
    origins = {
        "external_id": "context.id",
        "repository": where.repository_origin,
        "environment": "subject.content.environment.id",
        "finished_at": "context.timestamp",
        "commit_sha": "customData.commit_sha",
        **{key: f"customData.{key}" for key in _DEPLOYMENT_EXTRAS[1:]},
    }
    return TranslatedItem({k: v for k, v in data.items() if v is not None}, origins)


def _rolled_back_deployment(
    session: Session, repository: str, environment: str, before: datetime
) -> tuple[str, str, datetime] | None:
    """(source, external_id, finished_at) of the deployment a rollback undid: the latest
    successful one of the repository and environment before it."""
    row = session.execute(
        select(Deployment.source, Deployment.external_id, Deployment.finished_at)
        .join(Repository, Repository.id == Deployment.repository_id)
        .where(
            Repository.full_name == repository,
            Deployment.environment == environment,
            Deployment.status == "success",
            Deployment.finished_at < before,
        )
        .order_by(Deployment.finished_at.desc(), Deployment.id.desc())
        .limit(1)
    ).first()
    return (row.source, row.external_id, row.finished_at) if row is not None else None


def _rollback_incident(
    session: Session, event: CDEvent, deployment: TranslatedItem, source: str
) -> TranslatedItem:
    repository = deployment.data["repository"]
    environment = deployment.data.get("environment") or "production"
    undone = _rolled_back_deployment(session, repository, environment, event.context.timestamp)
    if undone is None:
        raise InvalidInput(
            f"context.timestamp: a rollback in {environment} of {repository}, but no earlier "
            "successful deployment there is known to have been rolled back; send the "
            "deployments first"
        )
    undone_source, undone_id, undone_at = undone
    return TranslatedItem(
        {
            "source": source,
            "external_id": f"{event.context.id}:rollback",
            "title": f"Rolled back {event.subject.id} in {environment}",
            "repository": repository,
            "service": event.subject.id,
            "started_at": undone_at.isoformat(),
            "resolved_at": event.context.timestamp.isoformat(),
            "deployment": {"source": undone_source, "external_id": undone_id},
        },
        {"external_id": "context.id", "service": "subject.id"},
    )


@dataclass(frozen=True)
class _StoredIncident:
    title: str
    repository: str | None
    service: str | None
    severity: str | None
    started_at: datetime
    resolved_at: datetime | None
    url: str | None


def _stored_incident(session: Session, source: str, external_id: str) -> _StoredIncident | None:
    row = session.execute(
        select(
            Incident.title,
            Repository.full_name,
            Incident.service,
            Incident.severity,
            Incident.started_at,
            Incident.resolved_at,
            Incident.url,
        )
        .outerjoin(Repository, Repository.id == Incident.repository_id)
        .where(Incident.source == source, Incident.external_id == external_id)
    ).first()
    return _StoredIncident(*row) if row is not None else None


def _incident(session: Session, event: CDEvent, source: str) -> TranslatedItem:
    """An incident event merged with what earlier events of the same incident said."""
    content = event.subject.content
    custom = event.custom()
    stored = _stored_incident(session, source, event.subject.id)
    at = event.context.timestamp
    resolved = event.kind == "dev.cdevents.incident.resolved"
    where = _repository_of(event)
    service = content.get("service")
    service_id = service.get("id") if isinstance(service, dict) else None

    started_at: Any = custom.get("started_at")
    if started_at is None:
        if stored is not None:
            started_at = (stored.started_at if resolved else min(stored.started_at, at)).isoformat()
        elif not resolved:
            started_at = at.isoformat()
        else:
            raise InvalidInput(
                f"subject.id: incident {event.subject.id!r} is resolved, but no detected or "
                "reported event of it was received; send that first, or give "
                "customData.started_at"
            )
    resolved_at = at if resolved else (stored.resolved_at if stored is not None else None)
    data: dict[str, Any] = {
        "source": source,
        "external_id": event.subject.id,
        "title": custom.get("title") or content.get("description") or (stored and stored.title),
        "repository": where.repository or (stored and stored.repository),
        "service": service_id or (stored and stored.service),
        "severity": custom.get("severity") or (stored and stored.severity),
        "url": custom.get("url") or (stored and stored.url),
        "started_at": started_at,
        "resolved_at": resolved_at.isoformat() if resolved_at is not None else None,
    }
    origins = {
        "external_id": "subject.id",
        "title": "subject.content.description",
        "repository": where.repository_origin,
        "service": "subject.content.service.id",
        "severity": "customData.severity",
        "url": "customData.url",
        "started_at": "customData.started_at" if "started_at" in custom else "context.timestamp",
        "resolved_at": "context.timestamp",
    }
    if data["repository"] is None and data["service"] is None:
        raise InvalidInput(
            "subject.content.service: the incident names no service and no repository; add "
            'subject.content.service.id or customData.repository (e.g. "acme/api")'
        )
    return TranslatedItem({k: v for k, v in data.items() if v not in (None, False)}, origins)


def translate_cdevent(session: Session, event: CDEvent, source: str) -> Translated:
    """The native items one CDEvent stands for (reads what earlier events stored)."""
    kind = event.kind
    if kind.startswith("dev.cdevents.incident."):
        return Translated(incidents=[_incident(session, event, source)])
    action = kind.rsplit(".", 1)[1]
    name = {"deployed": "deployed", "upgraded": "upgraded", "rolledback": "rolled back"}[action]
    deployment = _deployment(event, source, name=f"{event.subject.id} {name}")
    if action != "rolledback":
        return Translated(deployments=[deployment])
    if "repository" not in deployment.data:
        raise _no_repository(event)
    return Translated(
        deployments=[deployment],
        incidents=[_rollback_incident(session, event, deployment, source)],
    )
