"""Incidents by (source, external_id), with an explicit deployment link resolved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput
from veelocity.models import Deployment, Incident
from veelocity.records import DeploymentReference, IncidentRecord
from veelocity.store.identities import ensure_repositories
from veelocity.store.report import WriteReport
from veelocity.store.rows import Key, load_keyed, upsert_keyed


class UnknownDeployment(InvalidInput):
    """An incident names a deployment that is not stored."""

    def __init__(self, position: int, reference: DeploymentReference) -> None:
        super().__init__(
            f"no deployment with source {reference.source!r} and external_id "
            f"{reference.external_id!r} is known; send the deployment first"
        )
        self.position = position
        self.reference = reference


def resolve_deployments(
    session: Session, references: Sequence[DeploymentReference | None]
) -> list[int | None]:
    """The stored id of each referenced deployment (None for no reference).

    Raises UnknownDeployment naming the position of the first reference not found.
    """
    keys = {(r.source, r.external_id) for r in references if r is not None}
    found = load_keyed(session, Deployment.__table__, keys, [])  # type: ignore[arg-type]
    ids: list[int | None] = []
    for position, reference in enumerate(references):
        if reference is None:
            ids.append(None)
            continue
        row = found.get((reference.source, reference.external_id))
        if row is None:
            raise UnknownDeployment(position, reference)
        ids.append(row["id"])
    return ids


def _row(
    record: IncidentRecord, repository_id: int | None, deployment_id: int | None
) -> dict[str, Any]:
    return {
        "source": record.source,
        "external_id": record.external_id,
        "title": record.title,
        "repository_id": repository_id,
        "service": record.service,
        "severity": record.severity,
        "started_at": record.started_at,
        "resolved_at": record.resolved_at,
        "url": record.url,
        "caused_by_deployment_id": deployment_id,
    }


def write_incidents(session: Session, records: Sequence[IncidentRecord]) -> WriteReport:
    """Upsert incidents. A deployment reference must name a stored deployment (else
    UnknownDeployment, with the record's position); without one the link is cleared."""
    report = WriteReport(received=len(records))
    deployment_ids = resolve_deployments(session, [r.deployment for r in records])
    latest: dict[Key, tuple[IncidentRecord, int | None]] = {
        record.key: (record, deployment_id)
        for record, deployment_id in zip(records, deployment_ids, strict=True)
    }
    repository_ids = ensure_repositories(
        session, {r.repository for r, _ in latest.values() if r.repository}
    )
    upserted = upsert_keyed(
        session,
        Incident.__table__,  # type: ignore[arg-type]
        {
            key: _row(r, repository_ids[r.repository] if r.repository else None, deployment_id)
            for key, (r, deployment_id) in latest.items()
        },
    )
    report.created = len(upserted.created)
    report.updated = len(upserted.updated)
    report.unchanged = len(upserted.unchanged)
    report.changes.incident_ids |= {upserted.ids[k] for k in upserted.created | upserted.updated}
    return report
