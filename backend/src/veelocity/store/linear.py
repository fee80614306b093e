"""Writes Linear records: the Linear tables, and the tracker-neutral `issue` row of each issue.

Rows are keyed by Linear's id (`external_id`); references between records (an issue's team,
state, cycle, ...) are resolved to our ids here, so records must come after what they name
(the sync writes teams, states, users, labels, cycles and projects before issues). An issue
is also an `issue` row (source "linear"): open, or closed as completed / not_planned when its
state is completed / canceled, with its labels' names, so incident patterns treat it like any
other tracker's issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts
from veelocity.core.time import utcnow
from veelocity.models import (
    Developer,
    Issue,
    LinearAttachment,
    LinearCycle,
    LinearIssue,
    LinearIssueHistory,
    LinearLabel,
    LinearProject,
    LinearTeam,
    LinearUser,
    LinearWorkflowState,
)
from veelocity.records import IssueRecord
from veelocity.records.linear import (
    LinearAttachmentRecord,
    LinearBatch,
    LinearCycleRecord,
    LinearHistoryPage,
    LinearHistoryRecord,
    LinearIssueRecord,
    LinearLabelRecord,
    LinearProjectRecord,
    LinearTeamRecord,
    LinearUserRecord,
    LinearWorkflowStateRecord,
)
from veelocity.store.issues import write_issues
from veelocity.store.report import WriteReport
from veelocity.store.rows import chunks

SOURCE = "linear"


@dataclass
class _Upserted:
    ids: dict[str, int] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _ids_of(session: Session, model: Any, external_ids: Iterable[str | None]) -> dict[str, int]:
    """Our ids of the stored rows with these Linear ids."""
    table = _table(model)
    wanted = sorted({e for e in external_ids if e})
    found: dict[str, int] = {}
    for batch in chunks(wanted):
        query = select(table.c.external_id, table.c.id).where(table.c.external_id.in_(batch))
        found.update({external_id: row_id for external_id, row_id in session.execute(query)})
    return found


def _upsert(session: Session, model: Any, rows: dict[str, dict[str, Any]]) -> _Upserted:
    """Insert or update rows by `external_id`, writing only the columns that changed."""
    result = _Upserted()
    if not rows:
        return result
    table = _table(model)
    columns = sorted({name for row in rows.values() for name in row} - {"external_id"})
    stored: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(rows)):
        query = select(table.c.id, table.c.external_id, *(table.c[c] for c in columns)).where(
            table.c.external_id.in_(batch)
        )
        stored.update({row["external_id"]: dict(row) for row in session.execute(query).mappings()})
    new = [key for key in rows if key not in stored]
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect, table, ("external_id",)
    ).returning(table.c.id, table.c.external_id)
    for batch in chunks(new):
        for inserted in session.execute(statement, [rows[key] for key in batch]):
            result.ids[inserted.external_id] = inserted.id
            result.created.add(inserted.external_id)
    for key, row in rows.items():
        if key in result.created:
            continue
        current = stored.get(key)
        if current is None:  # inserted by a concurrent writer meanwhile
            current = dict(
                session.execute(
                    select(table.c.id, *(table.c[c] for c in columns)).where(
                        table.c.external_id == key
                    )
                )
                .mappings()
                .one()
            )
        result.ids[key] = current["id"]
        changed = {name: value for name, value in row.items() if current.get(name) != value}
        changed.pop("external_id", None)
        if changed:
            session.execute(update(table).where(table.c.id == current["id"]).values(**changed))
            result.updated.add(key)
    return result


# --- teams and what belongs to them -------------------------------------------------------
def write_linear_teams(
    session: Session, records: Sequence[LinearTeamRecord], *, every_team: bool = False
) -> WriteReport:
    """Upsert teams. `every_team`: the records are every team Linear lists now, so a stored
    team missing from them is marked gone (its rows stay); a listed team is not gone."""
    report = WriteReport(received=len(records))
    rows = {
        r.external_id: {"external_id": r.external_id, "key": r.key, "name": r.name, "gone_at": None}
        for r in records
    }
    upserted = _upsert(session, LinearTeam, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    if every_team:
        table = _table(LinearTeam)
        session.execute(
            update(table)
            .where(table.c.external_id.not_in(list(rows) or [""]), table.c.gone_at.is_(None))
            .values(gone_at=utcnow())
        )
    return report


def active_teams(session: Session) -> dict[str, str]:
    """Linear id → key of the stored teams Linear still listed last time."""
    rows = session.execute(
        select(LinearTeam.external_id, LinearTeam.key).where(LinearTeam.gone_at.is_(None))
    )
    return {external_id: key for external_id, key in rows}


def write_linear_states(
    session: Session,
    records: Sequence[LinearWorkflowStateRecord],
    *,
    every_state_of_teams: Sequence[str] = (),
) -> WriteReport:
    """Upsert workflow states. `every_state_of_teams`: Linear ids of teams whose every state
    is among the records; a stored state of theirs that is missing was deleted, and is kept
    archived (history entries still name it)."""
    report = WriteReport(received=len(records))
    teams = _ids_of(session, LinearTeam, [r.team_external_id for r in records])
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "team_id": teams.get(r.team_external_id or ""),
            "name": r.name,
            "type": r.type,
            "position": r.position,
            "archived_at": r.archived_at,
        }
        for r in records
    }
    upserted = _upsert(session, LinearWorkflowState, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    team_ids = list(_ids_of(session, LinearTeam, every_state_of_teams).values())
    if team_ids:
        table = _table(LinearWorkflowState)
        session.execute(
            update(table)
            .where(
                table.c.team_id.in_(team_ids),
                table.c.external_id.not_in(list(rows) or [""]),
                table.c.archived_at.is_(None),
            )
            .values(archived_at=utcnow())
        )
    return report


def write_linear_cycles(session: Session, records: Sequence[LinearCycleRecord]) -> WriteReport:
    """Upsert cycles; one whose team is not stored is skipped (its team comes first)."""
    report = WriteReport(received=len(records))
    teams = _ids_of(session, LinearTeam, [r.team_external_id for r in records])
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "team_id": teams[r.team_external_id],
            "number": r.number,
            "name": r.name,
            "starts_at": r.starts_at,
            "ends_at": r.ends_at,
            "completed_at": r.completed_at,
            "archived_at": r.archived_at,
        }
        for r in records
        if r.team_external_id in teams
    }
    upserted = _upsert(session, LinearCycle, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    return report


def write_linear_projects(session: Session, records: Sequence[LinearProjectRecord]) -> WriteReport:
    report = WriteReport(received=len(records))
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "name": r.name,
            "state": r.state,
            "url": r.url,
            "started_at": r.started_at,
            "target_date": r.target_date,
            "completed_at": r.completed_at,
            "archived_at": r.archived_at,
        }
        for r in records
    }
    upserted = _upsert(session, LinearProject, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    return report


def write_linear_labels(session: Session, records: Sequence[LinearLabelRecord]) -> WriteReport:
    report = WriteReport(received=len(records))
    teams = _ids_of(session, LinearTeam, [r.team_external_id for r in records])
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "name": r.name,
            "team_id": teams.get(r.team_external_id or ""),
        }
        for r in records
    }
    upserted = _upsert(session, LinearLabel, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    return report


# --- users and developers -----------------------------------------------------------------
def write_linear_users(session: Session, records: Sequence[LinearUserRecord]) -> WriteReport:
    """Upsert users (`match_linear_users` then finds their developers)."""
    report = WriteReport(received=len(records))
    rows = {
        r.external_id: {
            "external_id": r.external_id,
            "name": r.name,
            "display_name": r.display_name,
            "email": r.email,
            "active": r.active,
        }
        for r in records
    }
    upserted = _upsert(session, LinearUser, rows)
    report.created, report.updated = len(upserted.created), len(upserted.updated)
    return report


def match_linear_users(session: Session) -> int:
    """Point each Linear user at the developer with the same e-mail (case-insensitive),
    unless someone chose the developer in People. Returns how many users changed."""
    by_email: dict[str, int] = {}
    rows = session.execute(
        select(func.lower(Developer.email), Developer.id)
        .where(Developer.email.is_not(None))
        .order_by(Developer.id)
    )
    for email, developer_id in rows:
        by_email.setdefault(email, developer_id)
    changed = 0
    users = session.execute(
        select(LinearUser.id, LinearUser.email, LinearUser.developer_id).where(
            LinearUser.developer_chosen.is_(False)
        )
    ).all()
    for user_id, email, developer_id in users:
        matched = by_email.get((email or "").lower())
        if matched != developer_id:
            session.execute(
                update(LinearUser).where(LinearUser.id == user_id).values(developer_id=matched)
            )
            changed += 1
    return changed


# --- issues -------------------------------------------------------------------------------
def _neutral(record: LinearIssueRecord, state_type: str | None, labels: list[str]) -> IssueRecord:
    completed = state_type == "completed"
    canceled = state_type == "canceled"
    closed_at = record.completed_at if completed else record.canceled_at if canceled else None
    return IssueRecord(
        source=SOURCE,
        external_id=record.external_id,
        repository=None,
        state="closed" if completed or canceled else "open",
        created_at=record.created_at,
        updated_at=record.updated_at,
        title=record.title,
        number=record.number,
        url=record.url,
        state_reason="completed" if completed else "not_planned" if canceled else None,
        closed_at=closed_at or (record.updated_at if completed or canceled else None),
        labels=tuple(labels),
    )


def write_linear_issues(session: Session, records: Sequence[LinearIssueRecord]) -> WriteReport:
    """Upsert issues with their `issue` rows, history read with them and attachments.

    An issue whose team is not stored is skipped; a state, cycle, project or user not stored
    leaves its column NULL."""
    latest = {r.external_id: r for r in records}
    teams = _ids_of(session, LinearTeam, [r.team_external_id for r in latest.values()])
    latest = {k: r for k, r in latest.items() if r.team_external_id in teams}
    states = {
        external_id: (row_id, state_type)
        for external_id, row_id, state_type in session.execute(
            select(
                LinearWorkflowState.external_id, LinearWorkflowState.id, LinearWorkflowState.type
            ).where(
                LinearWorkflowState.external_id.in_({r.state_external_id for r in latest.values()})
            )
        )
    }
    cycles = _ids_of(session, LinearCycle, [r.cycle_external_id for r in latest.values()])
    projects = _ids_of(session, LinearProject, [r.project_external_id for r in latest.values()])
    users = _ids_of(
        session,
        LinearUser,
        [u for r in latest.values() for u in (r.assignee_external_id, r.creator_external_id)],
    )
    label_names: dict[str, str] = {
        external_id: name
        for external_id, name in session.execute(
            select(LinearLabel.external_id, LinearLabel.name).where(
                LinearLabel.external_id.in_({i for r in latest.values() for i in r.label_ids})
            )
        )
    }

    neutral = [
        _neutral(
            r,
            states.get(r.state_external_id, (None, None))[1],
            [label_names[i] for i in r.label_ids if i in label_names],
        )
        for r in latest.values()
    ]
    report = write_issues(session, neutral)
    issue_ids: dict[str, int] = {}
    for batch in chunks(list(latest)):
        query = select(Issue.external_id, Issue.id).where(
            Issue.source == SOURCE, Issue.external_id.in_(batch)
        )
        issue_ids.update({external_id: row_id for external_id, row_id in session.execute(query)})
    rows: dict[str, dict[str, Any]] = {}
    for r in latest.values():
        row: dict[str, Any] = {
            "external_id": r.external_id,
            "issue_id": issue_ids[r.external_id],
            "identifier": r.identifier,
            "number": r.number,
            "title": r.title,
            "url": r.url,
            "team_id": teams[r.team_external_id],
            "state_id": states.get(r.state_external_id, (None, None))[0],
            "cycle_id": cycles.get(r.cycle_external_id or ""),
            "project_id": projects.get(r.project_external_id or ""),
            "assignee_id": users.get(r.assignee_external_id or ""),
            "creator_id": users.get(r.creator_external_id or ""),
            "parent_external_id": r.parent_external_id,
            "estimate": r.estimate,
            "priority": r.priority,
            "label_ids": list(r.label_ids),
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "started_at": r.started_at,
            "completed_at": r.completed_at,
            "canceled_at": r.canceled_at,
            "archived_at": r.archived_at,
        }
        if r.history is not None:
            row["history_complete"] = r.history_complete
        rows[r.external_id] = row
    upserted = _upsert(session, LinearIssue, rows)
    touched = upserted.created | upserted.updated
    history = {r.external_id: r.history for r in latest.values() if r.history}
    touched |= _write_history(session, upserted.ids, history)
    attachments = {
        upserted.ids[r.external_id]: r.attachments
        for r in latest.values()
        if r.attachments is not None
    }
    changed = _write_attachments(session, attachments)
    touched |= {r.external_id for r in latest.values() if upserted.ids[r.external_id] in changed}
    report.changes.linear_issue_ids |= {upserted.ids[k] for k in touched}
    report.received = len(records)
    return report


def write_linear_history(session: Session, pages: Sequence[LinearHistoryPage]) -> WriteReport:
    """Add follow-up pages of history to stored issues; the last page marks the issue's
    history complete."""
    report = WriteReport(received=sum(len(p.entries) for p in pages))
    ids = _ids_of(session, LinearIssue, [p.issue_external_id for p in pages])
    entries: dict[str, Sequence[LinearHistoryRecord]] = {}
    for page in pages:
        if page.issue_external_id in ids:
            entries[page.issue_external_id] = [
                *entries.get(page.issue_external_id, ()),
                *page.entries,
            ]
    touched = _write_history(session, ids, entries)
    listed = {
        ids[page.issue_external_id]: page.attachments
        for page in pages
        if page.attachments is not None and page.issue_external_id in ids
    }
    changed = _write_attachments(session, listed)
    touched |= {k for k, issue_id in ids.items() if issue_id in changed}
    complete = [
        ids[p.issue_external_id] for p in pages if p.complete and p.issue_external_id in ids
    ]
    if complete:
        session.execute(
            update(LinearIssue).where(LinearIssue.id.in_(complete)).values(history_complete=True)
        )
        touched |= {p.issue_external_id for p in pages if p.complete and p.issue_external_id in ids}
    report.changes.linear_issue_ids |= {ids[k] for k in touched}
    return report


def _write_history(
    session: Session,
    issue_ids: dict[str, int],
    entries: Mapping[str, Sequence[LinearHistoryRecord]],
) -> set[str]:
    """Insert history entries not stored yet (an entry never changes); returns the issues
    that gained one."""
    rows: dict[str, dict[str, Any]] = {}
    owner: dict[str, str] = {}
    for issue_external_id, issue_entries in entries.items():
        for e in issue_entries:
            owner[e.external_id] = issue_external_id
            rows[e.external_id] = {
                "external_id": e.external_id,
                "issue_id": issue_ids[issue_external_id],
                "at": e.at,
                "actor_external_id": e.actor_external_id,
                "from_state_external_id": e.from_state_external_id,
                "to_state_external_id": e.to_state_external_id,
                "from_cycle_external_id": e.from_cycle_external_id,
                "to_cycle_external_id": e.to_cycle_external_id,
                "from_estimate": e.from_estimate,
                "to_estimate": e.to_estimate,
                "from_assignee_external_id": e.from_assignee_external_id,
                "to_assignee_external_id": e.to_assignee_external_id,
                "from_team_external_id": e.from_team_external_id,
                "to_team_external_id": e.to_team_external_id,
                "added_label_ids": list(e.added_label_ids),
                "removed_label_ids": list(e.removed_label_ids),
                "archived": e.archived,
            }
    upserted = _upsert(session, LinearIssueHistory, rows)
    return {owner[k] for k in upserted.created | upserted.updated}


def _write_attachments(
    session: Session, listed: Mapping[int, Sequence[LinearAttachmentRecord]]
) -> set[int]:
    """Make each issue's attachments exactly those listed (issue id → attachments);
    returns the issues whose attachments changed."""
    if not listed:
        return set()
    rows: dict[str, dict[str, Any]] = {
        a.external_id: {
            "external_id": a.external_id,
            "issue_id": issue_id,
            "url": a.url,
            "title": a.title,
            "source_type": a.source_type,
            "created_at": a.created_at,
        }
        for issue_id, attachments in listed.items()
        for a in attachments
    }
    upserted = _upsert(session, LinearAttachment, rows)
    changed = {int(rows[k]["issue_id"]) for k in upserted.created | upserted.updated}
    stale: list[int] = []
    for batch in chunks(list(listed)):
        query = select(
            LinearAttachment.id, LinearAttachment.issue_id, LinearAttachment.external_id
        ).where(LinearAttachment.issue_id.in_(batch))
        for row_id, issue_id, external_id in session.execute(query):
            if external_id not in rows or rows[external_id]["issue_id"] != issue_id:
                stale.append(row_id)
                changed.add(issue_id)
    for batch in chunks(stale):
        session.execute(delete(LinearAttachment).where(LinearAttachment.id.in_(batch)))
    return changed


def write_linear(session: Session, batch: LinearBatch) -> WriteReport:
    report = WriteReport()
    if batch.teams or batch.every_team:
        report.merge(write_linear_teams(session, batch.teams, every_team=batch.every_team))
    if batch.states:
        report.merge(
            write_linear_states(
                session, batch.states, every_state_of_teams=batch.every_state_of_teams
            )
        )
    if batch.users:
        report.merge(write_linear_users(session, batch.users))
    if batch.users or batch.teams:
        # once a run at least: developers' e-mails arrive with other sources' syncs
        match_linear_users(session)
    if batch.labels:
        report.merge(write_linear_labels(session, batch.labels))
    if batch.projects:
        report.merge(write_linear_projects(session, batch.projects))
    if batch.cycles:
        report.merge(write_linear_cycles(session, batch.cycles))
    if batch.issues:
        report.merge(write_linear_issues(session, batch.issues))
    if batch.history:
        report.merge(write_linear_history(session, batch.history))
    return report
