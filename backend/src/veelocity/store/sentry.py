"""Writes Sentry records: projects (and the repository each maps to), releases with their
deploys, issues, the events read for the incident thresholds, and daily error counts.

Rows are keyed by Sentry's own keys (a project's or issue's id, a release's version); the
derived columns (`is_incident`, a release's deployment, ...) are never written here. A
project is mapped to a repository automatically unless an admin chose one (`chosen`):
by name (the project slug is the repository's name, or its owner/name), else by the
commits of its releases (all found in one repository's commit graph).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts, upsert_rows
from veelocity.models import Commit, Repository
from veelocity.models.sentry import (
    SentryDeploy,
    SentryErrorStat,
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
)
from veelocity.records.sentry import (
    SentryBatch,
    SentryErrorStatRecord,
    SentryEventsPage,
    SentryIssueRecord,
    SentryProjectRecord,
    SentryReleaseRecord,
)
from veelocity.store.report import WriteReport
from veelocity.store.rows import chunks

#: how a project's repository was found
BY_NAME = "name"
BY_RELEASE_COMMITS = "release_commits"
CHOSEN = "chosen"


@dataclass
class _Upserted:
    ids: dict[str, int] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _upsert(session: Session, model: Any, key: str, rows: dict[str, dict[str, Any]]) -> _Upserted:
    """Insert or update rows by their natural key column, writing only what changed."""
    result = _Upserted()
    if not rows:
        return result
    table = _table(model)
    columns = sorted({name for row in rows.values() for name in row} - {key})
    stored: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(rows)):
        query = select(table.c.id, table.c[key], *(table.c[c] for c in columns)).where(
            table.c[key].in_(batch)
        )
        stored.update({row[key]: dict(row) for row in session.execute(query).mappings()})
    statement = insert_ignoring_conflicts(session.get_bind().dialect, table, (key,)).returning(
        table.c.id, table.c[key]
    )
    for batch in chunks([k for k in rows if k not in stored]):
        for inserted in session.execute(statement, [rows[k] for k in batch]):
            result.ids[inserted[1]] = inserted[0]
            result.created.add(inserted[1])
    for name, row in rows.items():
        if name in result.created:
            continue
        current = stored.get(name)
        if current is None:  # inserted by a concurrent writer meanwhile
            query = select(table.c.id, *(table.c[c] for c in columns)).where(table.c[key] == name)
            current = dict(session.execute(query).mappings().one())
        result.ids[name] = current["id"]
        changed = {c: v for c, v in row.items() if c != key and current.get(c) != v}
        if changed:
            session.execute(update(table).where(table.c.id == current["id"]).values(**changed))
            result.updated.add(name)
    return result


def _ids(session: Session, column: Any, id_column: Any, keys: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in chunks(sorted(set(keys))):
        found.update(
            dict(session.execute(select(column, id_column).where(column.in_(batch))).all())
        )
    return found


def write_sentry(session: Session, batch: SentryBatch) -> WriteReport:
    report = WriteReport()
    if batch.projects:
        _write_projects(session, batch.projects, report)
    if batch.releases:
        _write_releases(session, batch.releases, report)
    if batch.issues:
        _write_issues(session, batch.issues, report)
    if batch.events:
        _write_events(session, batch.events, report)
    if batch.error_stats:
        _write_error_stats(session, batch.error_stats, report)
    return report


def _count(report: WriteReport, received: int, done: _Upserted) -> None:
    report.received += received
    report.created += len(done.created)
    report.updated += len(done.updated)
    report.unchanged += received - len(done.created) - len(done.updated)


def _write_projects(
    session: Session, records: list[SentryProjectRecord], report: WriteReport
) -> None:
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "slug": r.slug,
            "name": r.name,
            "platform": r.platform,
            "created_at": r.created_at,
        }
        for r in records
    }
    done = _upsert(session, SentryProject, "external_id", rows)
    _count(report, len(records), done)
    map_projects_by_name(session, list(done.ids.values()))


def map_projects_by_name(session: Session, project_ids: list[int]) -> None:
    """Map each project whose slug names exactly one repository (its name, or owner/name);
    a chosen mapping, or one found by release commits, stays as it is."""
    if not project_ids:
        return
    repositories = session.execute(select(Repository.id, Repository.full_name)).all()
    by_name: dict[str, set[int]] = {}
    for found_id, full_name in repositories:
        lowered = full_name.lower()
        by_name.setdefault(lowered, set()).add(found_id)
        by_name.setdefault(lowered.rsplit("/", 1)[-1], set()).add(found_id)
    projects = session.execute(
        select(SentryProject.id, SentryProject.slug, SentryProject.repository_id)
        .where(SentryProject.id.in_(project_ids))
        .where(
            SentryProject.repository_mapped_by.is_(None)
            | (SentryProject.repository_mapped_by == BY_NAME)
        )
    ).all()
    for project_id, slug, current in projects:
        matches = by_name.get(slug.lower(), set())
        repository_id: int | None = next(iter(matches)) if len(matches) == 1 else None
        if repository_id != current:
            session.execute(
                update(SentryProject)
                .where(SentryProject.id == project_id)
                .values(
                    repository_id=repository_id,
                    repository_mapped_by=BY_NAME if repository_id else None,
                )
            )


def _write_releases(
    session: Session, records: list[SentryReleaseRecord], report: WriteReport
) -> None:
    slugs = {slug for r in records for slug in r.project_slugs}
    project_ids = dict(
        session.execute(
            select(SentryProject.slug, SentryProject.external_id).where(
                SentryProject.slug.in_(sorted(slugs))
            )
        ).all()
    )
    rows: dict[str, dict[str, Any]] = {}
    for r in records:
        row: dict[str, Any] = {
            "version": r.version,
            "short_version": r.short_version,
            "created_at": r.created_at,
            "released_at": r.released_at,
            "last_commit_sha": r.last_commit_sha,
            "project_external_ids": sorted(
                {project_ids[s] for s in r.project_slugs if s in project_ids}
            ),
        }
        if r.commit_shas is not None:
            row["commit_shas"] = list(r.commit_shas)
        rows[r.version] = row
    done = _upsert(session, SentryRelease, "version", rows)
    _count(report, len(records), done)
    changed = done.created | done.updated
    deploys: dict[str, dict[str, Any]] = {}
    for r in records:
        for d in r.deploys or ():
            deploys[d.external_id] = {
                "external_id": d.external_id,
                "release_id": done.ids[r.version],
                "environment": d.environment,
                "started_at": d.started_at,
                "finished_at": d.finished_at,
                "name": d.name,
                "url": d.url,
            }
    if deploys:
        written = _upsert(session, SentryDeploy, "external_id", deploys)
        for external_id in written.created | written.updated:
            release_id = deploys[external_id]["release_id"]
            changed |= {v for v, i in done.ids.items() if i == release_id}
    report.changes.sentry_release_ids |= {done.ids[v] for v in changed}
    _map_projects_by_release_commits(session, records)


def _map_projects_by_release_commits(session: Session, records: list[SentryReleaseRecord]) -> None:
    """A project no name maps: the repository whose commit graph holds its releases' commits
    (only when they are all found in that one repository)."""
    found: dict[str, Counter[int]] = {}
    for r in records:
        shas = set(r.commit_shas or ()) | ({r.last_commit_sha} if r.last_commit_sha else set())
        if not shas or not r.project_slugs:
            continue
        repositories = set(
            session.scalars(
                select(Commit.repository_id).where(Commit.sha.in_(sorted(shas))).distinct()
            )
        )
        if len(repositories) != 1:
            continue
        for slug in r.project_slugs:
            found.setdefault(slug, Counter())[next(iter(repositories))] += 1
    for slug, counts in found.items():
        if len(counts) != 1:
            continue  # releases of this project point at several repositories: not sure
        repository_id = next(iter(counts))
        session.execute(
            update(SentryProject)
            .where(SentryProject.slug == slug, SentryProject.repository_mapped_by.is_(None))
            .values(repository_id=repository_id, repository_mapped_by=BY_RELEASE_COMMITS)
        )


def _write_issues(session: Session, records: list[SentryIssueRecord], report: WriteReport) -> None:
    projects = _ids(
        session,
        SentryProject.external_id,
        SentryProject.id,
        (r.project_external_id for r in records),
    )
    rows: dict[str, dict[str, Any]] = {}
    for r in records:
        project_id = projects.get(r.project_external_id)
        if project_id is None:
            continue  # a project created after the projects were read: the next run has it
        rows[r.external_id] = {
            "external_id": r.external_id,
            "short_id": r.short_id,
            "project_id": project_id,
            "title": r.title,
            "culprit": r.culprit,
            "level": r.level,
            "status": r.status,
            "substatus": r.substatus,
            "status_details": r.status_details,
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
            "resolved_at": r.resolved_at,
            "event_count": r.event_count,
            "user_count": r.user_count,
            "first_release_version": r.first_release_version,
            "tags": r.tags,
            "assigned_to": r.assigned_to,
            "url": r.url,
        }
    _keep_what_lists_leave_out(session, records, rows)
    done = _upsert(session, SentryIssue, "external_id", _keep_resolution_time(session, rows))
    _count(report, len(rows), done)
    report.changes.sentry_issue_ids |= {done.ids[k] for k in done.created | done.updated}


def _keep_what_lists_leave_out(
    session: Session, records: list[SentryIssueRecord], rows: dict[str, dict[str, Any]]
) -> None:
    """An issue read from a list keeps the tags and first release its detail gave."""
    listed = [r.external_id for r in records if not r.detailed and r.external_id in rows]
    for batch in chunks(listed):
        query = select(
            SentryIssue.external_id, SentryIssue.tags, SentryIssue.first_release_version
        ).where(SentryIssue.external_id.in_(batch))
        for external_id, tags, first_release in session.execute(query).all():
            rows[external_id]["tags"] = tags
            rows[external_id]["first_release_version"] = first_release


def _keep_resolution_time(
    session: Session, rows: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """A resolved issue read again keeps the resolution time first stored for it."""
    resolved = [k for k, row in rows.items() if row["resolved_at"] is not None]
    stored = _resolved_times(session, resolved)
    for key, at in stored.items():
        if at is not None:
            rows[key]["resolved_at"] = at
    return rows


def _resolved_times(session: Session, external_ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for batch in chunks(external_ids):
        found.update(
            dict(
                session.execute(
                    select(SentryIssue.external_id, SentryIssue.resolved_at).where(
                        SentryIssue.external_id.in_(batch)
                    )
                ).all()
            )
        )
    return found


def _write_events(session: Session, pages: list[SentryEventsPage], report: WriteReport) -> None:
    issues = _ids(
        session, SentryIssue.external_id, SentryIssue.id, (p.issue_external_id for p in pages)
    )
    table = _table(SentryEvent)
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect, table, ("issue_id", "external_id")
    ).returning(table.c.id)
    for page in pages:
        issue_id = issues.get(page.issue_external_id)
        if issue_id is None:
            continue
        rows = {
            e.external_id: {
                "issue_id": issue_id,
                "external_id": e.external_id,
                "at": e.at,
                "environment": e.environment,
                "release_version": e.release_version,
                "user_key": e.user_key,
            }
            for e in page.events
        }
        created = 0
        for batch in chunks(list(rows.values())):
            created += len(session.execute(statement, batch).all())
        report.received += len(page.events)
        report.created += created
        report.unchanged += len(page.events) - created
        if page.complete:
            session.execute(
                update(SentryIssue).where(SentryIssue.id == issue_id).values(events_read=True)
            )
        if created or page.complete:
            report.changes.sentry_issue_ids.add(issue_id)


def _write_error_stats(
    session: Session, records: list[SentryErrorStatRecord], report: WriteReport
) -> None:
    projects = _ids(
        session,
        SentryProject.external_id,
        SentryProject.id,
        (r.project_external_id for r in records),
    )
    rows = {
        (projects[r.project_external_id], r.day): {
            "project_id": projects[r.project_external_id],
            "day": r.day,
            "events": r.events,
        }
        for r in records
        if r.project_external_id in projects
    }
    for batch in chunks(list(rows.values())):
        upsert_rows(session, _table(SentryErrorStat), batch, key=("project_id", "day"))
    report.received += len(records)
    report.updated += len(rows)


# --- what the sync asks before reading more ------------------------------------------------


@dataclass(frozen=True)
class StoredRelease:
    deploys: int
    commits_read: bool


def stored_releases(session: Session, versions: Iterable[str]) -> dict[str, StoredRelease]:
    """Per stored release: how many deploys are stored, and whether its commits were read."""
    found: dict[str, StoredRelease] = {}
    for batch in chunks(sorted(set(versions))):
        releases = session.execute(
            select(SentryRelease.id, SentryRelease.version, SentryRelease.commit_shas).where(
                SentryRelease.version.in_(batch)
            )
        ).all()
        deploys = dict(
            session.execute(
                select(SentryDeploy.release_id, func.count(SentryDeploy.id))
                .where(SentryDeploy.release_id.in_([row.id for row in releases]))
                .group_by(SentryDeploy.release_id)
            ).all()
        )
        for release_id, version, shas in releases:
            found[version] = StoredRelease(int(deploys.get(release_id, 0)), bool(shas))
    return found


def stored_issues(session: Session, external_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per stored issue: its `substatus`, `last_seen` and `events_read`, as stored."""
    found: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(set(external_ids))):
        query = select(
            SentryIssue.external_id,
            SentryIssue.substatus,
            SentryIssue.last_seen,
            SentryIssue.events_read,
        ).where(SentryIssue.external_id.in_(batch))
        for row in session.execute(query).mappings():
            found[row["external_id"]] = dict(row)
    return found
