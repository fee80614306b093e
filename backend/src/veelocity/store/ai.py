"""Writes AI-assisted development records: Cursor members (matched to developers by e-mail),
their daily usage and spend, AI lines per commit, Greptile repositories and reviews.

Members are keyed by their lower-cased e-mail. Usage, spend or commits naming someone the
member list did not (a member removed since) create that member, so nothing read is lost.
A day of usage read again replaces the stored day: Cursor corrects recent days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, func, select, tuple_, update
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts, upsert_rows
from veelocity.models import Developer, Repository
from veelocity.models.ai import (
    AiCommit,
    CommitTrailer,
    CursorDailyUsage,
    CursorMember,
    CursorSpend,
    GreptileRepository,
    GreptileReview,
)
from veelocity.records import PullRequestCommitRecord
from veelocity.records.ai import (
    AiBatch,
    AiCommitRecord,
    CursorDailyUsageRecord,
    CursorMemberRecord,
    CursorSpendRecord,
    GreptileRepositoryRecord,
    GreptileReviewRecord,
)
from veelocity.store.report import WriteReport
from veelocity.store.rows import chunks


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def email_key(email: str) -> str:
    return email.strip().lower()


# --- Cursor members and developers ----------------------------------------------------------
def _member_ids(session: Session, emails: Iterable[str]) -> dict[str, int]:
    wanted = sorted({email_key(e) for e in emails})
    found: dict[str, int] = {}
    for batch in chunks(wanted):
        rows = session.execute(
            select(CursorMember.email, CursorMember.id).where(CursorMember.email.in_(batch))
        )
        found.update({email: member_id for email, member_id in rows})
    return found


def write_cursor_members(
    session: Session, records: Sequence[CursorMemberRecord], report: WriteReport
) -> None:
    """Upsert members by e-mail; what they are called and their role follow Cursor."""
    rows: dict[str, dict[str, Any]] = {
        email_key(r.email): {
            "email": email_key(r.email),
            "name": r.name,
            "role": r.role,
            "external_id": r.external_id,
            "is_removed": r.is_removed,
        }
        for r in records
        if r.email.strip()
    }
    report.received += len(records)
    stored = {
        row.email: row
        for batch in chunks(sorted(rows))
        for row in session.scalars(select(CursorMember).where(CursorMember.email.in_(batch)))
    }
    for email, row in rows.items():
        current = stored.get(email)
        if current is None:
            continue
        changed = {k: v for k, v in row.items() if getattr(current, k) != v}
        if changed:
            session.execute(
                update(CursorMember).where(CursorMember.id == current.id).values(changed)
            )
            report.updated += 1
            report.changes.cursor_member_ids.add(current.id)
        else:
            report.unchanged += 1
    new = [row for email, row in rows.items() if email not in stored]
    if new:
        upsert_rows(session, _table(CursorMember), new, key=("email",))
        created = _member_ids(session, (row["email"] for row in new))
        report.created += len(created)
        report.changes.cursor_member_ids |= set(created.values())


def _mark_unlisted_members_removed(
    session: Session, listed: Sequence[CursorMemberRecord], report: WriteReport
) -> None:
    emails = {email_key(r.email) for r in listed}
    gone = [
        member_id
        for member_id, email in session.execute(
            select(CursorMember.id, CursorMember.email).where(CursorMember.is_removed.is_(False))
        )
        if email not in emails
    ]
    for batch in chunks(gone):
        session.execute(
            update(CursorMember).where(CursorMember.id.in_(batch)).values(is_removed=True)
        )
    report.updated += len(gone)
    report.changes.cursor_member_ids |= set(gone)


def ensure_cursor_members(session: Session, emails: Iterable[str]) -> dict[str, int]:
    """The member id of each e-mail, creating members the member list did not name."""
    wanted = {email_key(e) for e in emails if e.strip()}
    found = _member_ids(session, wanted)
    missing = [{"email": email} for email in sorted(wanted - set(found))]
    if missing:
        upsert_rows(session, _table(CursorMember), missing, key=("email",))
        found.update(_member_ids(session, (row["email"] for row in missing)))
    return found


def match_cursor_members(session: Session) -> set[int]:
    """Point each member at the developer with the same e-mail (case-insensitive), unless
    someone chose the developer in People. Returns the members whose developer changed."""
    by_email: dict[str, int] = {}
    rows = session.execute(
        select(func.lower(Developer.email), Developer.id)
        .where(Developer.email.is_not(None))
        .order_by(Developer.id)
    )
    for email, developer_id in rows:
        by_email.setdefault(email, developer_id)
    changed: set[int] = set()
    members = session.execute(
        select(CursorMember.id, CursorMember.email, CursorMember.developer_id).where(
            CursorMember.developer_chosen.is_(False)
        )
    ).all()
    for member_id, email, developer_id in members:
        matched = by_email.get(email_key(email))
        if matched != developer_id:
            session.execute(
                update(CursorMember)
                .where(CursorMember.id == member_id)
                .values(developer_id=matched)
            )
            changed.add(member_id)
    return changed


# --- usage and spend -----------------------------------------------------------------------
_USAGE_COLUMNS = (
    "is_active",
    "total_lines_added",
    "total_lines_deleted",
    "accepted_lines_added",
    "accepted_lines_deleted",
    "total_applies",
    "total_accepts",
    "total_rejects",
    "tabs_shown",
    "tabs_accepted",
    "composer_requests",
    "chat_requests",
    "agent_requests",
    "cmdk_usages",
    "bugbot_usages",
    "usage_based_requests",
    "most_used_model",
)


def write_cursor_usage(
    session: Session, records: Sequence[CursorDailyUsageRecord], report: WriteReport
) -> None:
    """Each (member, day) replaces the stored one; only days whose figures changed count."""
    members = ensure_cursor_members(session, (r.email for r in records))
    rows: dict[tuple[int, date], dict[str, Any]] = {}
    for r in records:
        member_id = members.get(email_key(r.email))
        if member_id is None:
            continue
        row = {"member_id": member_id, "day": r.day}
        row.update({column: getattr(r, column) for column in _USAGE_COLUMNS})
        rows[(member_id, r.day)] = row
    report.received += len(records)
    table = _table(CursorDailyUsage)
    stored: dict[tuple[int, date], dict[str, Any]] = {}
    for batch in chunks(sorted(rows)):
        query = select(table).where(tuple_(table.c.member_id, table.c.day).in_(batch))
        stored.update(
            {(row["member_id"], row["day"]): dict(row) for row in session.execute(query).mappings()}
        )
    changed = [row for key, row in rows.items() if stored.get(key) != row]
    report.created += sum(1 for key in rows if key not in stored)
    report.updated += sum(1 for row in changed if (row["member_id"], row["day"]) in stored)
    report.unchanged += len(rows) - len(changed)
    for rows_batch in chunks(changed):
        upsert_rows(session, table, rows_batch, key=("member_id", "day"))
    report.changes.cursor_member_ids |= {row["member_id"] for row in changed}


def write_cursor_spend(
    session: Session, records: Sequence[CursorSpendRecord], report: WriteReport
) -> None:
    """The current cycle's snapshot per member, replaced at every read."""
    members = ensure_cursor_members(session, (r.email for r in records))
    rows = [
        {
            "member_id": members[email_key(r.email)],
            "cycle_start": r.cycle_start,
            "spend_cents": r.spend_cents,
            "fast_premium_requests": r.fast_premium_requests,
            "read_at": r.read_at,
        }
        for r in records
        if email_key(r.email) in members
    ]
    report.received += len(records)
    report.updated += len(rows)
    for batch in chunks(rows):
        upsert_rows(session, _table(CursorSpend), batch, key=("member_id", "cycle_start"))


