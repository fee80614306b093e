"""Linear users become the developers with the same e-mail unless someone chose in People;
a run reports its progress per stream and stops between pages when cancelled."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import update

from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear import FakeLinear
from veelocity.models import Developer, LinearIssue, LinearUser
from veelocity.sync.context import SilentReporter, SyncCancelled

from .conftest import Harness


def _developer(harness: Harness, login: str, email: str | None) -> int:
    with harness.context.session_factory.begin() as session:
        developer = Developer(login=login, email=email)
        session.add(developer)
        session.flush()
        return developer.id


def test_users_are_matched_to_developers_by_email_unless_chosen_in_people(
    harness: Harness, workspace: LinearWorkspace
) -> None:
    first, second, third = workspace.users[:3]
    matched = _developer(harness, "ada", first.email.upper())  # case does not matter
    chosen_elsewhere = _developer(harness, "grace", second.email)
    harness.run()
    # someone chooses in People: the second user is nobody, whatever the e-mail says
    with harness.context.session_factory.begin() as session:
        session.execute(
            update(LinearUser)
            .where(LinearUser.external_id == second.id)
            .values(developer_id=None, developer_chosen=True)
        )
    # a developer whose e-mail arrives later (another source's sync) is matched next run
    later = _developer(harness, "linus", third.email)

    harness.run()

    by_user = dict(harness.rows(LinearUser.external_id, LinearUser.developer_id))
    assert by_user[first.id] == matched
    assert by_user[second.id] is None
    assert chosen_elsewhere not in by_user.values()
    assert by_user[third.id] == later
    assert {by_user[u.id] for u in workspace.users[3:]} == {None}


def test_progress_is_reported_per_stream(harness: Harness) -> None:
    harness.run()

    streams = harness.reporter.streams
    assert streams["issues"] == harness.count(LinearIssue.id)
    assert streams["users"] > 0
    assert streams["workflow_states"] > 0
    assert harness.reporter.requests >= 2


@dataclass
class CancelOnceWritten(SilentReporter):
    """Asks the run to stop as soon as a page was written."""

    def cancel_requested(self) -> bool:
        return self.items > 0


def test_a_cancelled_run_stops_between_pages_and_the_next_one_continues(
    harness: Harness, served: tuple[FakeLinear, str]
) -> None:
    fake, _ = served
    reporter = CancelOnceWritten()
    cancelled = Harness(
        type(harness.context)(
            session_factory=harness.context.session_factory,
            settings=harness.context.settings,
            cipher=harness.context.cipher,
            reporter=reporter,
        ),
        reporter,
        harness.sync,
    )

    with pytest.raises(SyncCancelled):
        cancelled.run()
    assert fake.stats.requests == 1  # stopped after the first page
    assert 0 < harness.count(LinearIssue.id) < len(fake.truth.issue_ids)

    harness.run()

    assert harness.values(LinearIssue.external_id) == fake.truth.issue_ids
