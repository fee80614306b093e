"""Incidents in a window, each with the deployment it is attributed to and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from veelocity.delivery.paging import Page
from veelocity.derive.timelines import span_seconds
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.models import Deployment, Incident, PullRequest, Repository


@dataclass(frozen=True)
class IncidentFilter:
    query: MetricQuery
    source: str | None = None
    resolved: bool | None = None


@dataclass(frozen=True)
class AttributedDeployment:
    id: int
    source: str
    external_id: str
    repository: str
    environment: str
    finished_at: datetime
    commit_sha: str | None
    recovery_seconds: int | None


@dataclass(frozen=True)
class IncidentRow:
    id: int
    source: str
    external_id: str
    title: str
    url: str | None
    severity: str | None
    service: str | None
    repository_id: int | None
    repository: str | None
    started_at: datetime
    resolved_at: datetime | None
    recovery_seconds: int | None
    revert_pull_request_id: int | None
    revert_pull_request_number: int | None
    deployment: AttributedDeployment | None
    attribution_reason: str | None


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    """An incident belongs to a scope when the deployment it is attributed to does, or, when
    the scope names repositories, when it was raised against one of them."""
    if scope.repository_ids is None and scope.authors is None and scope.team_repository_ids is None:
        return true()
    attributed = Incident.attributed_deployment_id.in_(
        select(Deployment.id).where(scope.deployments())
    )
    repositories: frozenset[int] | None = None
    for named in (scope.repository_ids, scope.team_repository_ids):
        if named is not None:
            repositories = named if repositories is None else repositories & named
    if repositories is None:
        return attributed
    return or_(attributed, Incident.repository_id.in_(repositories))


def list_incidents(
    session: Session, f: IncidentFilter, *, page: int, page_size: int
) -> Page[IncidentRow]:
    """Incidents that started in the window and scope, newest first."""
    scope = resolve_scope(session, f.query)
    conditions: list[Any] = [
        Incident.started_at >= f.query.start,
        Incident.started_at < f.query.end,
        _in_scope(scope),
    ]
    if f.source is not None:
        conditions.append(Incident.source == f.source)
    if f.resolved is not None:
        conditions.append(
            Incident.resolved_at.is_not(None) if f.resolved else Incident.resolved_at.is_(None)
        )
    total = session.scalar(select(func.count()).select_from(Incident).where(*conditions)) or 0
    own_repository = aliased(Repository)
    deployment_repository = aliased(Repository)
    rows = session.execute(
        select(
            Incident,
            own_repository.full_name,
            PullRequest.number,
            Deployment,
            deployment_repository.full_name,
        )
        .outerjoin(own_repository, own_repository.id == Incident.repository_id)
        .outerjoin(PullRequest, PullRequest.id == Incident.revert_pull_request_id)
        .outerjoin(Deployment, Deployment.id == Incident.attributed_deployment_id)
        .outerjoin(deployment_repository, deployment_repository.id == Deployment.repository_id)
        .where(*conditions)
        .order_by(Incident.started_at.desc(), Incident.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = [
        IncidentRow(
            id=incident.id,
            source=incident.source,
            external_id=incident.external_id,
            title=incident.title,
            url=incident.url,
            severity=incident.severity,
            service=incident.service,
            repository_id=incident.repository_id,
            repository=repository,
            started_at=incident.started_at,
            resolved_at=incident.resolved_at,
            recovery_seconds=span_seconds(incident.started_at, incident.resolved_at),
            revert_pull_request_id=incident.revert_pull_request_id,
            revert_pull_request_number=revert_number,
            deployment=(
                AttributedDeployment(
                    id=deployment.id,
                    source=deployment.source,
                    external_id=deployment.external_id,
                    repository=deployment_repository_name or "",
                    environment=deployment.environment,
                    finished_at=deployment.finished_at,
                    commit_sha=deployment.commit_sha,
                    recovery_seconds=deployment.recovery_seconds,
                )
                if deployment is not None
                else None
            ),
            attribution_reason=incident.attribution_reason if deployment is not None else None,
        )
        for incident, repository, revert_number, deployment, deployment_repository_name in rows
    ]
    return Page(items, int(total), page, page_size)
