"""The repositories Veelocity knows, with how much it knows about each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.models import Deployment, PullRequest, Repository

# A pull request's web address ends in /pull/<number>; what precedes it is the repository's.
_PULL_URL = re.compile(r"^(?P<repository>https?://.+)/pull/\d+/?$")


@dataclass(frozen=True)
class RepositorySummary:
    id: int
    full_name: str
    default_branch: str | None
    url: str | None
    pull_request_count: int
    deployment_count: int
    last_activity_at: datetime | None


def repository_url(pull_request_url: str | None) -> str | None:
    """The upstream address of a repository, from the address of one of its pull requests."""
    if not pull_request_url:
        return None
    match = _PULL_URL.match(pull_request_url)
    return match.group("repository") if match else None


def list_repositories(session: Session) -> list[RepositorySummary]:
    """Every repository by name, with its PR and deployment counts and its latest activity
    (a PR merged or a deployment finished). Grouped counts and maxima that the
    (repository_id, merged_at) and (repository_id, finished_at) indexes answer alone."""
    pulls = {
        row.repository_id: row
        for row in session.execute(
            select(
                PullRequest.repository_id,
                func.count().label("total"),
                func.max(PullRequest.merged_at).label("last"),
            ).group_by(PullRequest.repository_id)
        )
    }
    deployments = {
        row.repository_id: row
        for row in session.execute(
            select(
                Deployment.repository_id,
                func.count().label("total"),
                func.max(Deployment.finished_at).label("last"),
            ).group_by(Deployment.repository_id)
        )
    }
    # The latest merged PR's address: one seek on (repository_id, merged_at) per repository.
    one_pull_url = (
        select(PullRequest.url)
        .where(PullRequest.repository_id == Repository.id)
        .order_by(PullRequest.merged_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    result = []
    for repository, pull_url in session.execute(
        select(Repository, one_pull_url).order_by(Repository.full_name)
    ):
        pull = pulls.get(repository.id)
        deployment = deployments.get(repository.id)
        moments = [m for m in (pull and pull.last, deployment and deployment.last) if m]
        result.append(
            RepositorySummary(
                id=repository.id,
                full_name=repository.full_name,
                default_branch=repository.default_branch,
                url=repository_url(pull_url),
                pull_request_count=int(pull.total) if pull else 0,
                deployment_count=int(deployment.total) if deployment else 0,
                last_activity_at=max(moments) if moments else None,
            )
        )
    return result
