"""Which deployment shipped each Sentry release.

A release maps to the first successful production deployment (of the repositories its
projects map to; of any repository when none is mapped) whose commit is the release's version
or last commit, or starts with it (7 hex characters or more); else, with `SENTRY_RELEASE_PATTERN`,
the pattern's group names the commit, or the tag or name of a GitHub release deployment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id
from veelocity.derive.config import DeriveConfig
from veelocity.derive.pull_requests import chunks
from veelocity.models import Deployment, SentryProject, SentryRelease

_SHA = re.compile(r"[0-9a-f]{7,64}")
MIN_PREFIX = 7


def _commit_like(value: str | None) -> str | None:
    lowered = (value or "").strip().lower()
    return lowered if _SHA.fullmatch(lowered) else None


def _pattern_group(config: DeriveConfig, version: str) -> str | None:
    if not config.sentry_release_pattern:
        return None
    found = re.search(config.sentry_release_pattern, version)
    if found is None or not found.group(1):
        return None
    return found.group(1)


def _same_commit(value: str | None) -> list[ColumnElement[bool]]:
    """A deployment of this commit: the same SHA, or (for 7 hex characters or more) one
    starting with it."""
    exact = (value or "").strip()
    if not exact:
        return []
    sha = _commit_like(exact)
    if sha is None:
        return [Deployment.commit_sha == exact]
    return [or_(Deployment.commit_sha == exact, Deployment.commit_sha.like(sha + "%"))]


def release_conditions(config: DeriveConfig, release: Any) -> list[ColumnElement[bool]]:
    """What a deployment matches the release by (most exact first)."""
    conditions = _same_commit(release.version)
    if release.last_commit_sha and release.last_commit_sha != release.version:
        conditions += _same_commit(release.last_commit_sha)
    named = _pattern_group(config, release.version)
    if named is not None:
        conditions += _same_commit(named)
        tag = named.strip().replace("%", "").replace("_", "")
        conditions.append(
            or_(
                Deployment.name.in_([named.strip(), "v" + named.strip()]),
                Deployment.url.like("%/tag/" + tag),
                Deployment.url.like("%/tag/v" + tag),
            )
        )
    return conditions


def _repositories_of_projects(session: Session) -> dict[str, int]:
    return {
        external_id: repository_id
        for external_id, repository_id in session.execute(
            select(SentryProject.external_id, SentryProject.repository_id)
        )
        if repository_id is not None
    }


def release_deployment(
    session: Session, config: DeriveConfig, release: Any, repositories: dict[str, int]
) -> int | None:
    """The first successful production deployment shipping the release, if any."""
    repository_ids = {
        repositories[p] for p in (release.project_external_ids or []) if p in repositories
    }
    for condition in release_conditions(config, release):
        query = select(Deployment.id).where(
            Deployment.status == "success", Deployment.is_production.is_(True), condition
        )
        if repository_ids:
            query = query.where(Deployment.repository_id.in_(sorted(repository_ids)))
        found = session.scalar(query.order_by(Deployment.finished_at, Deployment.id).limit(1))
        if found is not None:
            return found
    return None


def map_releases_to_deployments(
    session: Session, config: DeriveConfig, release_ids: Iterable[int] | None
) -> set[int]:
    """Write `sentry_release.deployment_id`; return the releases whose deployment changed."""
    query = select(
        SentryRelease.id,
        SentryRelease.version,
        SentryRelease.last_commit_sha,
        SentryRelease.project_external_ids,
        SentryRelease.deployment_id,
    )
    if release_ids is None:
        release_ids = session.scalars(select(SentryRelease.id).order_by(SentryRelease.id)).all()
    repositories = _repositories_of_projects(session)
    changed: set[int] = set()
    for batch in chunks(release_ids):
        rows = []
        for release in session.execute(query.where(SentryRelease.id.in_(batch))):
            deployment_id = release_deployment(session, config, release, repositories)
            if deployment_id != release.deployment_id:
                changed.add(release.id)
                rows.append({"id": release.id, "deployment_id": deployment_id})
        update_by_id(session, SentryRelease.__table__, rows)
    return changed


def releases_shipped_near(session: Session, deployment_ids: Iterable[int]) -> set[int]:
    """Releases a change to these deployments may map differently: those mapped to them, and
    those not mapped yet (a new deployment may be the first to ship one)."""
    wanted = set(deployment_ids)
    if not wanted:
        return set()
    found: set[int] = set(
        session.scalars(select(SentryRelease.id).where(SentryRelease.deployment_id.is_(None)))
    )
    for batch in chunks(wanted):
        found |= set(
            session.scalars(select(SentryRelease.id).where(SentryRelease.deployment_id.in_(batch)))
        )
    return found
