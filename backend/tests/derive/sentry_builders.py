"""Builders for Sentry rows as the Sentry sync writes them (raw columns only)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.derive import ChangeSet
from veelocity.models import Repository, SentryEvent, SentryIssue, SentryProject, SentryRelease

_sequence = itertools.count(1)


def make_sentry_project(
    session: Session, repository: Repository | None, slug: str = "api", **overrides: Any
) -> SentryProject:
    number = next(_sequence)
    values: dict[str, Any] = {
        "external_id": f"p{number}",
        "slug": slug,
        "name": slug.title(),
        "repository_id": repository.id if repository else None,
        "repository_mapped_by": "name" if repository else None,
    }
    values.update(overrides)
    project = SentryProject(**values)
    session.add(project)
    session.flush()
    return project


def make_sentry_release(
    session: Session,
    project: SentryProject,
    version: str,
    *,
    created_at: datetime,
    last_commit_sha: str | None = None,
) -> SentryRelease:
    release = SentryRelease(
        version=version,
        created_at=created_at,
        last_commit_sha=last_commit_sha,
        commit_shas=[],
        project_external_ids=[project.external_id],
    )
    session.add(release)
    session.flush()
    return release


def make_sentry_issue(
    session: Session,
    project: SentryProject,
    *,
    first_seen: datetime,
    level: str = "error",
    environment: str | None = "production",
    **overrides: Any,
) -> SentryIssue:
    number = next(_sequence)
    values: dict[str, Any] = {
        "external_id": str(1000 + number),
        "short_id": f"{project.slug.upper()}-{number}",
        "project_id": project.id,
        "title": f"TypeError {number}",
        "level": level,
        "status": "unresolved",
        "status_details": {},
        "first_seen": first_seen,
        "last_seen": first_seen,
        "tags": {"environment": environment} if environment else {},
        "events_read": True,
    }
    values.update(overrides)
    issue = SentryIssue(**values)
    session.add(issue)
    session.flush()
    return issue


def add_events(
    session: Session,
    issue: SentryIssue,
    start: datetime,
    count: int,
    *,
    users: int = 1,
    every: timedelta = timedelta(minutes=1),
    environment: str | None = "production",
    release: str | None = None,
) -> None:
    """`count` events from `start`, one every `every`, spread over `users` users."""
    offset = session.scalar(
        select(SentryEvent.id)
        .where(SentryEvent.issue_id == issue.id)
        .order_by(SentryEvent.id.desc())
        .limit(1)
    )
    base = (offset or 0) + 1
    for index in range(count):
        session.add(
            SentryEvent(
                issue_id=issue.id,
                external_id=f"e{issue.id}-{base + index}",
                at=start + every * index,
                environment=environment,
                release_version=release,
                user_key=f"user-{index % users}",
            )
        )
    issue.event_count += count
    issue.last_seen = max(issue.last_seen, start + every * (count - 1))
    session.flush()


def sentry_changes(session: Session) -> ChangeSet:
    return ChangeSet(
        sentry_issue_ids=set(session.scalars(select(SentryIssue.id))),
        sentry_release_ids=set(session.scalars(select(SentryRelease.id))),
    )
