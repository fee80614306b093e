"""Repositories and developers are found by name, ignoring case, and created once."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veelocity.models import Developer, Repository
from veelocity.store import ensure_developers, ensure_repositories, find_repositories


def test_unknown_repositories_are_created_once(session: Session) -> None:
    first = ensure_repositories(session, ["acme/api", "acme/web"])
    again = ensure_repositories(session, ["acme/api", "acme/web"])
    assert first == again
    assert session.scalar(select(func.count()).select_from(Repository)) == 2


def test_a_name_in_another_case_finds_the_stored_repository(session: Session) -> None:
    stored = ensure_repositories(session, ["Acme/API"])["Acme/API"]
    assert ensure_repositories(session, ["acme/api"]) == {"acme/api": stored}
    assert find_repositories(session, ["ACME/api", "acme/missing"]) == {"ACME/api": stored}
    assert session.scalars(select(Repository.full_name)).all() == ["Acme/API"]


def test_two_spellings_in_one_call_create_one_repository(session: Session) -> None:
    ids = ensure_repositories(session, ["acme/api", "ACME/API"])
    assert ids["acme/api"] == ids["ACME/API"]
    assert session.scalar(select(func.count()).select_from(Repository)) == 1


def test_developers_are_created_by_login(session: Session) -> None:
    ids = ensure_developers(session, ["alice", "bob", ""])
    assert set(ids) == {"alice", "bob"}
    assert ensure_developers(session, ["Alice"]) == {"Alice": ids["alice"]}
    assert sorted(session.scalars(select(Developer.login))) == ["alice", "bob"]
