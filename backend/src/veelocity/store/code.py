"""Repositories and the commit graph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts
from veelocity.models import Commit, Repository
from veelocity.records import CommitRecord, RepositoryRecord
from veelocity.store.identities import ensure_repositories, find_repositories
from veelocity.store.report import WriteReport
from veelocity.store.rows import chunks


def write_repositories(session: Session, records: Sequence[RepositoryRecord]) -> WriteReport:
    """Create unknown repositories; set the default branch when a record names one."""
    report = WriteReport(received=len(records))
    latest = {record.full_name: record for record in records}
    known = set(find_repositories(session, latest).values())
    ids = ensure_repositories(session, latest)
    branches = dict(
        session.execute(
            select(Repository.id, Repository.default_branch).where(
                Repository.id.in_(set(ids.values()))
            )
        ).all()
    )
    for name, record in latest.items():
        repository_id = ids[name]
        wanted = record.default_branch
        if wanted is not None and branches[repository_id] != wanted:
            session.execute(
                update(Repository)
                .where(Repository.id == repository_id)
                .values(default_branch=wanted)
            )
            branches[repository_id] = wanted
            if repository_id in known:
                report.updated += 1
    report.created = len(set(ids.values()) - known)
    report.unchanged = len(known & set(ids.values())) - report.updated
    return report


def _commit_row(repository_id: int, record: CommitRecord) -> dict[str, Any]:
    return {
        "repository_id": repository_id,
        "sha": record.sha,
        "parents": list(record.parents),
        "authored_at": record.authored_at,
        "committed_at": record.committed_at,
    }


def write_commits(session: Session, records: Sequence[CommitRecord]) -> WriteReport:
    """Add commits to the graph; fill in what an earlier record of a commit lacked."""
    report = WriteReport(received=len(records))
    repository_ids = ensure_repositories(session, {r.repository for r in records})
    rows = {
        (repository_ids[r.repository], r.sha): _commit_row(repository_ids[r.repository], r)
        for r in records
    }
    by_repository: dict[int, list[str]] = {}
    for repository_id, sha in rows:
        by_repository.setdefault(repository_id, []).append(sha)
    stored: dict[tuple[int, str], dict[str, Any]] = {}
    for repository_id, shas in by_repository.items():
        for batch in chunks(shas):
            query = select(
                Commit.id, Commit.repository_id, Commit.sha, Commit.parents,
                Commit.authored_at, Commit.committed_at,
            ).where(Commit.repository_id == repository_id, Commit.sha.in_(batch))  # fmt: skip
            for found in session.execute(query).mappings():
                stored[(found["repository_id"], found["sha"])] = dict(found)
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect,
        Commit.__table__,
        ("repository_id", "sha"),
    ).returning(Commit.repository_id)
    new = [row for key, row in rows.items() if key not in stored]
    for new_rows in chunks(new):
        for (repository_id,) in session.execute(statement, new_rows):
            report.created += 1
            report.changes.repository_ids_with_new_commits.add(repository_id)
    for key, row in rows.items():
        current = stored.get(key)
        if current is None:
            continue
        changed = {
            name: value
            for name, value in row.items()
            if name in ("parents", "authored_at", "committed_at")
            and value not in (None, [])
            and current[name] != value
        }
        if changed:
            session.execute(update(Commit).where(Commit.id == current["id"]).values(**changed))
            report.updated += 1
            report.changes.repository_ids_with_new_commits.add(key[0])
        else:
            report.unchanged += 1
    return report
