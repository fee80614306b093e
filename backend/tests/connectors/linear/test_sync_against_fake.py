"""A Linear sync against the fake stores exactly what the fake holds, and a second run with
nothing changed costs one request."""

from __future__ import annotations

from veelocity.fakes.linear import FakeLinear
from veelocity.models import (
    Issue,
    LinearAttachment,
    LinearCycle,
    LinearIssue,
    LinearIssueHistory,
    LinearTeam,
    LinearUser,
    LinearWorkflowState,
)

from .conftest import Harness


def test_a_full_sync_stores_what_the_fake_holds(
    harness: Harness, served: tuple[FakeLinear, str]
) -> None:
    fake, _ = served
    truth = fake.truth

    harness.run()

    assert harness.values(LinearTeam.external_id) == truth.team_ids
    assert harness.values(LinearWorkflowState.external_id) == truth.state_ids
    assert harness.values(LinearCycle.external_id) == truth.cycle_ids
    assert harness.values(LinearUser.external_id) == truth.user_ids
    assert harness.values(LinearIssue.external_id) == truth.issue_ids
    assert harness.values(LinearIssue.identifier) == truth.identifiers
    assert harness.values(LinearIssueHistory.external_id) == truth.history_ids
    assert harness.values(LinearAttachment.external_id) == truth.attachment_ids
    assert harness.count(LinearIssue.id, LinearIssue.history_complete.is_(False)) == 0
    # each Linear issue is also a tracker-neutral issue
    assert harness.values(Issue.external_id, Issue.source == "linear") == truth.issue_ids


def test_a_run_with_nothing_changed_costs_one_request(
    harness: Harness, served: tuple[FakeLinear, str]
) -> None:
    harness.run()
    before = harness.reporter.requests

    harness.run()

    assert harness.reporter.requests - before == 1
