"""Deployments by (source, external_id), with the commit list a sender gives replaced."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts
from veelocity.models import Deployment, DeploymentListedCommit
from veelocity.records import DeploymentRecord
from veelocity.store.identities import ensure_repositories
from veelocity.store.report import WriteReport
from veelocity.store.rows import Key, chunks, upsert_keyed


def _row(record: DeploymentRecord, repository_id: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source": record.source,
        "external_id": record.external_id,
        "repository_id": repository_id,
        "environment": record.environment,
        "status": record.status,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "commit_sha": record.commit_sha,
        "url": record.url,
        "name": record.name,
    }
    if record.commits is not None:
        # Left out otherwise, so a stored list (and the flag) stays as it was.
        row["has_commit_list"] = True
    return row


def write_deployments(session: Session, records: Sequence[DeploymentRecord]) -> WriteReport:
    """Upsert deployments. A commit list given (even empty) replaces the stored one and
    marks the deployment as listing its commits; None keeps what is stored."""
    report = WriteReport(received=len(records))
    latest: dict[Key, DeploymentRecord] = {record.key: record for record in records}
    repository_ids = ensure_repositories(session, {r.repository for r in latest.values()})
    upserted = upsert_keyed(
        session,
        Deployment.__table__,  # type: ignore[arg-type]
        {key: _row(r, repository_ids[r.repository]) for key, r in latest.items()},
    )
    listing = {
        upserted.ids[key]: set(r.commits) for key, r in latest.items() if r.commits is not None
    }
    stored: dict[int, set[str]] = defaultdict(set)
    for batch in chunks(listing):
        query = select(DeploymentListedCommit.deployment_id, DeploymentListedCommit.sha).where(
            DeploymentListedCommit.deployment_id.in_(batch)
        )
        for deployment_id, sha in session.execute(query):
            stored[deployment_id].add(sha)
    replaced = {i: shas for i, shas in listing.items() if shas != stored.get(i, set())}
    for batch in chunks(replaced):
        session.execute(
            delete(DeploymentListedCommit).where(DeploymentListedCommit.deployment_id.in_(batch))
        )
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect,
        DeploymentListedCommit.__table__,
        ("deployment_id", "sha"),
    )
    rows = [
        {"deployment_id": i, "sha": sha} for i, shas in replaced.items() for sha in sorted(shas)
    ]
    for batch_rows in chunks(rows):
        session.execute(statement, batch_rows)

    id_to_key = {i: key for key, i in upserted.ids.items()}
    updated = upserted.updated | ({id_to_key[i] for i in replaced} - upserted.created)
    report.created = len(upserted.created)
    report.updated = len(updated)
    report.unchanged = len(latest) - report.created - report.updated
    report.changes.deployment_ids |= {upserted.ids[k] for k in upserted.created | updated}
    return report
