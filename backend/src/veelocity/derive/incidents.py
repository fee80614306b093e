"""Incidents from revert PRs and labelled issues, and each incident's attribution to the
deployment that caused it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id, upsert_rows
from veelocity.derive.config import DeriveConfig
from veelocity.derive.linear_incidents import LINEAR_SOURCE, linear_incident_repositories
from veelocity.derive.pull_requests import chunks
from veelocity.derive.sentry_incidents import SENTRY_SOURCE, sentry_attribution
from veelocity.derive.timelines import reverted_number, reverted_title
from veelocity.models import Deployment, Incident, Issue, PullRequest, Repository

REVERT_SOURCE = "revert"
#: an incident derived from an issue has the issue's source with this suffix ("github_issue")
ISSUE_SOURCE_SUFFIX = "_issue"
#: issues closed for these reasons were no incident after all
_DISMISSED_REASONS = frozenset({"not_planned", "duplicate"})


def is_incident_issue(config: DeriveConfig, labels: list[str], state_reason: str | None) -> bool:
    return config.is_incident_label(labels) and (state_reason or "") not in _DISMISSED_REASONS


def sync_issue_incidents(
    session: Session, config: DeriveConfig, issue_ids: Iterable[int] | None
) -> tuple[set[int], set[int]]:
    """An issue whose labels match the incident patterns is an incident from its opening to
    its closing (a Linear issue too: cancelled, its `issue` row is closed as not planned).
    Returns the incidents written and the deployments that lost an incident
    (the issue lost its label, or was closed as not planned or a duplicate)."""
    query = select(
        Issue.id,
        Issue.source,
        Issue.external_id,
        Issue.repository_id,
        Issue.title,
        Issue.url,
        Issue.state,
        Issue.state_reason,
        Issue.labels,
        Issue.created_at,
        Issue.closed_at,
    )
    if issue_ids is None:
        issue_ids = session.scalars(select(Issue.id).order_by(Issue.id)).all()
    touched: set[int] = set()
    released: set[int] = set()
    for batch in chunks(issue_ids):
        rows = session.execute(query.where(Issue.id.in_(batch))).all()
        wanted = [
            r for r in rows if is_incident_issue(config, list(r.labels or []), r.state_reason)
        ]
        wanted_ids = {r.id for r in wanted}
        unwanted = [r.id for r in rows if r.id not in wanted_ids]
        if unwanted:
            gone = Incident.issue_id.in_(unwanted)
            released |= {
                d
                for d in session.scalars(select(Incident.attributed_deployment_id).where(gone))
                if d is not None
            }
            session.execute(delete(Incident).where(gone))
        if not wanted:
            continue
        # a Linear issue names no repository: it takes one from its links or its team
        linear_repositories = linear_incident_repositories(
            session,
            {r.id: r.created_at for r in wanted if r.source == LINEAR_SOURCE},
            config.incident_attribution_window,
        )
        upsert_rows(
            session,
            Incident.__table__,
            [
                {
                    "source": r.source + ISSUE_SOURCE_SUFFIX,
                    "external_id": r.external_id,
                    "title": r.title or "",
                    "repository_id": r.repository_id or linear_repositories.get(r.id),
                    "started_at": r.created_at,
                    "resolved_at": r.closed_at if r.state == "closed" else None,
                    "url": r.url,
                    "issue_id": r.id,
                }
                for r in wanted
            ],
            key=("source", "external_id"),
        )
        touched |= set(
            session.scalars(
                select(Incident.id).where(Incident.issue_id.in_([r.id for r in wanted]))
            )
        )
    return touched, released


def sync_revert_incidents(session: Session, pr_ids: Iterable[int] | None) -> set[int]:
    """A merged revert PR is an incident: it started when the revert was opened and ended
    when the revert reached production (or was merged, if it never did)."""
    query = select(
        PullRequest.id,
        PullRequest.repository_id,
        PullRequest.title,
        PullRequest.created_at,
        PullRequest.merged_at,
        PullRequest.deployed_at,
        PullRequest.is_revert,
        PullRequest.url,
    )
    if pr_ids is None:
        pr_ids = session.scalars(select(PullRequest.id).order_by(PullRequest.id)).all()
    touched: set[int] = set()
    for batch in chunks(pr_ids):
        rows = session.execute(query.where(PullRequest.id.in_(batch))).all()
        wanted = [r for r in rows if r.is_revert and r.merged_at is not None]
        unwanted = [r.id for r in rows if not (r.is_revert and r.merged_at is not None)]
        if unwanted:
            session.execute(
                delete(Incident).where(
                    Incident.source == REVERT_SOURCE, Incident.revert_pull_request_id.in_(unwanted)
                )
            )
        if not wanted:
            continue
        upsert_rows(
            session,
            Incident.__table__,
            [
                {
                    "source": REVERT_SOURCE,
                    "external_id": str(r.id),
                    "title": r.title or "",
                    "repository_id": r.repository_id,
                    "started_at": r.created_at,
                    "resolved_at": r.deployed_at or r.merged_at,
                    "url": r.url,
                    "revert_pull_request_id": r.id,
                }
                for r in wanted
            ],
            key=("source", "external_id"),
        )
        touched |= set(
            session.scalars(
                select(Incident.id).where(
                    Incident.source == REVERT_SOURCE,
                    Incident.revert_pull_request_id.in_([r.id for r in wanted]),
                )
            )
        )
    return touched


def _service_repository(session: Session, service: str | None) -> int | None:
    """A service maps to the repository of the same name (`acme/checkout` for `checkout`)."""
    if not service:
        return None
    lowered = service.lower()
    return session.scalar(
        select(Repository.id)
        .where(
            (func.lower(Repository.full_name) == lowered)
            | (func.lower(Repository.full_name).like("%/" + lowered))
        )
        .order_by(Repository.id)
        .limit(1)
    )


def _reverted_deployment(session: Session, revert_pr_id: int) -> tuple[int | None, str | None]:
    revert = session.get(PullRequest, revert_pr_id)
    if revert is None:
        return None, None
    original: Any = None
    number = reverted_number(revert.head_branch)
    if number is not None:
        original = session.execute(
            select(PullRequest.number, PullRequest.deployment_id).where(
                PullRequest.repository_id == revert.repository_id, PullRequest.number == number
            )
        ).first()
    title = reverted_title(revert.title or "")
    if original is None and title is not None:
        original = session.execute(
            select(PullRequest.number, PullRequest.deployment_id)
            .where(
                PullRequest.repository_id == revert.repository_id,
                PullRequest.title == title,
                PullRequest.merged_at.is_not(None),
                PullRequest.merged_at <= revert.created_at,
            )
            .order_by(PullRequest.merged_at.desc())
            .limit(1)
        ).first()
    if original is None or original.deployment_id is None:
        return None, None
    return original.deployment_id, f"reverts PR #{original.number}, which this deployment shipped"


def attribute_incidents(
    session: Session, config: DeriveConfig, incident_ids: Iterable[int] | None
) -> set[int]:
    """Attribute incidents; return every deployment whose attributions may have changed."""
    window = config.incident_attribution_window
    days = int(window.total_seconds() // 86400)
    query = select(
        Incident.id,
        Incident.source,
        Incident.external_id,
        Incident.repository_id,
        Incident.service,
        Incident.started_at,
        Incident.caused_by_deployment_id,
        Incident.revert_pull_request_id,
        Incident.attributed_deployment_id,
    )
    batches = [None] if incident_ids is None else list(chunks(incident_ids))
    affected: set[int] = set()
    repository_names: dict[int, str] = {}
    for batch in batches:
        incidents = session.execute(
            query if batch is None else query.where(Incident.id.in_(batch))
        ).all()
        rows = []
        for incident in incidents:
            deployment_id, reason = None, None
            if incident.caused_by_deployment_id is not None:
                deployment_id = incident.caused_by_deployment_id
                reason = "linked to this deployment by the sender"
            elif incident.revert_pull_request_id is not None:
                deployment_id, reason = _reverted_deployment(
                    session, incident.revert_pull_request_id
                )
            elif incident.source == SENTRY_SOURCE:
                deployment_id, reason = sentry_attribution(
                    session, incident.external_id, incident.started_at
                )
            if deployment_id is None:
                repository_id = incident.repository_id or _service_repository(
                    session, incident.service
                )
                if repository_id is not None:
                    deployment_id = _latest_before(
                        session, repository_id, incident.started_at, window
                    )
                    if deployment_id is not None:
                        if repository_id not in repository_names:
                            repository_names[repository_id] = session.scalar(
                                select(Repository.full_name).where(Repository.id == repository_id)
                            ) or str(repository_id)
                        reason = (
                            f"latest production deployment of {repository_names[repository_id]} "
                            f"before the incident started (within {days} days)"
                        )
            if incident.attributed_deployment_id is not None:
                affected.add(incident.attributed_deployment_id)
            if deployment_id is not None:
                affected.add(deployment_id)
            rows.append(
                {
                    "id": incident.id,
                    "attributed_deployment_id": deployment_id,
                    "attribution_reason": reason,
                }
            )
        for start in range(0, len(rows), 1000):
            update_by_id(session, Incident.__table__, rows[start : start + 1000])
    return affected


def _latest_before(
    session: Session, repository_id: int, started_at: datetime, window: Any
) -> int | None:
    return session.scalar(
        select(Deployment.id)
        .where(
            Deployment.repository_id == repository_id,
            Deployment.status == "success",
            Deployment.is_production.is_(True),
            Deployment.finished_at <= started_at,
            Deployment.finished_at >= started_at - window,
        )
        .order_by(Deployment.finished_at.desc(), Deployment.id.desc())
        .limit(1)
    )


def incidents_near(
    session: Session, config: DeriveConfig, deployment_ids: Iterable[int]
) -> set[int]:
    """Incidents whose window-based attribution a change to these deployments may move."""
    found: set[int] = set()
    for batch in chunks(deployment_ids):
        for repository_id, finished_at in session.execute(
            select(Deployment.repository_id, Deployment.finished_at).where(Deployment.id.in_(batch))
        ):
            found |= set(
                session.scalars(
                    select(Incident.id).where(
                        Incident.started_at >= finished_at,
                        Incident.started_at <= finished_at + config.incident_attribution_window,
                        (Incident.repository_id == repository_id)
                        | Incident.repository_id.is_(None),
                    )
                )
            )
        found |= set(
            session.scalars(
                select(Incident.id).where(
                    (Incident.attributed_deployment_id.in_(batch))
                    | (Incident.caused_by_deployment_id.in_(batch))
                )
            )
        )
    return found
