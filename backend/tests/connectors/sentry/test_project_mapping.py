"""Sentry projects map to repositories by name, else by the commits of their releases; a
repository an admin chose stays chosen."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.models import Commit, Repository
from veelocity.models.sentry import SentryProject

from .conftest import Harness

CREATED = datetime(2025, 1, 1, tzinfo=UTC)


def _repositories(harness: Harness, *names: str) -> dict[str, int]:
    with harness.context.session_factory() as session, session.begin():
        rows = [Repository(full_name=name, created_at=CREATED) for name in names]
        session.add_all(rows)
        session.flush()
        return {row.full_name: row.id for row in rows}


def _mapping(harness: Harness) -> dict[str, tuple[int | None, str | None]]:
    return {
        slug: (repository_id, mapped_by)
        for slug, repository_id, mapped_by in harness.rows(
            SentryProject.slug, SentryProject.repository_id, SentryProject.repository_mapped_by
        )
    }


def test_a_project_maps_to_the_repository_its_slug_names(harness: Harness) -> None:
    ids = _repositories(harness, "acme/backend", "web", "acme/unrelated")

    harness.run()

    mapping = _mapping(harness)
    assert mapping["backend"] == (ids["acme/backend"], "name")
    assert mapping["web"] == (ids["web"], "name")


def test_a_name_two_repositories_share_maps_nothing(harness: Harness) -> None:
    _repositories(harness, "acme/backend", "legacy/backend")

    harness.run()

    assert _mapping(harness)["backend"] == (None, None)


def test_a_project_no_name_maps_follows_its_releases_commits(
    harness: Harness, organisation: SentryOrganisation
) -> None:
    ids = _repositories(harness, "acme/payments")
    payments = next(p for p in organisation.projects if p.slug == "payments-api")
    shas = {
        release.last_commit
        for release in organisation.releases
        if payments.id in release.projects and release.last_commit
    }
    with harness.context.session_factory() as session, session.begin():
        session.add_all(Commit(repository_id=ids["acme/payments"], sha=sha) for sha in shas)

    harness.run()

    assert _mapping(harness)["payments-api"] == (ids["acme/payments"], "release_commits")


def test_a_chosen_repository_is_never_replaced(harness: Harness) -> None:
    ids = _repositories(harness, "acme/backend", "acme/monolith")
    harness.run()
    with harness.context.session_factory() as session, session.begin():
        session.execute(
            update(SentryProject)
            .where(SentryProject.slug == "backend")
            .values(repository_id=ids["acme/monolith"], repository_mapped_by="chosen")
        )

    harness.run()

    assert _mapping(harness)["backend"] == (ids["acme/monolith"], "chosen")
