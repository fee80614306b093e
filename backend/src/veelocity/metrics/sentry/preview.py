"""Which stored Sentry issues other thresholds would make incidents, without saving anything.

An issue's lifetime totals bound what any 24 hours of it can count, so only the issues whose
totals reach a candidate threshold, and those that are incidents now, are judged again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from veelocity.derive.config import DeriveConfig
from veelocity.derive.pull_requests import chunks
from veelocity.derive.sentry_incidents import judge_issues
from veelocity.metrics.sentry.issues import SentryIssueRow, sentry_issue_rows
from veelocity.models import SentryIssue

#: issues listed per change (the counts are always whole)
MAX_LISTED = 200


@dataclass(frozen=True)
class PreviewEntry:
    row: SentryIssueRow
    reason: str


@dataclass(frozen=True)
class IncidentPreview:
    #: incidents under the candidate thresholds, and now
    incidents: int
    incidents_now: int
    #: not incidents now, incidents under the candidate thresholds
    becoming: list[PreviewEntry]
    becoming_total: int
    #: incidents now, not under the candidate thresholds
    leaving: list[PreviewEntry]
    leaving_total: int


def preview_thresholds(
    session: Session,
    config: DeriveConfig,
    *,
    min_events: int,
    min_users: int,
    levels: tuple[str, ...],
) -> IncidentPreview:
    candidate = replace(
        config,
        sentry_incident_min_events=min_events,
        sentry_incident_min_users=min_users,
        sentry_incident_levels=tuple(level.lower() for level in levels),
    )
    ids = session.scalars(
        select(SentryIssue.id)
        .where(
            or_(
                SentryIssue.is_incident.is_(True),
                SentryIssue.event_count >= min_events,
                SentryIssue.user_count >= min_users,
            )
        )
        .order_by(SentryIssue.id)
    ).all()
    incidents = 0
    incidents_now = 0
    becoming: list[tuple[int, str]] = []
    leaving: list[tuple[int, str]] = []
    for batch in chunks(ids, 500):
        for issue, verdict in judge_issues(session, candidate, batch):
            incidents += verdict.is_incident
            incidents_now += issue.is_incident
            if verdict.is_incident and not issue.is_incident:
                becoming.append((issue.id, verdict.reason))
            elif issue.is_incident and not verdict.is_incident:
                leaving.append((issue.id, verdict.reason))

    def entries(found: list[tuple[int, str]]) -> list[PreviewEntry]:
        reasons = dict(found[:MAX_LISTED])
        rows = sentry_issue_rows(session, list(reasons))
        return [PreviewEntry(row, reasons[row.issue.id]) for row in rows]

    return IncidentPreview(
        incidents=incidents,
        incidents_now=incidents_now,
        becoming=entries(becoming),
        becoming_total=len(becoming),
        leaving=entries(leaving),
        leaving_total=len(leaving),
    )
