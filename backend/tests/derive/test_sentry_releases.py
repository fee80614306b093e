"""Sentry releases map to the first production deployment that shipped them: by commit (or a
prefix of 7 characters or more), or by SENTRY_RELEASE_PATTERN naming a commit or a GitHub
release's tag."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_repository
from tests.derive.sentry_builders import make_sentry_project, make_sentry_release, sentry_changes
from veelocity.derive import ChangeSet, DeriveConfig, derive_changes

config = DeriveConfig()
SHA = "3f9c2ab41d" + "0" * 30


def _derive(session: Session, derive_config: DeriveConfig = config) -> None:
    derive_changes(session, derive_config, everything(session).merge(sentry_changes(session)))


def test_a_release_named_by_a_commit_prefix_maps_to_the_first_production_deployment(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA, environment="staging")
    first = make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    make_deployment(db_session, repo, finished_at=at(3), commit_sha=SHA)
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(db_session, project, SHA[:7], created_at=at(0))
    _derive(db_session)
    assert release.deployment_id == first.id


def test_a_short_or_unknown_version_maps_to_nothing(db_session: Session) -> None:
    repo = make_repository(db_session)
    make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    project = make_sentry_project(db_session, repo)
    short = make_sentry_release(db_session, project, SHA[:6], created_at=at(0))
    unknown = make_sentry_release(db_session, project, "api@2.0.0", created_at=at(0))
    _derive(db_session)
    assert (short.deployment_id, unknown.deployment_id) == (None, None)


def test_the_last_commit_maps_a_release_with_any_version(db_session: Session) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(
        db_session, project, "api@2.0.0", created_at=at(0), last_commit_sha=SHA
    )
    _derive(db_session)
    assert release.deployment_id == deployment.id


def test_only_the_mapped_repository_s_deployments_count(db_session: Session) -> None:
    repo = make_repository(db_session, "acme/api")
    other = make_repository(db_session, "acme/web")
    make_deployment(db_session, other, finished_at=at(1), commit_sha=SHA)
    own = make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(db_session, project, SHA, created_at=at(0))
    _derive(db_session)
    assert release.deployment_id == own.id


def test_the_release_pattern_names_a_github_release_by_its_tag(db_session: Session) -> None:
    repo = make_repository(db_session)
    tagged = make_deployment(
        db_session,
        repo,
        finished_at=at(2),
        environment="production",
        source="github",
        name="v1.4.0",
        url="https://github.example/acme/api/releases/tag/v1.4.0",
    )
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(db_session, project, "api@1.4.0", created_at=at(0))
    _derive(db_session)
    assert release.deployment_id is None
    _derive(db_session, replace(config, sentry_release_pattern=r"[^@]+@v?(.+)"))
    assert release.deployment_id == tagged.id


def test_the_release_pattern_names_a_commit(db_session: Session) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(db_session, project, f"api@{SHA[:9]}", created_at=at(0))
    _derive(db_session, replace(config, sentry_release_pattern=r"@([0-9a-f]{7,40})$"))
    assert release.deployment_id == deployment.id


def test_a_deployment_arriving_later_maps_the_waiting_release(db_session: Session) -> None:
    repo = make_repository(db_session)
    project = make_sentry_project(db_session, repo)
    release = make_sentry_release(db_session, project, SHA, created_at=at(0))
    _derive(db_session)
    assert release.deployment_id is None
    deployment = make_deployment(db_session, repo, finished_at=at(2), commit_sha=SHA)
    derive_changes(db_session, config, ChangeSet(deployment_ids={deployment.id}))
    assert release.deployment_id == deployment.id
