"""Whether each deployment failed or was rework, and when a failed one recovered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id
from veelocity.derive.pull_requests import chunks
from veelocity.derive.sentry_incidents import sentry_rework
from veelocity.derive.timelines import span_seconds
from veelocity.models import (
    Deployment,
    Incident,
    IssuePullRequestLink,
    LinearIssue,
    PullRequest,
)


def failed_deployments_recovering_by(session: Session, deployment_ids: Iterable[int]) -> set[int]:
    """Failed deployments whose recovery a change to these deployments may move."""
    found: set[int] = set()
    for batch in chunks(deployment_ids):
        for repository_id, finished_at in session.execute(
            select(Deployment.repository_id, Deployment.finished_at).where(Deployment.id.in_(batch))
        ):
            found |= set(
                session.scalars(
                    select(Deployment.id).where(
                        Deployment.repository_id == repository_id,
                        Deployment.is_failed.is_(True),
                        Deployment.finished_at <= finished_at,
                        Deployment.recovered_at.is_(None)
                        | (Deployment.recovered_at >= finished_at),
                    )
                )
            )
    return found


@dataclass(frozen=True)
class Rollback:
    """A redeploy of an earlier commit: `victim` was rolled back by `redeploy`."""

    victim: Any
    redeploy: Any


def find_rollbacks(deployments: Sequence[Any]) -> list[Rollback]:
    """Rollbacks among production deployments in the order they finished (each with `id`,
    `status`, `environment`, `commit_sha`): a successful deployment that deploys again a
    commit an earlier successful deployment of the same environment had deployed, with
    deployments of other commits in between, rolls back the first of those (V1 → V2 → V3 →
    V1 marks V2). The latest earlier deployment of the commit is the one returned to."""
    found: list[Rollback] = []
    by_environment: dict[str, list[Any]] = defaultdict(list)
    for deployment in deployments:
        by_environment[deployment.environment].append(deployment)
    for ordered in by_environment.values():
        last_success_of: dict[str, int] = {}
        for index, deployment in enumerate(ordered):
            sha = deployment.commit_sha
            if not sha or deployment.status != "success":
                continue
            earlier = last_success_of.get(sha)
            last_success_of[sha] = index
            if earlier is None:
                continue
            victim = next((d for d in ordered[earlier + 1 : index] if d.commit_sha != sha), None)
            if victim is not None:
                found.append(Rollback(victim, deployment))
    return found


def _prs_linked_to_incidents() -> Select[int | None, int | None, str]:
    """PRs (by the deployment that shipped them) linked to an issue that is an incident:
    the fix of a production problem, so their deployment is rework."""
    return (
        select(PullRequest.deployment_id, PullRequest.number, Incident.title)
        .join(IssuePullRequestLink, IssuePullRequestLink.pull_request_id == PullRequest.id)
        .join(LinearIssue, LinearIssue.id == IssuePullRequestLink.linear_issue_id)
        .join(Incident, Incident.issue_id == LinearIssue.issue_id)
        .order_by(PullRequest.number)
    )


def derive_outcomes(session: Session, deployment_ids: Iterable[int] | None) -> int:
    """Failed = the run failed, it was rolled back, or an incident is attributed; rework =
    a rollback redeploy, or ships a revert, a hotfix, a PR linked to an incident issue, or
    the release or commit resolving a Sentry incident;
    recovery = the earliest of the redeploy that rolled it back, the incidents all
    resolved, the next successful deployment (after a failed run) or the next rework
    deployment (after an incident)."""
    if deployment_ids is None:
        repository_ids = set(session.scalars(select(Deployment.repository_id).distinct()))
        targets: set[int] | None = None
    else:
        targets = set(deployment_ids)
        repository_ids = set()
        for batch in chunks(targets):
            repository_ids |= set(
                session.scalars(
                    select(Deployment.repository_id).where(Deployment.id.in_(batch)).distinct()
                )
            )
    count = 0
    resolving_sentry = sentry_rework(session) if repository_ids else {}
    for repository_id in repository_ids:
        count += _derive_repository(session, repository_id, targets, resolving_sentry)
    return count


def _derive_repository(
    session: Session,
    repository_id: int,
    targets: set[int] | None,
    resolving_sentry: dict[int, str],
) -> int:
    deployments = session.execute(
        select(
            Deployment.id,
            Deployment.status,
            Deployment.is_production,
            Deployment.finished_at,
            Deployment.environment,
            Deployment.commit_sha,
        )
        .where(Deployment.repository_id == repository_id)
        .order_by(Deployment.finished_at, Deployment.id)
    ).all()
    production = [d for d in deployments if d.is_production]
    ids = [d.id for d in production]
    incidents: dict[int, list[tuple[str, str | None, datetime | None]]] = defaultdict(list)
    rework: dict[int, str] = {}
    for batch in chunks(ids):
        for deployment_id, title, reason, resolved_at in session.execute(
            select(
                Incident.attributed_deployment_id,
                Incident.title,
                Incident.attribution_reason,
                Incident.resolved_at,
            )
            .where(Incident.attributed_deployment_id.in_(batch))
            .order_by(Incident.started_at, Incident.source, Incident.external_id)
        ):
            if deployment_id is not None:
                incidents[deployment_id].append((title, reason, resolved_at))
        for deployment_id, number, title, is_revert in session.execute(
            select(
                PullRequest.deployment_id,
                PullRequest.number,
                PullRequest.title,
                PullRequest.is_revert,
            )
            .where(
                PullRequest.deployment_id.in_(batch),
                PullRequest.is_revert.is_(True) | PullRequest.is_hotfix.is_(True),
            )
            .order_by(PullRequest.number)
        ):
            if deployment_id is not None and deployment_id not in rework:
                kind = "a revert" if is_revert else "a hotfix"
                rework[deployment_id] = f"ships {kind}: PR #{number} {title}"[:300]
        for deployment_id, number, incident_title in session.execute(
            _prs_linked_to_incidents().where(PullRequest.deployment_id.in_(batch))
        ):
            if deployment_id is not None and deployment_id not in rework:
                rework[deployment_id] = (
                    f"ships PR #{number}, linked to the incident “{incident_title}”"
                )[:300]
    for deployment_id in ids:
        if deployment_id in resolving_sentry:
            rework.setdefault(deployment_id, resolving_sentry[deployment_id])
    rolled_back: dict[int, Any] = {}
    for rollback in find_rollbacks(production):
        rolled_back.setdefault(rollback.victim.id, rollback.redeploy)
        rework.setdefault(rollback.redeploy.id, f"rolls back deployment {rollback.victim.id}")
    if targets is not None:
        # a redeploy changes the deployment it rolls back, and the other way round
        for victim_id, redeploy in list(rolled_back.items()):
            if victim_id in targets or redeploy.id in targets:
                targets = targets | {victim_id, redeploy.id}
    # For each position, the next successful deployment and the next rework deployment
    # after it (one backwards scan instead of a scan per failed deployment).
    next_success: list[Any] = [None] * len(production)
    next_rework: list[Any] = [None] * len(production)
    success_after: Any = None
    rework_after: Any = None
    for index in range(len(production) - 1, -1, -1):
        next_success[index], next_rework[index] = success_after, rework_after
        if production[index].status == "success":
            success_after = production[index]
            if production[index].id in rework:
                rework_after = production[index]
    rows: list[dict[str, Any]] = []
    for index, deployment in enumerate(production):
        if targets is not None and deployment.id not in targets:
            continue
        successful = deployment.status == "success"
        attributed = incidents.get(deployment.id, [])
        redeploy = rolled_back.get(deployment.id)
        failed = not successful or bool(attributed) or redeploy is not None
        if not successful:
            failure_reason: str | None = "the deployment run failed"
        elif redeploy is not None:
            failure_reason = f"rolled back by deployment {redeploy.id}"
        elif attributed:
            title, reason, _ = attributed[0]
            more = f" (and {len(attributed) - 1} more)" if len(attributed) > 1 else ""
            failure_reason = f"incident “{title}”{more}: {reason}"[:300]
        else:
            failure_reason = None
        recovered_at = None
        if failed:
            candidates: list[datetime] = []
            if redeploy is not None:
                candidates.append(redeploy.finished_at)
            if not successful and next_success[index] is not None:
                candidates.append(next_success[index].finished_at)
            if attributed:
                resolved = [r for _, _, r in attributed]
                if all(r is not None for r in resolved):
                    candidates.append(max(r for r in resolved if r is not None))
                if next_rework[index] is not None:
                    candidates.append(next_rework[index].finished_at)
            recovered_at = min(candidates) if candidates else None
        rows.append(
            {
                "id": deployment.id,
                "is_failed": failed,
                "failure_reason": failure_reason,
                "is_rework": successful and deployment.id in rework,
                "rework_reason": rework.get(deployment.id) if successful else None,
                "recovered_at": recovered_at,
                "recovery_seconds": span_seconds(deployment.finished_at, recovered_at),
            }
        )
    non_production = [
        {
            "id": d.id,
            "is_failed": False,
            "failure_reason": None,
            "is_rework": False,
            "rework_reason": None,
            "recovered_at": None,
            "recovery_seconds": None,
        }
        for d in deployments
        if not d.is_production and (targets is None or d.id in targets)
    ]
    rows.extend(non_production)
    for start in range(0, len(rows), 1000):
        update_by_id(session, Deployment.__table__, rows[start : start + 1000])
    return len(rows)
