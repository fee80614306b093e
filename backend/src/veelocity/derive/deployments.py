"""The commits each successful production deployment ships, and its previous deployment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veelocity.core.db import insert_rows, update_by_id
from veelocity.derive.commit_graph import ancestors, walk_new_commits
from veelocity.derive.config import DeriveConfig
from veelocity.derive.pull_requests import chunks
from veelocity.models import (
    Commit,
    Deployment,
    DeploymentCommit,
    DeploymentListedCommit,
    PullRequest,
)


@dataclass(frozen=True)
class _Deployment:
    id: int
    sha: str | None
    started_at: datetime | None
    finished_at: datetime
    has_commit_list: bool
    status: str
    is_production: bool

    @property
    def ships(self) -> bool:
        return self.status == "success" and self.is_production


def mark_production(
    session: Session, config: DeriveConfig, deployment_ids: Iterable[int] | None
) -> None:
    query = select(Deployment.id, Deployment.environment)
    if deployment_ids is None:
        rows = session.execute(query).all()
    else:
        rows = [
            r
            for batch in chunks(deployment_ids)
            for r in session.execute(query.where(Deployment.id.in_(batch)))
        ]
    updates = [{"id": r.id, "is_production": config.is_production(r.environment)} for r in rows]
    for start in range(0, len(updates), 1000):
        update_by_id(session, Deployment.__table__, updates[start : start + 1000])


def _repository_deployments(session: Session, repository_id: int) -> list[_Deployment]:
    rows = session.execute(
        select(
            Deployment.id,
            Deployment.commit_sha,
            Deployment.started_at,
            Deployment.finished_at,
            Deployment.has_commit_list,
            Deployment.status,
            Deployment.is_production,
        )
        .where(Deployment.repository_id == repository_id)
        .order_by(Deployment.finished_at, Deployment.id)
    ).all()
    return [_Deployment(*row) for row in rows]


@dataclass
class _Graph:
    parents: dict[str, list[str]]
    authored_at: dict[str, datetime | None]


def _load_graph(session: Session, repository_id: int) -> _Graph:
    parents: dict[str, list[str]] = {}
    authored: dict[str, datetime | None] = {}
    for sha, commit_parents, authored_at in session.execute(
        select(Commit.sha, Commit.parents, Commit.authored_at).where(
            Commit.repository_id == repository_id
        )
    ):
        parents[sha] = list(commit_parents or [])
        authored[sha] = authored_at
    return _Graph(parents, authored)


def _merged_between(
    session: Session, repository_id: int, after: datetime | None, until: datetime
) -> dict[str, datetime]:
    query = select(PullRequest.merge_commit_sha, PullRequest.merged_at).where(
        PullRequest.repository_id == repository_id,
        PullRequest.merge_commit_sha.is_not(None),
        PullRequest.merged_at.is_not(None),
        PullRequest.merged_at <= until,
    )
    if after is not None:
        query = query.where(PullRequest.merged_at > after)
    return {
        sha: merged_at
        for sha, merged_at in session.execute(query)
        if sha is not None and merged_at is not None
    }


def _shipped_by(
    session: Session,
    config: DeriveConfig,
    repository_id: int,
    graph: _Graph,
    deployment: _Deployment,
    previous: _Deployment | None,
    previous_reach: set[str],
) -> tuple[set[str], set[str]]:
    """(commits shipped, ancestors of this deployment's commit) for one deployment.

    `previous_reach` is extended in place when it can become this deployment's reach, so a
    repository's history is walked once instead of copied at every deployment."""
    if deployment.has_commit_list:
        shipped = set(
            session.scalars(
                select(DeploymentListedCommit.sha).where(
                    DeploymentListedCommit.deployment_id == deployment.id
                )
            )
        )
        reach = ancestors(graph.parents, deployment.sha)
        if not reach:
            previous_reach.update(shipped)
            reach = previous_reach
    elif deployment.sha is not None and deployment.sha in graph.parents:
        walk = walk_new_commits(
            graph.parents, deployment.sha, previous_reach, previous.sha if previous else None
        )
        shipped = walk.new_commits
        if walk.descends_from_previous or previous is None:
            previous_reach.update(shipped)
            reach = previous_reach
        else:
            reach = ancestors(graph.parents, deployment.sha)
    else:
        # No commit graph to walk: ship the pull requests merged since the previous deployment.
        after = previous.finished_at if previous is not None else None
        shipped = set(_merged_between(session, repository_id, after, deployment.finished_at))
        if deployment.sha:
            shipped.add(deployment.sha)
        previous_reach.update(shipped)
        reach = previous_reach
    if previous is None:
        shipped = _within_first_deployment_window(
            session, config, repository_id, graph, deployment, shipped
        )
    return shipped, reach


def _within_first_deployment_window(
    session: Session,
    config: DeriveConfig,
    repository_id: int,
    graph: _Graph,
    deployment: _Deployment,
    shipped: set[str],
) -> set[str]:
    """A first deployment ships only what was authored or merged in the cut-over window.

    A commit whose age is unknown (no graph date, not a merge commit we know) is kept: it
    cannot pull an old pull request in, because a pull request's merge time is known."""
    since = deployment.finished_at - config.first_deployment_window
    merged_at: dict[str, datetime] = {}
    for batch in chunks(sorted(shipped)):
        for sha, when in session.execute(
            select(PullRequest.merge_commit_sha, PullRequest.merged_at).where(
                PullRequest.repository_id == repository_id,
                PullRequest.merge_commit_sha.in_(batch),
                PullRequest.merged_at.is_not(None),
            )
        ):
            if sha is not None and when is not None:
                merged_at[sha] = max(when, merged_at.get(sha, when))
    kept = set()
    for sha in shipped:
        dates = [d for d in (graph.authored_at.get(sha), merged_at.get(sha)) if d is not None]
        if not dates or max(dates) >= since:
            kept.add(sha)
    return kept


@dataclass
class ShippingResult:
    deployment_ids: set[int]
    #: PRs that were linked to these deployments before the change.
    previously_linked_pr_ids: set[int]
    repository_ids: set[int]


def derive_shipping(
    session: Session, config: DeriveConfig, targets: dict[int, set[int] | None]
) -> ShippingResult:
    """Recompute shipped commits for deployments, by repository.

    `targets` maps a repository id to the deployment ids to recompute (None: all of them).
    Each target's next successful production deployment is recomputed too, because its
    previous deployment may have changed.
    """
    done: set[int] = set()
    previously_linked: set[int] = set()
    for repository_id, wanted in targets.items():
        timeline = _repository_deployments(session, repository_id)
        shipping = [d for d in timeline if d.ships]
        if wanted is None:
            chosen = {d.id for d in timeline}
        else:
            chosen = set(wanted)
            for index, deployment in enumerate(shipping):
                if deployment.id in wanted and index + 1 < len(shipping):
                    chosen.add(shipping[index + 1].id)
            # A deployment that stopped shipping (status or environment changed) still has
            # a successor whose previous deployment changed.
            for deployment in timeline:
                if deployment.id in wanted and not deployment.ships:
                    later = [
                        d
                        for d in shipping
                        if (d.finished_at, d.id) > (deployment.finished_at, deployment.id)
                    ]
                    if later:
                        chosen.add(later[0].id)
        if not chosen:
            continue
        previously_linked |= _linked_prs(session, chosen)
        for batch in chunks(chosen):
            session.execute(
                delete(DeploymentCommit).where(DeploymentCommit.deployment_id.in_(batch))
            )
        graph = _load_graph(session, repository_id)
        rows: list[dict[str, Any]] = []
        previous_ids: list[dict[str, Any]] = []
        reach: set[str] = set()
        reach_owner: int | None = None
        previous: _Deployment | None = None
        for deployment in timeline:
            if deployment.id in chosen:
                # Only deployments that ship have a previous one: the base of their difference.
                previous_id = previous.id if previous and deployment.ships else None
                previous_ids.append({"id": deployment.id, "previous_deployment_id": previous_id})
            if not deployment.ships:
                continue
            if deployment.id in chosen:
                if previous is not None and reach_owner != previous.id:
                    reach = _reach_of(session, config, repository_id, graph, shipping, previous)
                elif previous is None:
                    reach = set()
                shipped, reach = _shipped_by(
                    session, config, repository_id, graph, deployment, previous, reach
                )
                reach_owner = deployment.id
                rows.extend(
                    {"deployment_id": deployment.id, "sha": sha, "repository_id": repository_id}
                    for sha in shipped
                )
            previous = deployment
        insert_rows(session, DeploymentCommit.__table__, rows)
        for start in range(0, len(previous_ids), 1000):
            update_by_id(session, Deployment.__table__, previous_ids[start : start + 1000])
        done |= chosen
    return ShippingResult(done, previously_linked, set(targets))


def _reach_of(
    session: Session,
    config: DeriveConfig,
    repository_id: int,
    graph: _Graph,
    shipping: list[_Deployment],
    deployment: _Deployment,
) -> set[str]:
    """ancestors(deployment) as the shipping walk sees it, for a deployment not recomputed."""
    if deployment.sha is not None and deployment.sha in graph.parents:
        return ancestors(graph.parents, deployment.sha)
    # Without a graph, what earlier deployments shipped stands for their ancestry.
    earlier = [
        d.id for d in shipping if (d.finished_at, d.id) <= (deployment.finished_at, deployment.id)
    ]
    reach: set[str] = set()
    for batch in chunks(earlier):
        reach |= set(
            session.scalars(
                select(DeploymentCommit.sha).where(DeploymentCommit.deployment_id.in_(batch))
            )
        )
    return reach


def _linked_prs(session: Session, deployment_ids: Iterable[int]) -> set[int]:
    linked: set[int] = set()
    for batch in chunks(deployment_ids):
        linked |= set(
            session.scalars(select(PullRequest.id).where(PullRequest.deployment_id.in_(batch)))
        )
    return linked


def prs_shipped_by(session: Session, deployment_ids: Iterable[int]) -> set[int]:
    """Merged PRs whose merge commit these deployments ship."""
    found: set[int] = set()
    for batch in chunks(deployment_ids):
        found |= set(
            session.scalars(
                select(PullRequest.id)
                .join(
                    DeploymentCommit,
                    (DeploymentCommit.repository_id == PullRequest.repository_id)
                    & (DeploymentCommit.sha == PullRequest.merge_commit_sha),
                )
                .where(DeploymentCommit.deployment_id.in_(batch))
            )
        )
    return found


def repositories_of(session: Session, deployment_ids: Iterable[int]) -> dict[int, set[int]]:
    by_repository: dict[int, set[int]] = defaultdict(set)
    for batch in chunks(deployment_ids):
        for deployment_id, repository_id in session.execute(
            select(Deployment.id, Deployment.repository_id).where(Deployment.id.in_(batch))
        ):
            by_repository[repository_id].add(deployment_id)
    return by_repository


def deployments_reaching_new_commits(
    session: Session, repository_ids: Iterable[int], new_commit_shas: dict[int, set[str]]
) -> dict[int, set[int] | None]:
    """Deployments whose ancestry new commits can extend: those deploying a new commit, and
    those shipping a child of one (the walk stopped there before). Without the list of new
    commits, every deployment of the repository."""
    result: dict[int, set[int] | None] = {}
    for repository_id in repository_ids:
        new = new_commit_shas.get(repository_id)
        if new is None:
            result[repository_id] = None
            continue
        children = {
            sha
            for sha, parents in session.execute(
                select(Commit.sha, Commit.parents).where(Commit.repository_id == repository_id)
            )
            if any(parent in new for parent in parents or ())
        }
        wanted: set[int] = set()
        for batch in chunks(sorted(children | new)):
            wanted |= set(
                session.scalars(
                    select(DeploymentCommit.deployment_id).where(
                        DeploymentCommit.repository_id == repository_id,
                        DeploymentCommit.sha.in_(batch),
                    )
                )
            )
            wanted |= set(
                session.scalars(
                    select(Deployment.id).where(
                        Deployment.repository_id == repository_id, Deployment.commit_sha.in_(batch)
                    )
                )
            )
        result[repository_id] = wanted
    return result
