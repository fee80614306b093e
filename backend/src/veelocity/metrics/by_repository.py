"""One metric per repository: the breakdown behind a chart's "by repository" view.

Each repository's figure is the metric itself computed for that repository alone (within the
asked scope), so a row always equals what the metric route returns with that `repo_id`.
Only repositories with data for the metric in the window or the one before are listed, and
at most `limit` of them (the most active), so the cost stays bounded however many
repositories there are: each repository costs the same few indexed aggregates as the metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select, union_all
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


@dataclass(frozen=True)
class Breakdown:
    repositories: list[RepositoryMetric]
    #: Repositories with activity in the scope, of which the `limit` most active were computed.
    active_repositories: int


def _active_repositories(session: Session, query: MetricQuery, scope: Scope) -> dict[int, int]:
    """Repositories with a deployment finished, or a PR merged or deployed, in the window or
    the one before (three range scans on indexed timestamps), within the scope's repositories,
    with how many such events each had."""
    since, _ = previous_window(query.start, query.end)
    active = union_all(
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
    repository_id = active.c[0]
    counts = {
        int(rid): int(n)
        for rid, n in session.execute(select(repository_id, func.count()).group_by(repository_id))
    }
    for named in (scope.repository_ids, scope.team_repository_ids):
        if named is not None:
            counts = {rid: n for rid, n in counts.items() if rid in named}
    return counts


def metric_by_repository(
    session: Session, slug: str, query: MetricQuery, compute: MetricInScope, *, limit: int
) -> Breakdown:
    """The metric, with its series, for each of the `limit` most active repositories that
    have data for it; by name."""
    scope = resolve_scope(session, query)
    active = _active_repositories(session, query, scope)
    chosen = sorted(active, key=lambda rid: (-active[rid], rid))[:limit]
    names: dict[int, str] = {}
    if chosen:
        rows = session.execute(
            select(Repository.id, Repository.full_name).where(Repository.id.in_(chosen))
        )
        names = {repository_id: name for repository_id, name in rows}
    found = []
    for repository_id, name in sorted(names.items(), key=lambda item: item[1]):
        own = Scope(
            repository_ids=frozenset({repository_id}),
            authors=scope.authors,
            team_repository_ids=scope.team_repository_ids,
        )
        result = compute(session, slug, query, with_series=True, scope=own)
        if result.sample_size or result.previous_sample_size:
            found.append(RepositoryMetric(repository_id, name, result))
    return Breakdown(found, len(active))
