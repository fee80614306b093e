"""Pull requests by (source, external_id), with their commits, events and files replaced as
sets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts
from veelocity.models import PullRequest, PullRequestCommit, PullRequestEvent
from veelocity.records import PullRequestRecord
from veelocity.store.ai import add_commit_trailers
from veelocity.store.identities import (
    ensure_developers,
    ensure_repositories,
    record_developer_emails,
)
from veelocity.store.pull_request_files import replace_changed_files
from veelocity.store.report import WriteReport
from veelocity.store.rows import Key, chunks, upsert_keyed

CommitKey = tuple[str, datetime | None]
EventKey = tuple[str, str, datetime, str | None, str | None]


def _row(record: PullRequestRecord, repository_id: int) -> dict[str, Any]:
    row = {
        "source": record.source,
        "external_id": record.external_id,
        "repository_id": repository_id,
        "number": record.number,
        "title": record.title,
        "url": record.url,
        "author_login": record.author,
        "head_branch": record.head_branch,
        "state": record.state,
        "is_draft": record.is_draft,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "merged_at": record.merged_at,
        "closed_at": record.closed_at,
        "merge_commit_sha": record.merge_commit_sha,
        "additions": record.additions,
        "deletions": record.deletions,
        "labels": list(record.labels),
    }
    if record.body_references is not None:  # None: keep what an earlier read found
        row["body_references"] = list(record.body_references)
    return row


def _commit_set(record: PullRequestRecord) -> dict[str, CommitKey]:
    # One row per sha; a repeated sha keeps its last authored date.
    return {c.sha: (c.sha, c.authored_at) for c in record.commits or ()}


def _event_set(record: PullRequestRecord) -> dict[tuple[str, str, datetime], EventKey]:
    # The table's unique key is (kind, actor, at); a repeat keeps the last one given.
    return {
        (e.kind, e.actor, e.at): (e.kind, e.actor, e.at, e.state, e.subject)
        for e in record.events or ()
    }


def _stored_commits(session: Session, ids: list[int]) -> dict[int, set[CommitKey]]:
    stored: dict[int, set[CommitKey]] = defaultdict(set)
    for batch in chunks(ids):
        query = select(
            PullRequestCommit.pull_request_id, PullRequestCommit.sha, PullRequestCommit.authored_at
        ).where(PullRequestCommit.pull_request_id.in_(batch))
        for pull_request_id, sha, authored_at in session.execute(query):
            stored[pull_request_id].add((sha, authored_at))
    return stored


def _stored_events(session: Session, ids: list[int]) -> dict[int, set[EventKey]]:
    stored: dict[int, set[EventKey]] = defaultdict(set)
    for batch in chunks(ids):
        query = select(
            PullRequestEvent.pull_request_id,
            PullRequestEvent.kind,
            PullRequestEvent.actor_login,
            PullRequestEvent.at,
            PullRequestEvent.state,
            PullRequestEvent.subject_login,
        ).where(PullRequestEvent.pull_request_id.in_(batch))
        for pull_request_id, *event in session.execute(query):
            stored[pull_request_id].add(tuple(event))  # type: ignore[arg-type]
    return stored


def write_pull_requests(session: Session, records: Sequence[PullRequestRecord]) -> WriteReport:
    """Upsert pull requests. Commits, events and files given (even empty) replace the stored
    sets; None keeps them. Authors, actors and requested reviewers become developers."""
    report = WriteReport(received=len(records))
    latest: dict[Key, PullRequestRecord] = {record.key: record for record in records}
    repository_ids = ensure_repositories(session, {r.repository for r in latest.values()})
    ensure_developers(
        session,
        {r.author for r in latest.values() if r.author}
        | {e.actor for r in latest.values() for e in r.events or ()}
        | {e.subject for r in latest.values() for e in r.events or () if e.subject},
    )
    record_developer_emails(
        session,
        {
            (c.author_login, c.author_email)
            for r in latest.values()
            for c in r.commits or ()
            if c.author_login and c.author_email
        },
    )
    upserted = upsert_keyed(
        session,
        PullRequest.__table__,  # type: ignore[arg-type]
        {key: _row(r, repository_ids[r.repository]) for key, r in latest.items()},
    )
    existing_ids = {upserted.ids[key] for key in latest if key not in upserted.created}
    with_commits = [key for key, r in latest.items() if r.commits is not None]
    with_events = [key for key, r in latest.items() if r.events is not None]
    stored_commits = _stored_commits(
        session, [upserted.ids[k] for k in with_commits if upserted.ids[k] in existing_ids]
    )
    stored_events = _stored_events(
        session, [upserted.ids[k] for k in with_events if upserted.ids[k] in existing_ids]
    )

    nested_changed: set[Key] = set()
    replace_commits: dict[int, list[CommitKey]] = {}
    for key in with_commits:
        wanted = _commit_set(latest[key])
        pull_request_id = upserted.ids[key]
        if set(wanted.values()) != stored_commits.get(pull_request_id, set()):
            replace_commits[pull_request_id] = list(wanted.values())
            nested_changed.add(key)
    replace_events: dict[int, list[EventKey]] = {}
    for key in with_events:
        wanted_events = _event_set(latest[key])
        pull_request_id = upserted.ids[key]
        if set(wanted_events.values()) != stored_events.get(pull_request_id, set()):
            replace_events[pull_request_id] = list(wanted_events.values())
            nested_changed.add(key)
    with_files = {upserted.ids[key]: r.files for key, r in latest.items() if r.files is not None}
    files_changed = replace_changed_files(session, with_files)
    nested_changed |= {key for key in latest if upserted.ids[key] in files_changed}
    _replace_commits(session, replace_commits)
    _replace_events(session, replace_events)
    gained_trailers = add_commit_trailers(
        session, {upserted.ids[key]: latest[key].commits or () for key in with_commits}
    )
    nested_changed |= {key for key in with_commits if upserted.ids[key] in gained_trailers}

    updated = upserted.updated | (nested_changed - upserted.created)
    report.created = len(upserted.created)
    report.updated = len(updated)
    report.unchanged = len(latest) - report.created - report.updated
    report.changes.pull_request_ids |= {upserted.ids[k] for k in upserted.created | updated}
    return report


def _replace_commits(session: Session, commits: dict[int, list[CommitKey]]) -> None:
    if not commits:
        return
    for batch in chunks(commits):
        session.execute(
            delete(PullRequestCommit).where(PullRequestCommit.pull_request_id.in_(batch))
        )
    rows = [
        {"pull_request_id": pull_request_id, "sha": sha, "authored_at": authored_at}
        for pull_request_id, items in commits.items()
        for sha, authored_at in items
    ]
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect,
        PullRequestCommit.__table__,
        ("pull_request_id", "sha"),
    )
    for batch_rows in chunks(rows):
        session.execute(statement, batch_rows)


def _replace_events(session: Session, events: dict[int, list[EventKey]]) -> None:
    if not events:
        return
    for batch in chunks(events):
        session.execute(delete(PullRequestEvent).where(PullRequestEvent.pull_request_id.in_(batch)))
    rows = [
        {
            "pull_request_id": pull_request_id,
            "kind": kind,
            "actor_login": actor,
            "at": at,
            "state": state,
            "subject_login": subject,
        }
        for pull_request_id, items in events.items()
        for kind, actor, at, state, subject in items
    ]
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect,
        PullRequestEvent.__table__,
        ("pull_request_id", "kind", "actor_login", "at"),
    )
    for batch_rows in chunks(rows):
        session.execute(statement, batch_rows)
