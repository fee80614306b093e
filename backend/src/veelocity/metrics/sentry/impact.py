"""A deployment's error impact: the Sentry issues that failed it, and error events and new
issues of its repository's Sentry projects in the 24 h before it against the 24 h after it.

New issues are counted exactly (by first seen). Error events come from the daily counts
Sentry keeps per project, each day's count shared out by the hours of it inside the window:
a 24-hour window never lines up with days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.core.errors import NotFound
from veelocity.derive.sentry_incidents import SENTRY_SOURCE, issue_external_id
from veelocity.metrics.sentry.issues import SentryIssueRow, sentry_issue_rows
from veelocity.models import Deployment, Incident, SentryErrorStat, SentryIssue, SentryProject

IMPACT_WINDOW = timedelta(hours=24)
#: new issues listed per side of a deployment
MAX_LISTED = 50


@dataclass(frozen=True)
class ErrorWindow:
    start: datetime
    end: datetime
    events: float
    new_issues: int
    new_issue_rows: list[SentryIssueRow]


@dataclass(frozen=True)
class DeploymentErrors:
    deployment_id: int
    repository_id: int
    finished_at: datetime
    project_ids: list[int]
    failing_issues: list[SentryIssueRow]
    before: ErrorWindow
    after: ErrorWindow


def prorated_events(
    daily: dict[tuple[int, date], int], project_ids: list[int], start: datetime, end: datetime
) -> float:
    """Events of these projects in [start, end), each day's count shared by the hours of it
    inside the window."""
    total = 0.0
    day = start.date()
    while day <= end.date():
        day_start = datetime.combine(day, time.min, tzinfo=start.tzinfo)
        overlap = min(end, day_start + timedelta(days=1)) - max(start, day_start)
        if overlap > timedelta(0):
            share = overlap / timedelta(days=1)
            total += share * sum(daily.get((p, day), 0) for p in project_ids)
        day += timedelta(days=1)
    return round(total, 1)


def _window(
    session: Session, project_ids: list[int], start: datetime, end: datetime
) -> ErrorWindow:
    if not project_ids:
        return ErrorWindow(start, end, 0.0, 0, [])
    daily = {
        (project_id, day): events
        for project_id, day, events in session.execute(
            select(SentryErrorStat.project_id, SentryErrorStat.day, SentryErrorStat.events).where(
                SentryErrorStat.project_id.in_(project_ids),
                SentryErrorStat.day >= start.date(),
                SentryErrorStat.day <= end.date(),
            )
        )
    }
    new = (
        SentryIssue.project_id.in_(project_ids),
        SentryIssue.first_seen >= start,
        SentryIssue.first_seen < end,
    )
    count = session.scalar(select(func.count()).select_from(SentryIssue).where(*new)) or 0
    listed = list(
        session.scalars(
            select(SentryIssue.id)
            .where(*new)
            .order_by(SentryIssue.event_count.desc(), SentryIssue.id)
            .limit(MAX_LISTED)
        )
    )
    rows = sorted(
        sentry_issue_rows(session, listed), key=lambda r: (-r.issue.event_count, r.issue.id)
    )
    return ErrorWindow(start, end, prorated_events(daily, project_ids, start, end), count, rows)


def deployment_errors(session: Session, deployment_id: int) -> DeploymentErrors:
    deployment = session.execute(
        select(Deployment.id, Deployment.repository_id, Deployment.finished_at).where(
            Deployment.id == deployment_id
        )
    ).first()
    if deployment is None:
        raise NotFound("No deployment with this id.")
    project_ids = list(
        session.scalars(
            select(SentryProject.id)
            .where(SentryProject.repository_id == deployment.repository_id)
            .order_by(SentryProject.id)
        )
    )
    failing_ids = [
        issue_external_id(external_id)
        for external_id in session.scalars(
            select(Incident.external_id).where(
                Incident.source == SENTRY_SOURCE,
                Incident.attributed_deployment_id == deployment_id,
            )
        )
    ]
    issue_ids = (
        list(
            session.scalars(select(SentryIssue.id).where(SentryIssue.external_id.in_(failing_ids)))
        )
        if failing_ids
        else []
    )
    finished: datetime = deployment.finished_at
    return DeploymentErrors(
        deployment_id=deployment.id,
        repository_id=deployment.repository_id,
        finished_at=finished,
        project_ids=project_ids,
        failing_issues=sentry_issue_rows(session, issue_ids),
        before=_window(session, project_ids, finished - IMPACT_WINDOW, finished),
        after=_window(session, project_ids, finished, finished + IMPACT_WINDOW),
    )
