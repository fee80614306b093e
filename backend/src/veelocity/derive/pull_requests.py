"""Write each pull request's timeline, and link merged pull requests to their deployment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id
from veelocity.derive.config import DeriveConfig
from veelocity.derive.timelines import (
    EventFact,
    PullRequestFacts,
    compute_timeline,
    lead_time_seconds,
    span_seconds,
)
from veelocity.models import (
    Deployment,
    DeploymentCommit,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    PullRequestFile,
)

CHUNK = 500
T = TypeVar("T")


def chunks(ids: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Batches small enough for an IN list on every database."""
    batch: list[T] = []
    for item in ids:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def all_pull_request_ids(session: Session) -> list[int]:
    return list(session.scalars(select(PullRequest.id).order_by(PullRequest.id)))


def _excluded_lines(session: Session, config: DeriveConfig, pr_ids: list[int]) -> dict[int, int]:
    """Per PR, the lines changed in files that `PR_SIZE_EXCLUDE` leaves out of its size."""
    excluded: dict[int, int] = defaultdict(int)
    if not pr_ids or not config.pr_size_exclude:
        return excluded
    for pr_id, path, additions, deletions in session.execute(
        select(
            PullRequestFile.pull_request_id,
            PullRequestFile.path,
            PullRequestFile.additions,
            PullRequestFile.deletions,
        ).where(PullRequestFile.pull_request_id.in_(pr_ids))
    ):
        if config.is_size_excluded(path):
            excluded[pr_id] += additions + deletions
    return excluded


def derive_timelines(session: Session, config: DeriveConfig, pr_ids: Iterable[int]) -> int:
    """Recompute timeline columns (everything but the deployment link) for these PRs."""
    count = 0
    for batch in chunks(pr_ids):
        prs = session.execute(
            select(
                PullRequest.id,
                PullRequest.author_login,
                PullRequest.created_at,
                PullRequest.is_draft,
                PullRequest.merged_at,
                PullRequest.title,
                PullRequest.head_branch,
                PullRequest.labels,
                PullRequest.additions,
                PullRequest.deletions,
                PullRequest.files_known,
            ).where(PullRequest.id.in_(batch))
        ).all()
        excluded = _excluded_lines(session, config, [pr.id for pr in prs if pr.files_known])
        commits: dict[int, list[datetime | None]] = defaultdict(list)
        for pr_id, authored_at in session.execute(
            select(PullRequestCommit.pull_request_id, PullRequestCommit.authored_at).where(
                PullRequestCommit.pull_request_id.in_(batch)
            )
        ):
            commits[pr_id].append(authored_at)
        events: dict[int, list[EventFact]] = defaultdict(list)
        for pr_id, kind, actor, at, state in session.execute(
            select(
                PullRequestEvent.pull_request_id,
                PullRequestEvent.kind,
                PullRequestEvent.actor_login,
                PullRequestEvent.at,
                PullRequestEvent.state,
            ).where(PullRequestEvent.pull_request_id.in_(batch))
        ):
            events[pr_id].append(EventFact(kind, actor or "", at, state))
        rows: list[dict[str, Any]] = []
        for pr in prs:
            labels = list(pr.labels or [])
            timeline = compute_timeline(
                PullRequestFacts(
                    author_login=pr.author_login,
                    created_at=pr.created_at,
                    is_draft=pr.is_draft,
                    merged_at=pr.merged_at,
                    title=pr.title or "",
                    head_branch=pr.head_branch,
                    labels=labels,
                    additions=pr.additions,
                    deletions=pr.deletions,
                    commit_authored_at=commits.get(pr.id, []),
                    events=events.get(pr.id, []),
                    excluded_lines=excluded.get(pr.id, 0),
                ),
                config.is_bot,
            )
            rows.append(
                {
                    "id": pr.id,
                    "first_commit_at": timeline.first_commit_at,
                    "opened_at": timeline.opened_at,
                    "first_review_at": timeline.first_review_at,
                    "approved_at": timeline.approved_at,
                    "coding_seconds": timeline.coding_seconds,
                    "pickup_seconds": timeline.pickup_seconds,
                    "review_seconds": timeline.review_seconds,
                    "merge_seconds": timeline.merge_seconds,
                    "cycle_seconds": timeline.cycle_seconds,
                    "size": timeline.size,
                    "is_revert": timeline.is_revert,
                    "is_bot_author": timeline.is_bot_author,
                    "is_hotfix": config.is_hotfix(
                        labels=labels, head_branch=pr.head_branch, title=pr.title or ""
                    ),
                }
            )
        if rows:
            update_by_id(session, PullRequest.__table__, rows)
        count += len(rows)
    return count


def link_to_deployments(session: Session, pr_ids: Iterable[int]) -> int:
    """deployed_at = finish of the earliest-started successful production deployment that
    ships the PR's merge commit; then deploy time and change lead time."""
    count = 0
    for batch in chunks(pr_ids):
        prs = {
            row.id: row
            for row in session.execute(
                select(
                    PullRequest.id,
                    PullRequest.merged_at,
                    PullRequest.coding_seconds,
                    PullRequest.merge_seconds,
                ).where(PullRequest.id.in_(batch))
            )
        }
        best: dict[int, tuple[datetime, int, datetime]] = {}
        shipped = session.execute(
            select(
                PullRequest.id,
                Deployment.id,
                Deployment.started_at,
                Deployment.finished_at,
            )
            .join(
                DeploymentCommit,
                (DeploymentCommit.repository_id == PullRequest.repository_id)
                & (DeploymentCommit.sha == PullRequest.merge_commit_sha),
            )
            .join(Deployment, Deployment.id == DeploymentCommit.deployment_id)
            .where(PullRequest.id.in_(batch), PullRequest.merged_at.is_not(None))
        )
        for pr_id, deployment_id, started_at, finished_at in shipped:
            key = (started_at or finished_at, deployment_id, finished_at)
            if pr_id not in best or key[:2] < best[pr_id][:2]:
                best[pr_id] = key
        rows = []
        for pr_id, pr in prs.items():
            chosen = best.get(pr_id)
            deployed_at = chosen[2] if chosen else None
            deploy_seconds = span_seconds(pr.merged_at, deployed_at)
            rows.append(
                {
                    "id": pr_id,
                    "deployment_id": chosen[1] if chosen else None,
                    "deployed_at": deployed_at,
                    "deploy_seconds": deploy_seconds,
                    "lead_time_seconds": lead_time_seconds(
                        coding_seconds=pr.coding_seconds,
                        merge_seconds=pr.merge_seconds,
                        deploy_seconds=deploy_seconds,
                        deployed=chosen is not None,
                    ),
                }
            )
        if rows:
            update_by_id(session, PullRequest.__table__, rows)
        count += len(rows)
    return count
