"""Deployments in a window, each with why it counted as failed and the PRs it shipped."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.delivery.paging import Page
from veelocity.metrics.compute.stats import percentile_cont
from veelocity.metrics.query import MetricQuery, resolve_scope
from veelocity.models import Deployment, Incident, PullRequest, Repository

#: The incident source of incidents derived from merged revert PRs (see derive.incidents).
REVERT_SOURCE = "revert"

#: The failure reason derive.outcomes writes on a deployment a later redeploy rolled back.
_ROLLED_BACK = re.compile(r"^rolled back by deployment (\d+)$")


class FailureKind(StrEnum):
    FAILED_RUN = "failed_run"
    INCIDENT = "incident"
    REVERT = "revert"
    ROLLBACK = "rollback"


@dataclass(frozen=True)
class DeploymentFilter:
    query: MetricQuery
    failed: bool | None = None
    rework: bool | None = None
    production_only: bool = True
    #: One deployment by id, whatever its window (for a drawer or a link to it).
    deployment_id: int | None = None


@dataclass(frozen=True)
class ShippedPullRequest:
    id: int
    number: int | None
    title: str
    url: str | None
    author: str | None
    lead_time_seconds: int | None


@dataclass(frozen=True)
class FailureCause:
    kind: FailureKind
    description: str
    incident_id: int | None = None
    incident_external_id: str | None = None
    incident_source: str | None = None
    revert_pull_request_id: int | None = None
    revert_pull_request_number: int | None = None
    rolled_back_by_deployment_id: int | None = None


@dataclass(frozen=True)
class DeploymentRow:
    id: int
    repository_id: int
    repository: str
    source: str
    external_id: str
    name: str | None
    environment: str
    status: str
    commit_sha: str | None
    started_at: datetime | None
    finished_at: datetime
    url: str | None
    is_production: bool
    is_failed: bool
    failure_reason: str | None
    failure_causes: list[FailureCause]
    is_rework: bool
    rework_reason: str | None
    recovered_at: datetime | None
    recovery_seconds: int | None
    pull_requests: list[ShippedPullRequest]
    median_lead_time_seconds: float | None


def list_deployments(
    session: Session, f: DeploymentFilter, *, page: int, page_size: int
) -> Page[DeploymentRow]:
    """Deployments that finished in the window and scope, newest first. By default only
    production deployments with a success or failure status: the ones the DORA keys count."""
    scope = resolve_scope(session, f.query)
    conditions: list[Any] = [scope.deployments()]
    if f.deployment_id is not None:
        conditions.append(Deployment.id == f.deployment_id)
    else:
        conditions += [
            Deployment.finished_at >= f.query.start,
            Deployment.finished_at < f.query.end,
        ]
    if f.production_only:
        conditions += [
            Deployment.is_production.is_(True),
            Deployment.status.in_(("success", "failure")),
        ]
    if f.failed is not None:
        conditions.append(Deployment.is_failed.is_(f.failed))
    if f.rework is not None:
        conditions.append(Deployment.is_rework.is_(f.rework))
    total = session.scalar(select(func.count()).select_from(Deployment).where(*conditions)) or 0
    rows = session.execute(
        select(Deployment, Repository.full_name)
        .join(Repository, Repository.id == Deployment.repository_id)
        .where(*conditions)
        .order_by(Deployment.finished_at.desc(), Deployment.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    ids = [deployment.id for deployment, _ in rows]
    shipped = _shipped_pull_requests(session, ids)
    incidents = _attributed_incidents(session, ids)
    items = []
    for deployment, repository in rows:
        prs = shipped.get(deployment.id, [])
        lead_times = [float(p.lead_time_seconds) for p in prs if p.lead_time_seconds is not None]
        items.append(
            DeploymentRow(
                id=deployment.id,
                repository_id=deployment.repository_id,
                repository=repository,
                source=deployment.source,
                external_id=deployment.external_id,
                name=deployment.name,
                environment=deployment.environment,
                status=deployment.status,
                commit_sha=deployment.commit_sha,
                started_at=deployment.started_at,
                finished_at=deployment.finished_at,
                url=deployment.url,
                is_production=deployment.is_production,
                is_failed=deployment.is_failed,
                failure_reason=deployment.failure_reason,
                failure_causes=_failure_causes(deployment, incidents.get(deployment.id, [])),
                is_rework=deployment.is_rework,
                rework_reason=deployment.rework_reason,
                recovered_at=deployment.recovered_at,
                recovery_seconds=deployment.recovery_seconds,
                pull_requests=prs,
                median_lead_time_seconds=percentile_cont(sorted(lead_times), 0.5),
            )
        )
    return Page(items, int(total), page, page_size)


def _shipped_pull_requests(
    session: Session, deployment_ids: list[int]
) -> dict[int, list[ShippedPullRequest]]:
    found: dict[int, list[ShippedPullRequest]] = defaultdict(list)
    if not deployment_ids:
        return found
    for row in session.execute(
        select(
            PullRequest.deployment_id,
            PullRequest.id,
            PullRequest.number,
            PullRequest.title,
            PullRequest.url,
            PullRequest.author_login,
            PullRequest.lead_time_seconds,
        )
        .where(PullRequest.deployment_id.in_(deployment_ids))
        .order_by(PullRequest.merged_at, PullRequest.id)
    ):
        found[row.deployment_id].append(
            ShippedPullRequest(
                row.id, row.number, row.title, row.url, row.author_login, row.lead_time_seconds
            )
        )
    return found


@dataclass(frozen=True)
class _Attributed:
    id: int
    source: str
    external_id: str
    title: str
    reason: str | None
    revert_id: int | None
    revert_number: int | None


def _attributed_incidents(
    session: Session, deployment_ids: list[int]
) -> dict[int, list[_Attributed]]:
    found: dict[int, list[_Attributed]] = defaultdict(list)
    if not deployment_ids:
        return found
    for row in session.execute(
        select(
            Incident.attributed_deployment_id,
            Incident.id,
            Incident.source,
            Incident.external_id,
            Incident.title,
            Incident.attribution_reason,
            Incident.revert_pull_request_id,
            PullRequest.number,
        )
        .outerjoin(PullRequest, PullRequest.id == Incident.revert_pull_request_id)
        .where(Incident.attributed_deployment_id.in_(deployment_ids))
        .order_by(Incident.started_at, Incident.id)
    ):
        found[row.attributed_deployment_id].append(
            _Attributed(
                row.id,
                row.source,
                row.external_id,
                row.title,
                row.attribution_reason,
                row.revert_pull_request_id,
                row.number,
            )
        )
    return found


def _failure_causes(deployment: Deployment, incidents: list[_Attributed]) -> list[FailureCause]:
    """Every reason the deployment counts as failed, in words a person can check."""
    if not deployment.is_failed:
        return []
    causes = []
    if deployment.status != "success":
        causes.append(FailureCause(FailureKind.FAILED_RUN, "The deployment run failed."))
    rolled_back = _ROLLED_BACK.match(deployment.failure_reason or "")
    if rolled_back:
        redeploy_id = int(rolled_back.group(1))
        causes.append(
            FailureCause(
                FailureKind.ROLLBACK,
                f"Rolled back by deployment {redeploy_id}, which went back to an earlier commit.",
                rolled_back_by_deployment_id=redeploy_id,
            )
        )
    for incident in incidents:
        because = f": {incident.reason}" if incident.reason else ""
        if incident.source == REVERT_SOURCE:
            number = f" #{incident.revert_number}" if incident.revert_number is not None else ""
            causes.append(
                FailureCause(
                    FailureKind.REVERT,
                    f"Followed by revert PR{number} “{incident.title}”{because}.",
                    incident_id=incident.id,
                    revert_pull_request_id=incident.revert_id,
                    revert_pull_request_number=incident.revert_number,
                )
            )
        else:
            causes.append(
                FailureCause(
                    FailureKind.INCIDENT,
                    f"Incident {incident.external_id} “{incident.title}” attributed{because}.",
                    incident_id=incident.id,
                    incident_external_id=incident.external_id,
                    incident_source=incident.source,
                )
            )
    return causes
