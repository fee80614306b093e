"""One metric per repository: the breakdown behind a chart's "by repository" view.

Each repository's figure is the metric itself computed for that repository alone (within the
asked scope), so a row always equals what the metric route returns with that `repo_id`.
Only repositories with data for the metric in the window or the one before are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from veelocity.metrics.compute.periods import previous_window
from veelocity.metrics.query import MetricQuery, Scope, resolve_scope
from veelocity.metrics.results import MetricResult
from veelocity.models import Deployment, PullRequest, Repository


class MetricInScope(Protocol):
    """How a metric family computes one metric for a given scope."""

    def __call__(
        self,
        session: Session,
        slug: str,
        query: MetricQuery,
        *,
        with_series: bool,
        scope: Scope | None = None,
    ) -> MetricResult: ...


@dataclass(frozen=True)
class RepositoryMetric:
    repository_id: int
    repository: str
    metric: MetricResult


def _active_repositories(session: Session, query: MetricQuery, scope: Scope) -> dict[int, str]:
    """Repositories with a deployment finished, or a PR merged or deployed, in the window or
    the one before (three range scans on indexed timestamps), within the scope's repositories."""
    since, _ = previous_window(query.start, query.end)
    active = union(
        select(Deployment.repository_id).where(
            Deployment.finished_at >= since, Deployment.finished_at < query.end
        ),
        select(PullRequest.repository_id).where(
            PullRequest.merged_at >= since, PullRequest.merged_at < query.end
        ),
        select(PullRequest.repository_id).where(
            PullRequest.deployed_at >= since, PullRequest.deployed_at < query.end
        ),
    ).subquery()
    ids = set(session.scalars(select(active.c[0])))
    for named in (scope.repository_ids, scope.team_repository_ids):
        if named is not None:
            ids &= named
    if not ids:
        return {}
    rows = session.execute(
        select(Repository.id, Repository.full_name).where(Repository.id.in_(sorted(ids)))
    )
    return {repository_id: name for repository_id, name in rows}


def metric_by_repository(
    session: Session,
    slug: str,
    query: MetricQuery,
    compute: MetricInScope,
) -> list[RepositoryMetric]:
    """The metric, with its series, for each repository that has data for it; by name."""
    scope = resolve_scope(session, query)
    found = []
    for repository_id, name in sorted(
        _active_repositories(session, query, scope).items(), key=lambda item: item[1]
    ):
        own = Scope(
            repository_ids=frozenset({repository_id}),
            authors=scope.authors,
            team_repository_ids=scope.team_repository_ids,
        )
        result = compute(session, slug, query, with_series=True, scope=own)
        if result.sample_size or result.previous_sample_size:
            found.append(RepositoryMetric(repository_id, name, result))
    return found
