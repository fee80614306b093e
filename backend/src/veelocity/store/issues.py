"""Issues by (source, external_id); derive decides which of them are incidents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from veelocity.models import Issue
from veelocity.records import IssueRecord
from veelocity.store.identities import ensure_repositories
from veelocity.store.report import WriteReport
from veelocity.store.rows import Key, upsert_keyed


def _row(record: IssueRecord, repository_id: int | None) -> dict[str, Any]:
    return {
        "source": record.source,
        "external_id": record.external_id,
        "repository_id": repository_id,
        "number": record.number,
        "title": record.title,
        "url": record.url,
        "author_login": record.author,
        "state": record.state,
        "state_reason": record.state_reason,
        "labels": list(record.labels),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "closed_at": record.closed_at,
    }


def write_issues(session: Session, records: Sequence[IssueRecord]) -> WriteReport:
    report = WriteReport(received=len(records))
    latest: dict[Key, IssueRecord] = {record.key: record for record in records}
    repository_ids = ensure_repositories(
        session, {r.repository for r in latest.values() if r.repository}
    )
    upserted = upsert_keyed(
        session,
        Issue.__table__,  # type: ignore[arg-type]
        {
            key: _row(r, repository_ids[r.repository] if r.repository else None)
            for key, r in latest.items()
        },
    )
    report.created = len(upserted.created)
    report.updated = len(upserted.updated)
    report.unchanged = len(upserted.unchanged)
    report.changes.issue_ids |= {upserted.ids[k] for k in upserted.created | upserted.updated}
    return report
