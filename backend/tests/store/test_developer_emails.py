"""Developers get the e-mail their commits give (to match them to Linear users), and a
pull request's description references survive a write that did not read the description."""

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.conftest import T0, make_pull_request
from veelocity.models import Developer, PullRequest
from veelocity.records import PullRequestCommitRecord
from veelocity.store import write_pull_requests


def _emails(session: Session) -> dict[str, str | None]:
    rows = session.execute(select(Developer.login, Developer.email))
    return {login: email for login, email in rows}


def test_a_commit_authors_e_mail_is_given_to_the_developer_with_that_login(
    session: Session,
) -> None:
    commits = (
        PullRequestCommitRecord("c1", T0, author_login="Alice", author_email="alice@acme.test"),
        PullRequestCommitRecord("c2", T0, author_login="bob", author_email="bob@acme.test"),
    )
    write_pull_requests(session, [make_pull_request(commits=commits)])
    assert _emails(session) == {"alice": "alice@acme.test", "bob": "bob@acme.test"}


def test_the_first_real_address_is_kept_and_placeholders_are_ignored(session: Session) -> None:
    placeholder = "1234+alice@users.noreply.github.com"
    first = (PullRequestCommitRecord("c1", T0, author_login="alice", author_email=placeholder),)
    write_pull_requests(session, [make_pull_request(commits=first)])
    assert _emails(session)["alice"] is None
    real = (PullRequestCommitRecord("c1", T0, author_login="alice", author_email="a@acme.test"),)
    write_pull_requests(session, [make_pull_request(commits=real)])
    other = (PullRequestCommitRecord("c1", T0, author_login="alice", author_email="z@acme.test"),)
    write_pull_requests(session, [make_pull_request(commits=other)])
    assert _emails(session)["alice"] == "a@acme.test"


def test_description_references_are_kept_when_a_write_did_not_read_the_description(
    session: Session,
) -> None:
    write_pull_requests(session, [make_pull_request(body_references=("ENG-1",))])
    report = write_pull_requests(session, [make_pull_request()])
    assert report.changes.is_empty()
    assert session.scalars(select(PullRequest.body_references)).one() == ["ENG-1"]

    report = write_pull_requests(session, [make_pull_request(body_references=("ENG-2",))])
    pr = session.scalars(select(PullRequest)).one()
    assert pr.body_references == ["ENG-2"]
    assert report.changes.pull_request_ids == {pr.id}
    # an emptied description clears them
    write_pull_requests(session, [replace(make_pull_request(), body_references=())])
    session.expire_all()
    assert session.scalars(select(PullRequest.body_references)).one() == []
