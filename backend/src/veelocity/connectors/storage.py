"""The database side of a connector's sync: checkpoints, pages written with them, budgets.

Vendor packages fetch and map; this module is where their pages meet the store. A page's
records and the checkpoint that follows them are written in one transaction, so a sync
killed at any moment resumes from a checkpoint that matches the rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.config import Settings
from veelocity.core.db import upsert_rows
from veelocity.core.time import utcnow
from veelocity.credentials.store import derive_config
from veelocity.derive import derive_all
from veelocity.derive.changes import ChangeSet
from veelocity.ingest.service import derive_after_write
from veelocity.models import (
    Commit,
    Deployment,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
    SyncCheckpoint,
    SyncRun,
)
from veelocity.records import (
    CommitRecord,
    DeploymentRecord,
    IssueRecord,
    PullRequestCommitRecord,
    PullRequestEventRecord,
    PullRequestFileRecord,
    PullRequestRecord,
    RepositoryRecord,
)
from veelocity.records.ai import AiBatch
from veelocity.records.linear import LinearBatch
from veelocity.records.sentry import SentryBatch
from veelocity.store import (
    WriteReport,
    write_commits,
    write_deployments,
    write_issues,
    write_pull_request_files,
    write_pull_requests,
    write_repositories,
)
from veelocity.store.ai import write_ai
from veelocity.store.linear import write_linear
from veelocity.store.sentry import write_sentry

Cursor = dict[str, Any]


@dataclass
class PageWrite:
    """What one page brings: records of any kind, and checkpoints to move with them."""

    repositories: list[RepositoryRecord] = field(default_factory=list)
    commits: list[CommitRecord] = field(default_factory=list)
    pull_requests: list[PullRequestRecord] = field(default_factory=list)
    deployments: list[DeploymentRecord] = field(default_factory=list)
    #: (source, external_id) of a stored pull request → its whole file list
    pull_request_files: dict[tuple[str, str], tuple[PullRequestFileRecord, ...]] = field(
        default_factory=dict
    )
    issues: list[IssueRecord] = field(default_factory=list)
    #: Linear's teams, states, users, labels, projects, cycles, issues and history
    linear: LinearBatch = field(default_factory=LinearBatch)
    #: Sentry's projects, releases, issues, events and error counts
    sentry: SentryBatch = field(default_factory=SentryBatch)
    #: Cursor's members, usage, spend and AI lines per commit; Greptile's repositories and
    #: reviews
    ai: AiBatch = field(default_factory=AiBatch)
    #: (stream, scope) → the new cursor
    checkpoints: dict[tuple[str, str], Cursor] = field(default_factory=dict)
    #: marks to remove, as (stream, scope, updated_at read): a mark set again since is kept
    cleared: list[tuple[str, str, datetime]] = field(default_factory=list)

    @property
    def items(self) -> int:
        return (
            len(self.repositories)
            + len(self.commits)
            + len(self.pull_requests)
            + len(self.deployments)
            + len(self.pull_request_files)
            + len(self.issues)
            + self.linear.items
            + self.sentry.items
            + self.ai.items
        )


#: the stream under which pages' changes wait to be derived, per scope
DERIVE_PENDING = "derive_pending"


def _cursor_of(changes: ChangeSet) -> Cursor:
    return {
        "pull_request_ids": sorted(changes.pull_request_ids),
        "deployment_ids": sorted(changes.deployment_ids),
        "incident_ids": sorted(changes.incident_ids),
        "resized_pull_request_ids": sorted(changes.resized_pull_request_ids),
        "issue_ids": sorted(changes.issue_ids),
        "repository_ids_with_new_commits": sorted(changes.repository_ids_with_new_commits),
        "new_commit_shas": {str(k): sorted(v) for k, v in changes.new_commit_shas.items()},
        "linear_issue_ids": sorted(changes.linear_issue_ids),
        "sentry_issue_ids": sorted(changes.sentry_issue_ids),
        "sentry_release_ids": sorted(changes.sentry_release_ids),
        "ai_commit_shas": sorted(changes.ai_commit_shas),
        "cursor_member_ids": sorted(changes.cursor_member_ids),
        "greptile_review_ids": sorted(changes.greptile_review_ids),
    }


def _changes_of(cursor: Cursor) -> ChangeSet:
    return ChangeSet(
        pull_request_ids=set(cursor.get("pull_request_ids", ())),
        deployment_ids=set(cursor.get("deployment_ids", ())),
        incident_ids=set(cursor.get("incident_ids", ())),
        resized_pull_request_ids=set(cursor.get("resized_pull_request_ids", ())),
        issue_ids=set(cursor.get("issue_ids", ())),
        repository_ids_with_new_commits=set(cursor.get("repository_ids_with_new_commits", ())),
        new_commit_shas={int(k): set(v) for k, v in (cursor.get("new_commit_shas") or {}).items()},
        linear_issue_ids=set(cursor.get("linear_issue_ids", ())),
        sentry_issue_ids=set(cursor.get("sentry_issue_ids", ())),
        sentry_release_ids=set(cursor.get("sentry_release_ids", ())),
        ai_commit_shas=set(cursor.get("ai_commit_shas", ())),
        cursor_member_ids=set(cursor.get("cursor_member_ids", ())),
        greptile_review_ids=set(cursor.get("greptile_review_ids", ())),
    )


def _mostly_new(session: Session, changes: ChangeSet) -> bool:
    changed = len(changes.pull_request_ids) + len(changes.deployment_ids)
    stored = int(session.scalar(select(func.count(PullRequest.id))) or 0) + int(
        session.scalar(select(func.count(Deployment.id))) or 0
    )
    return changed > 200 and changed * 5 > stored


@dataclass(frozen=True)
class Mark:
    scope: str
    cursor: Cursor
    updated_at: datetime


class CheckpointStore:
    """Checkpoints of one source, and page writes that move them."""

    def __init__(
        self, source: str, session_factory: sessionmaker[Session], settings: Settings
    ) -> None:
        self.source = source
        self.session_factory = session_factory
        self.settings = settings
        # SQLite has one writer at a time: workers of this process take turns here instead
        # of waiting on the file lock (whose busy timeout a long derive could outlast).
        # PostgreSQL writers run side by side.
        bind = session_factory.kw.get("bind")
        self._single_writer = bind is not None and bind.dialect.name == "sqlite"
        self._write_lock = threading.Lock()

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with (
            self._write_lock if self._single_writer else nullcontext(),
            self.session_factory() as session,
            session.begin(),
        ):
            yield session

    def load(self, stream: str, scope: str) -> Cursor:
        with self.session_factory() as session:
            row = session.get(SyncCheckpoint, (self.source, stream, scope))
            return dict(row.cursor) if row is not None else {}

    def write_page(self, page: PageWrite, *, derive_later: str | None = None) -> WriteReport:
        """Upsert the page's records, derive what they changed and move the checkpoints,
        all in one transaction.

        `derive_later` (a scope, e.g. a repository): instead of deriving now, add what the
        page changed to that scope's pending derive, written in the same transaction;
        `derive_pending` derives everything pending at once at the end of the run. A page of
        commits then does not recompute the repository's deployments each time, and a
        crash in between loses nothing: the pending changes wait for the next run."""
        report = WriteReport()
        with self._writing() as session:
            if page.repositories:
                report.merge(write_repositories(session, page.repositories))
            if page.commits:
                report.merge(write_commits(session, page.commits))
            if page.pull_requests:
                report.merge(write_pull_requests(session, page.pull_requests))
            if page.deployments:
                report.merge(write_deployments(session, page.deployments))
            if page.pull_request_files:
                report.merge(write_pull_request_files(session, page.pull_request_files))
            if page.issues:
                report.merge(write_issues(session, page.issues))
            if self.source == "linear":
                report.merge(write_linear(session, page.linear))
            if self.source == "sentry":
                report.merge(write_sentry(session, page.sentry))
            if page.ai.items:
                report.merge(write_ai(session, page.ai))
            if derive_later is None:
                derive_after_write(session, self.settings, report)
            elif not report.changes.is_empty():
                self._add_pending(session, derive_later, report.changes)
            self._save(session, page.checkpoints)
            for stream, scope, updated_at in page.cleared:
                session.execute(
                    delete(SyncCheckpoint).where(
                        SyncCheckpoint.source == self.source,
                        SyncCheckpoint.stream == stream,
                        SyncCheckpoint.scope == scope,
                        SyncCheckpoint.updated_at == updated_at,
                    )
                )
        return report

    def _save(self, session: Session, checkpoints: dict[tuple[str, str], Cursor]) -> None:
        now = utcnow()
        rows = [
            {
                "source": self.source,
                "stream": stream,
                "scope": scope,
                "cursor": cursor,
                "updated_at": now,
            }
            for (stream, scope), cursor in checkpoints.items()
        ]
        for row in rows:  # one statement per row: cursors differ in shape
            upsert_rows(session, SyncCheckpoint.__table__, [row], key=("source", "stream", "scope"))

    def _add_pending(self, session: Session, scope: str, changes: ChangeSet) -> None:
        row = session.get(SyncCheckpoint, (self.source, DERIVE_PENDING, scope))
        pending = _changes_of(row.cursor if row is not None else {}).merge(changes)
        self._save(session, {(DERIVE_PENDING, scope): _cursor_of(pending)})

    def derive_pending(self) -> None:
        """Derive what pages written with `derive_later` changed, in one transaction.

        When most of the stored pull requests and deployments are new (a first sync, a
        sync after a long pause), deriving everything at once is several times faster than
        deriving the changed rows one by one; otherwise only the changes are derived."""
        with self._writing() as session:
            rows = list(
                session.scalars(
                    select(SyncCheckpoint).where(
                        SyncCheckpoint.source == self.source,
                        SyncCheckpoint.stream == DERIVE_PENDING,
                    )
                )
            )
            if not rows:
                return
            changes = ChangeSet()
            for row in rows:
                changes.merge(_changes_of(row.cursor))
            if _mostly_new(session, changes):
                derive_all(session, derive_config(session, self.settings))
            else:
                derive_after_write(session, self.settings, WriteReport(changes=changes))
            for row in rows:
                session.delete(row)

    def known_commits(self, repository: str, shas: Iterable[str]) -> set[str]:
        """Which of these commits the graph already holds."""
        wanted = list(set(shas))
        if not wanted:
            return set()
        with self.session_factory() as session:
            query = (
                select(Commit.sha)
                .join(Repository, Repository.id == Commit.repository_id)
                .where(func.lower(Repository.full_name) == repository.lower())
                .where(Commit.sha.in_(wanted))
            )
            return set(session.scalars(query))

    def marks(self, stream: str) -> list[Mark]:
        """Every scope's cursor of a stream, oldest first."""
        with self.session_factory() as session:
            rows = session.scalars(
                select(SyncCheckpoint)
                .where(SyncCheckpoint.source == self.source, SyncCheckpoint.stream == stream)
                .order_by(SyncCheckpoint.updated_at, SyncCheckpoint.scope)
            )
            return [Mark(row.scope, dict(row.cursor), row.updated_at) for row in rows]

    def merged_pull_requests_without_files(self) -> dict[str, list[tuple[str, int]]]:
        """Merged pull requests of this source whose file list is not stored yet, newest
        merged first, as repository → [(external_id, number)]."""
        with self.session_factory() as session:
            rows = session.execute(
                select(Repository.full_name, PullRequest.external_id, PullRequest.number)
                .join(Repository, Repository.id == PullRequest.repository_id)
                .where(
                    PullRequest.source == self.source,
                    PullRequest.merged_at.is_not(None),
                    PullRequest.number.is_not(None),
                    PullRequest.files_known.is_(False),
                )
                .order_by(PullRequest.merged_at.desc(), PullRequest.id.desc())
            ).all()
        found: dict[str, list[tuple[str, int]]] = {}
        for full_name, external_id, number in rows:
            if number is not None:  # the query asks for numbers; this tells the type checker
                found.setdefault(full_name, []).append((external_id, number))
        return found

    def stored_pull_request(self, source: str, external_id: str) -> PullRequestRecord | None:
        """A stored pull request as a record, with its commits and events."""
        with self.session_factory() as session:
            row = session.scalar(
                select(PullRequest).where(
                    PullRequest.source == source, PullRequest.external_id == external_id
                )
            )
            if row is None:
                return None
            repository = session.get(Repository, row.repository_id)
            assert repository is not None
            commits = session.execute(
                select(PullRequestCommit.sha, PullRequestCommit.authored_at).where(
                    PullRequestCommit.pull_request_id == row.id
                )
            ).all()
            events = session.execute(
                select(
                    PullRequestEvent.kind,
                    PullRequestEvent.actor_login,
                    PullRequestEvent.at,
                    PullRequestEvent.state,
                    PullRequestEvent.subject_login,
                ).where(PullRequestEvent.pull_request_id == row.id)
            ).all()
            return PullRequestRecord(
                source=row.source,
                external_id=row.external_id,
                repository=repository.full_name,
                state=row.state,
                created_at=row.created_at,
                updated_at=row.updated_at,
                title=row.title,
                number=row.number,
                url=row.url,
                author=row.author_login,
                head_branch=row.head_branch,
                is_draft=row.is_draft,
                merged_at=row.merged_at,
                closed_at=row.closed_at,
                merge_commit_sha=row.merge_commit_sha,
                additions=row.additions,
                deletions=row.deletions,
                labels=tuple(row.labels or ()),
                commits=tuple(PullRequestCommitRecord(sha, at) for sha, at in commits),
                events=tuple(
                    PullRequestEventRecord(kind, actor, at, state=state, subject=subject)
                    for kind, actor, at, state, subject in events
                ),
            )


@dataclass(frozen=True)
class HourlyUsage:
    requests: int
    #: when the oldest counted run leaves the hour
    frees_at: datetime | None


def requests_in_last_hour(
    session_factory: sessionmaker[Session], sources: Sequence[str], exclude_run: int | None
) -> HourlyUsage:
    """Requests that runs of these sources (jobs sharing one upstream quota) made in the
    last hour, as recorded on their sync_run rows."""
    since = utcnow() - timedelta(hours=1)
    with session_factory() as session:
        query = select(SyncRun.requests_used, SyncRun.created_at).where(
            SyncRun.source.in_(list(sources)), SyncRun.created_at >= since
        )
        if exclude_run is not None:
            query = query.where(SyncRun.id != exclude_run)
        rows = session.execute(query).all()
    used = sum(requests or 0 for requests, _ in rows)
    oldest = min((created for _, created in rows), default=None)
    return HourlyUsage(used, oldest + timedelta(hours=1) if oldest else None)
