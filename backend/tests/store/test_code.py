"""Repositories and the commit graph."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.conftest import T0
from veelocity.models import Commit, Repository
from veelocity.records import CommitRecord, RepositoryRecord
from veelocity.store import write_commits, write_repositories


def test_repositories_are_created_and_their_default_branch_set(session: Session) -> None:
    created = write_repositories(session, [RepositoryRecord("acme/api")])
    updated = write_repositories(session, [RepositoryRecord("acme/api", default_branch="main")])
    unchanged = write_repositories(session, [RepositoryRecord("acme/api", "main")])

    assert (created.created, updated.updated, unchanged.unchanged) == (1, 1, 1)
    assert session.scalars(select(Repository.default_branch)).one() == "main"


def test_new_commits_mark_their_repository_for_derive(session: Session) -> None:
    records = [
        CommitRecord("acme/api", "a1", (), T0, T0),
        CommitRecord("acme/api", "a2", ("a1",), T0 + timedelta(hours=1)),
    ]
    first = write_commits(session, records)
    again = write_commits(session, records)

    repository_id = session.scalars(select(Repository.id)).one()
    assert (first.created, first.changes.repository_ids_with_new_commits) == (2, {repository_id})
    assert (again.unchanged, again.changes.is_empty()) == (2, True)
    assert session.scalars(select(Commit.parents).where(Commit.sha == "a2")).one() == ["a1"]


def test_a_later_record_fills_in_what_an_earlier_one_lacked(session: Session) -> None:
    write_commits(session, [CommitRecord("acme/api", "a1")])
    report = write_commits(session, [CommitRecord("acme/api", "a1", (), T0, T0)])
    assert report.updated == 1
    assert session.scalars(select(Commit.authored_at)).one() == T0