def write_ai_commits(
    session: Session, records: Sequence[AiCommitRecord], report: WriteReport
) -> None:
    """Upsert commits by (source, sha); the shas whose lines changed are derived again."""
    rows: dict[tuple[str, str], dict[str, Any]] = {
        (r.source, r.sha.lower()): {
            "source": r.source,
            "sha": r.sha.lower(),
            "user_email": email_key(r.user_email) if r.user_email else None,
            "repository_name": r.repository_name,
            "branch_name": r.branch_name,
            "is_primary_branch": r.is_primary_branch,
            "total_lines_added": r.total_lines_added,
            "total_lines_deleted": r.total_lines_deleted,
            "ai_lines_added": r.ai_lines_added,
            "ai_lines_deleted": r.ai_lines_deleted,
            "committed_at": r.committed_at,
        }
        for r in records
    }
    report.received += len(records)
    table = _table(AiCommit)
    columns = [table.c[name] for name in next(iter(rows.values()), {})]
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for batch in chunks(sorted(rows)):
        query = select(*columns).where(tuple_(table.c.source, table.c.sha).in_(batch))
        stored.update(
            {(row["source"], row["sha"]): dict(row) for row in session.execute(query).mappings()}
        )
    changed = [row for key, row in rows.items() if stored.get(key) != row]
    report.created += sum(1 for key in rows if key not in stored)
    report.updated += sum(1 for row in changed if (row["source"], row["sha"]) in stored)
    report.unchanged += len(rows) - len(changed)
    for rows_batch in chunks(changed):
        upsert_rows(session, table, rows_batch, key=("source", "sha"))
    report.changes.ai_commit_shas |= {row["sha"] for row in changed}


