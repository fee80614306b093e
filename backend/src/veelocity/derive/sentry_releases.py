"""Which deployment shipped each Sentry release.

A release maps to the first successful production deployment (of the repositories its
projects map to; of any repository when none is mapped) whose commit is the release's version
or last commit, or starts with it (7 hex characters or more); else, with `SENTRY_RELEASE_PATTERN`,
the pattern's group names the commit, or the tag or name of a GitHub release deployment.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
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


@dataclass(frozen=True)
class _Shipped:
    id: int
    repository_id: int
    finished_at: datetime


class ProductionDeployments:
    """The successful production deployments, indexed by commit and by release tag, read
    once per derive (a query per release would cost thousands of round trips)."""

    def __init__(self, session: Session) -> None:
        self.by_commit: dict[str, list[_Shipped]] = defaultdict(list)
        self.by_tag: dict[str, list[_Shipped]] = defaultdict(list)
        for row in session.execute(
            select(
                Deployment.id,
                Deployment.repository_id,
                Deployment.finished_at,
                Deployment.commit_sha,
                Deployment.name,
                Deployment.url,
            )
            .where(Deployment.status == "success", Deployment.is_production.is_(True))
            .order_by(Deployment.finished_at, Deployment.id)
        ):
            shipped = _Shipped(row.id, row.repository_id, row.finished_at)
            if row.commit_sha:
                self.by_commit[row.commit_sha].append(shipped)
                lowered = row.commit_sha.lower()
                if lowered != row.commit_sha:
                    self.by_commit[lowered].append(shipped)
            tags = {row.name or ""}
            if row.url and "/tag/" in row.url:
                tags.add(row.url.rsplit("/tag/", 1)[1])
            for tag in tags - {""}:
                self.by_tag[tag].append(shipped)
        self.commits = sorted(self.by_commit)

    def of_commit(self, value: str | None) -> list[_Shipped]:
        """Deployments of this commit: the same SHA, or (7 hex characters or more) one
        starting with it."""
        exact = (value or "").strip()
        if not exact:
            return []
        found = list(self.by_commit.get(exact, []))
        sha = _commit_like(exact)
        if sha is not None:
            index = bisect.bisect_left(self.commits, sha)
            while index < len(self.commits) and self.commits[index].startswith(sha):
                if self.commits[index] != exact:
                    found += self.by_commit[self.commits[index]]
                index += 1
        return found

    def of_tag(self, tag: str) -> list[_Shipped]:
        tag = tag.strip()
        return self.by_tag.get(tag, []) + self.by_tag.get("v" + tag, [])


def _first(candidates: list[_Shipped], repository_ids: set[int]) -> int | None:
    kept = [c for c in candidates if not repository_ids or c.repository_id in repository_ids]
    return min(kept, key=lambda c: (c.finished_at, c.id)).id if kept else None


def _repositories_of_projects(session: Session) -> dict[str, int]:
    return {
        external_id: repository_id
        for external_id, repository_id in session.execute(
            select(SentryProject.external_id, SentryProject.repository_id)
        )
        if repository_id is not None
    }


def release_deployment(
    config: DeriveConfig,
    release: Any,
    repositories: dict[str, int],
    deployments: ProductionDeployments,
) -> int | None:
    """The first successful production deployment shipping the release, if any: by its
    version, else its last commit, else what the release pattern names."""
    repository_ids = {
        repositories[p] for p in (release.project_external_ids or []) if p in repositories
    }
    attempts = [deployments.of_commit(release.version)]
    if release.last_commit_sha:
        attempts.append(deployments.of_commit(release.last_commit_sha))
    named = _pattern_group(config, release.version)
    if named is not None:
        attempts += [deployments.of_commit(named), deployments.of_tag(named)]
    for candidates in attempts:
        found = _first(candidates, repository_ids)
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
    wanted = list(release_ids)
    if not wanted:
        return set()
    repositories = _repositories_of_projects(session)
    deployments = ProductionDeployments(session)
    changed: set[int] = set()
    for batch in chunks(wanted):
        rows = []
        for release in session.execute(query.where(SentryRelease.id.in_(batch))):
            deployment_id = release_deployment(config, release, repositories, deployments)
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
