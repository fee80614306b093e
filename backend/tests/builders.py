"""Builders for delivery data: `make_pull_request(session, repo, **overrides)` and friends.

They write rows the way sync and ingest would (raw columns only) and return the ChangeSet
that derive needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from veelocity.derive import ChangeSet
from veelocity.models import (
    Commit,
    Deployment,
    DeploymentListedCommit,
    Incident,
    Issue,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
_sequence = itertools.count(1)


def at(hours: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


def make_repository(session: Session, name: str = "acme/api") -> Repository:
    repository = Repository(full_name=name, default_branch="main", created_at=T0)
    session.add(repository)
    session.flush()
    return repository


def make_commit(
    session: Session,
    repository: Repository,
    sha: str,
    parents: Iterable[str] = (),
    authored_at: datetime | None = None,
) -> Commit:
    commit = Commit(
        repository_id=repository.id,
        sha=sha,
        parents=list(parents),
        authored_at=authored_at or T0,
        committed_at=authored_at or T0,
    )
    session.add(commit)
    return commit


def make_pull_request(
    session: Session,
    repository: Repository,
    *,
    commits: Iterable[datetime] = (),
    events: Iterable[tuple[str, str, datetime] | tuple[str, str, datetime, str]] = (),
    **overrides: Any,
) -> PullRequest:
    number = next(_sequence)
    values: dict[str, Any] = {
        "source": "test",
        "external_id": f"pr-{number}",
        "repository_id": repository.id,
        "number": number,
        "title": f"Change {number}",
        "author_login": "alice",
        "head_branch": f"feature-{number}",
        "state": "merged",
        "is_draft": False,
        "created_at": at(1),
        "updated_at": at(10),
        "merged_at": at(5),
        "merge_commit_sha": f"m{number}",
        "additions": 10,
        "deletions": 5,
        "labels": [],
    }
    values.update(overrides)
    if values["merged_at"] is None:
        values["state"] = overrides.get("state", "open")
    pr = PullRequest(**values)
    session.add(pr)
    session.flush()
    for index, authored_at in enumerate(commits):
        session.add(
            PullRequestCommit(
                pull_request_id=pr.id, sha=f"c{pr.id}-{index}", authored_at=authored_at
            )
        )
    for event in events:
        kind, actor, when, *state = event
        session.add(
            PullRequestEvent(
                pull_request_id=pr.id,
                kind=kind,
                actor_login=actor,
                at=when,
                state=state[0] if state else None,
            )
        )
    session.flush()
    return pr


def make_deployment(
    session: Session,
    repository: Repository,
    *,
    finished_at: datetime,
    commit_sha: str | None = None,
    status: str = "success",
    environment: str = "production",
    commits: Iterable[str] | None = None,
    **overrides: Any,
) -> Deployment:
    number = next(_sequence)
    values: dict[str, Any] = {
        "source": "test",
        "external_id": f"deploy-{number}",
        "repository_id": repository.id,
        "environment": environment,
        "status": status,
        "started_at": finished_at - timedelta(minutes=10),
        "finished_at": finished_at,
        "commit_sha": commit_sha,
        "has_commit_list": commits is not None,
    }
    values.update(overrides)
    deployment = Deployment(**values)
    session.add(deployment)
    session.flush()
    for sha in commits or ():
        session.add(DeploymentListedCommit(deployment_id=deployment.id, sha=sha))
    session.flush()
    return deployment


def make_incident(
    session: Session, *, started_at: datetime, resolved_at: datetime | None = None, **overrides: Any
) -> Incident:
    number = next(_sequence)
    values: dict[str, Any] = {
        "source": "test",
        "external_id": f"incident-{number}",
        "title": f"Outage {number}",
        "started_at": started_at,
        "resolved_at": resolved_at,
    }
    values.update(overrides)
    incident = Incident(**values)
    session.add(incident)
    session.flush()
    return incident


def make_issue(
    session: Session,
    repository: Repository | None,
    *,
    created_at: datetime,
    labels: list[str],
    closed_at: datetime | None = None,
    **overrides: Any,
) -> Issue:
    number = next(_sequence)
    values: dict[str, Any] = {
        "source": "github",
        "external_id": f"{repository.full_name if repository else 'none'}#{number}",
        "repository_id": repository.id if repository else None,
        "number": number,
        "title": f"Issue {number}",
        "state": "closed" if closed_at else "open",
        "state_reason": "completed" if closed_at else None,
        "labels": labels,
        "created_at": created_at,
        "updated_at": closed_at or created_at,
        "closed_at": closed_at,
    }
    values.update(overrides)
    issue = Issue(**values)
    session.add(issue)
    session.flush()
    return issue


def everything(session: Session) -> ChangeSet:
    """A ChangeSet naming every row, as if all of it had just been written."""
    from sqlalchemy import select

    return ChangeSet(
        pull_request_ids=set(session.scalars(select(PullRequest.id))),
        deployment_ids=set(session.scalars(select(Deployment.id))),
        incident_ids=set(session.scalars(select(Incident.id))),
        issue_ids=set(session.scalars(select(Issue.id))),
        repository_ids_with_new_commits=set(session.scalars(select(Repository.id))),
    )