# --- Greptile ----------------------------------------------------------------------------
def write_greptile_repositories(
    session: Session, records: Sequence[GreptileRepositoryRecord], report: WriteReport
) -> None:
    """Each repository's indexing status, as last checked (never indexed: status None)."""
    names = sorted({r.repository.lower() for r in records})
    repository_ids: dict[str, int] = dict(
        session.execute(
            select(func.lower(Repository.full_name), Repository.id).where(
                func.lower(Repository.full_name).in_(names)
            )
        ).all()
    )
    rows = [
        {
            "external_id": r.external_id,
            "repository_id": repository_ids.get(r.repository.lower()),
            "branch": r.branch,
            "status": r.status,
            "files_processed": r.files_processed,
            "num_files": r.num_files,
            "indexed_sha": r.indexed_sha,
            "checked_at": r.checked_at,
        }
        for r in records
    ]
    report.received += len(records)
    report.updated += len(rows)
    upsert_rows(session, _table(GreptileRepository), rows, key=("external_id",))


def write_greptile_reviews(
    session: Session, records: Sequence[GreptileReviewRecord], report: WriteReport
) -> None:
    """Upsert reviews by Greptile's id; the reviews that changed are derived again."""
    rows: dict[str, dict[str, Any]] = {
        r.external_id: {
            "external_id": r.external_id,
            "repository_name": r.repository_name,
            "pull_request_number": r.pull_request_number,
            "status": r.status,
            "created_at": r.created_at,
            "completed_at": r.completed_at,
            "comments": r.comments,
        }
        for r in records
    }
    report.received += len(records)
    table = _table(GreptileReview)
    columns = [table.c.id, *(table.c[name] for name in next(iter(rows.values()), {}))]
    stored: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(rows)):
        query = select(*columns).where(table.c.external_id.in_(batch))
        stored.update({row["external_id"]: dict(row) for row in session.execute(query).mappings()})
    changed = [
        row
        for key, row in rows.items()
        if key not in stored or {k: stored[key][k] for k in row} != row
    ]
    report.created += sum(1 for key in rows if key not in stored)
    report.updated += sum(1 for row in changed if row["external_id"] in stored)
    report.unchanged += len(rows) - len(changed)
    for rows_batch in chunks(changed):
        upsert_rows(session, table, rows_batch, key=("external_id",))
    for ids_batch in chunks(sorted(str(row["external_id"]) for row in changed)):
        report.changes.greptile_review_ids |= set(
            session.scalars(select(table.c.id).where(table.c.external_id.in_(ids_batch)))
        )


def write_ai(session: Session, batch: AiBatch) -> WriteReport:
    """Write one page of the Cursor or Greptile sync."""
    report = WriteReport()
    if batch.members:
        write_cursor_members(session, batch.members, report)
    if batch.members_complete:
        _mark_unlisted_members_removed(session, batch.members, report)
    if batch.daily_usage:
        write_cursor_usage(session, batch.daily_usage, report)
    if batch.spend:
        write_cursor_spend(session, batch.spend, report)
    if batch.commits:
        write_ai_commits(session, batch.commits, report)
    if batch.greptile_repositories:
        write_greptile_repositories(session, batch.greptile_repositories, report)
    if batch.greptile_reviews:
        write_greptile_reviews(session, batch.greptile_reviews, report)
    if batch.members or batch.daily_usage or batch.spend:
        # developers' e-mails arrive with other sources' syncs: match again each time
        report.changes.cursor_member_ids |= match_cursor_members(session)
    return report


def repositories_to_index(session: Session) -> list[tuple[str, str | None]]:
    """Every synced repository as (owner/name, default branch), for Greptile's status."""
    return [
        (name, branch)
        for name, branch in session.execute(
            select(Repository.full_name, Repository.default_branch).order_by(Repository.full_name)
        )
    ]


# --- commit trailers ------------------------------------------------------------------------
def add_commit_trailers(
    session: Session, commits: dict[int, Sequence[PullRequestCommitRecord]]
) -> set[int]:
    """Keep the AI-relevant trailers of pull requests' commits. Trailers are only added: a
    record rebuilt without them (a stored pull request sent again) removes none. Returns the
    pull requests that gained one."""
    wanted = {
        (pull_request_id, commit.sha, key, value)
        for pull_request_id, records in commits.items()
        for commit in records
        for key, value in commit.trailers
    }
    if not wanted:
        return set()
    stored: set[tuple[int, str, str, str]] = set()
    for batch in chunks(sorted({row[0] for row in wanted})):
        rows = session.execute(
            select(
                CommitTrailer.pull_request_id,
                CommitTrailer.sha,
                CommitTrailer.key,
                CommitTrailer.value,
            ).where(CommitTrailer.pull_request_id.in_(batch))
        )
        stored |= {(p, sha, key, value) for p, sha, key, value in rows}
    new = sorted(wanted - stored)
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect,
        _table(CommitTrailer),
        ("pull_request_id", "sha", "key", "value"),
    )
    for trailers in chunks(new):
        session.execute(
            statement,
            [
                {"pull_request_id": p, "sha": sha, "key": key, "value": value}
                for p, sha, key, value in trailers
            ],
        )
    return {row[0] for row in new}
