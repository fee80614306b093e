"""Choose the repository a Sentry project's errors follow, or go back to finding it, and
derive again what the mapping decides (releases' deployments, incidents' attribution)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from veelocity.core.errors import InvalidInput, NotFound
from veelocity.derive import ChangeSet, DeriveConfig, derive_changes
from veelocity.models import Incident, Repository, SentryIssue, SentryProject, SentryRelease
from veelocity.store.sentry import CHOSEN, map_projects_by_name


def project_counts(session: Session) -> dict[int, tuple[int, int]]:
    """Project id → (issues, incidents)."""
    return {
        project_id: (int(issues), int(incidents or 0))
        for project_id, issues, incidents in session.execute(
            select(
                SentryIssue.project_id,
                func.count(),
                func.sum(case((SentryIssue.is_incident.is_(True), 1), else_=0)),
            ).group_by(SentryIssue.project_id)
        )
    }


def list_projects(session: Session) -> list[tuple[SentryProject, str | None]]:
    return [
        (project, full_name)
        for project, full_name in session.execute(
            select(SentryProject, Repository.full_name)
            .outerjoin(Repository, Repository.id == SentryProject.repository_id)
            .order_by(func.lower(SentryProject.slug), SentryProject.id)
        )
    ]


def _project(session: Session, project_id: int) -> SentryProject:
    project = session.get(SentryProject, project_id)
    if project is None:
        raise NotFound("No Sentry project with this id.")
    return project


def _derive_project(session: Session, config: DeriveConfig, project: SentryProject) -> None:
    releases = {
        release_id
        for release_id, projects in session.execute(
            select(SentryRelease.id, SentryRelease.project_external_ids)
        )
        if project.external_id in (projects or [])
    }
    issues = set(
        session.scalars(select(SentryIssue.id).where(SentryIssue.project_id == project.id))
    )
    incidents = set(
        session.scalars(
            select(Incident.id).where(Incident.source == "sentry", Incident.service == project.slug)
        )
    )
    derive_changes(
        session,
        config,
        ChangeSet(sentry_release_ids=releases, sentry_issue_ids=issues, incident_ids=incidents),
    )


def choose_repository(
    session: Session, config: DeriveConfig, project_id: int, repository_id: int | None
) -> tuple[SentryProject, bool]:
    """Records an admin's choice (None: no repository); says whether anything changed."""
    project = _project(session, project_id)
    if repository_id is not None and session.get(Repository, repository_id) is None:
        raise InvalidInput("repository_id: no repository with this id.")
    changed = project.repository_mapped_by != CHOSEN or project.repository_id != repository_id
    project.repository_id = repository_id
    project.repository_mapped_by = CHOSEN
    session.flush()
    if changed:
        _derive_project(session, config, project)
    return project, changed


def map_automatically(
    session: Session, config: DeriveConfig, project_id: int
) -> tuple[SentryProject, bool]:
    """Drops a choice: the project is mapped by name now (and by release commits at the next
    sync that reads its releases)."""
    project = _project(session, project_id)
    before = (project.repository_id, project.repository_mapped_by)
    if project.repository_mapped_by == CHOSEN:
        project.repository_id = None
        project.repository_mapped_by = None
        session.flush()
        map_projects_by_name(session, [project.id])
        session.refresh(project)
    changed = before != (project.repository_id, project.repository_mapped_by)
    if changed:
        _derive_project(session, config, project)
    return project, changed


def repository_name(session: Session, repository_id: int | None) -> str | None:
    if repository_id is None:
        return None
    return session.scalar(select(Repository.full_name).where(Repository.id == repository_id))
