"""Pull requests upsert by (source, external_id); commits and events are replaced as sets."""

from dataclasses import replace
from datetime import timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.store.conftest import T0, make_pull_request
from veelocity.models import Developer, PullRequest, PullRequestCommit, PullRequestEvent
from veelocity.records import PullRequestCommitRecord, PullRequestEventRecord
from veelocity.store import write_pull_requests


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_new_pull_request_is_created_with_its_commits_events_and_people(
    session: Session,
) -> None:
    report = write_pull_requests(session, [make_pull_request()])

    assert (report.received, report.created, report.updated, report.unchanged) == (1, 1, 0, 0)
    pr = session.scalars(select(PullRequest)).one()
    assert report.changes.pull_request_ids == {pr.id}
    assert (pr.source, pr.external_id, pr.author_login, pr.state) == (
        "gitlab",
        "101",
        "alice",
        "merged",
    )
    assert pr.merged_at == T0 + timedelta(hours=5)
    assert pr.labels == ["feature"]
    assert session.scalars(select(PullRequestCommit.sha)).all() == ["c1"]
    event = session.scalars(select(PullRequestEvent)).one()
    assert (event.kind, event.actor_login, event.state) == ("review", "bob", "APPROVED")
    assert sorted(session.scalars(select(Developer.login))) == ["alice", "bob"]


def test_sending_the_same_pull_request_again_changes_nothing(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    report = write_pull_requests(session, [make_pull_request()])

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert report.changes.is_empty()
    assert _count(session, PullRequest) == 1
    assert _count(session, PullRequestCommit) == 1
    assert _count(session, PullRequestEvent) == 1


def test_a_changed_field_updates_the_row_and_keeps_derived_columns(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    pr = session.scalars(select(PullRequest)).one()
    pr.coding_seconds = 42  # as derive would have written
    session.flush()

    report = write_pull_requests(session, [make_pull_request(title="Export invoices as CSV")])

    assert (report.created, report.updated) == (0, 1)
    assert report.changes.pull_request_ids == {pr.id}
    session.refresh(pr)
    assert pr.title == "Export invoices as CSV"
    assert pr.coding_seconds == 42


def test_an_equal_time_in_another_zone_is_not_a_change(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    paris = timezone(timedelta(hours=1))
    report = write_pull_requests(session, [make_pull_request(created_at=T0.astimezone(paris))])
    assert report.unchanged == 1


def test_commits_and_events_given_replace_the_stored_sets(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    commits = (
        PullRequestCommitRecord("c2", T0 - timedelta(hours=1)),
        PullRequestCommitRecord("c3", T0),
    )
    events = (
        PullRequestEventRecord("comment", "carol", T0 + timedelta(hours=1)),
        PullRequestEventRecord("review", "bob", T0 + timedelta(hours=2), state="APPROVED"),
    )
    report = write_pull_requests(session, [make_pull_request(commits=commits, events=events)])

    assert report.updated == 1
    assert sorted(session.scalars(select(PullRequestCommit.sha))) == ["c2", "c3"]
    assert sorted(session.scalars(select(PullRequestEvent.actor_login))) == ["bob", "carol"]


def test_commits_and_events_left_out_are_kept(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    report = write_pull_requests(session, [make_pull_request(commits=None, events=None)])

    assert report.unchanged == 1
    assert _count(session, PullRequestCommit) == 1
    assert _count(session, PullRequestEvent) == 1


def test_empty_commits_and_events_clear_them(session: Session) -> None:
    write_pull_requests(session, [make_pull_request()])
    report = write_pull_requests(session, [make_pull_request(commits=(), events=())])

    assert report.updated == 1
    assert _count(session, PullRequestCommit) == 0
    assert _count(session, PullRequestEvent) == 0


def test_repeated_commits_and_events_in_one_record_are_stored_once(session: Session) -> None:
    at = T0 + timedelta(hours=1)
    record = make_pull_request(
        commits=(PullRequestCommitRecord("c1", T0), PullRequestCommitRecord("c1", T0)),
        events=(
            PullRequestEventRecord("review", "bob", at, state="COMMENTED"),
            PullRequestEventRecord("review", "bob", at, state="APPROVED"),
        ),
    )
    write_pull_requests(session, [record])

    assert _count(session, PullRequestCommit) == 1
    assert session.scalars(select(PullRequestEvent.state)).all() == ["APPROVED"]


def test_a_batch_creates_updates_and_keeps_in_one_call(session: Session) -> None:
    write_pull_requests(session, [make_pull_request(), make_pull_request(external_id="102")])
    report = write_pull_requests(
        session,
        [
            make_pull_request(),
            make_pull_request(external_id="102", state="closed", merged_at=None),
            make_pull_request(external_id="103", number=103),
        ],
    )
    assert (report.received, report.created, report.updated, report.unchanged) == (3, 1, 1, 1)
    assert len(report.changes.pull_request_ids) == 2


def test_the_same_external_id_from_two_sources_is_two_pull_requests(session: Session) -> None:
    write_pull_requests(
        session, [make_pull_request(), replace(make_pull_request(), source="bitbucket")]
    )
    assert _count(session, PullRequest) == 2
