"""What Linear changes between runs, and the awkward things it sends, each with a clear
outcome: a moved issue, a renamed or deleted state, a deleted team, a cycle without dates,
attachments that are not pull requests, a history longer than one page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from veelocity.demo.linear_model import Attachment, LinearWorkspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear
from veelocity.models import (
    Issue,
    LinearAttachment,
    LinearCycle,
    LinearIssue,
    LinearIssueHistory,
    LinearTeam,
    LinearWorkflowState,
)

from .conftest import Harness, configure_linear


def _later(fake: FakeLinear) -> None:
    fake.advance(timedelta(hours=1))


def test_an_issue_moved_to_another_team_keeps_its_row_with_the_new_identifier(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, _ = served
    harness.run()
    issue = workspace.issues[0]
    target = next(t for t in workspace.teams if t.id != issue.team_id)
    before = harness.count(LinearIssue.id)

    _later(fake)
    moved = fake.move_issue(issue.id, target.id)
    harness.run()

    rows = harness.rows(
        LinearIssue.identifier,
        LinearTeam.external_id,
        where=[LinearIssue.external_id == issue.id, LinearTeam.id == LinearIssue.team_id],
    )
    assert rows == [(f"{target.key}-{moved.number}", target.id)]
    assert harness.count(LinearIssue.id) == before
    entry = moved.history[-1]
    assert harness.values(
        LinearIssueHistory.to_team_external_id, LinearIssueHistory.external_id == entry.id
    ) == {target.id}


def test_a_renamed_state_is_updated_and_a_deleted_one_kept_archived(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, _ = served
    harness.run()
    team = workspace.teams[0]
    renamed, deleted = team.states[1], team.states[2]

    _later(fake)
    fake.rename_state(renamed.id, "Ready for work")
    fake.archive_state(deleted.id)
    harness.run()

    assert harness.values(
        LinearWorkflowState.name, LinearWorkflowState.external_id == renamed.id
    ) == {"Ready for work"}
    archived = harness.values(
        LinearWorkflowState.archived_at, LinearWorkflowState.external_id == deleted.id
    )
    assert len(archived) == 1
    assert None not in archived
    # history entries still name the deleted state
    named = sum(
        1
        for i in workspace.issues
        for e in i.history
        if deleted.id in (e.to_state_id, e.from_state_id)
    )
    assert (
        harness.count(LinearIssueHistory.id, LinearIssueHistory.to_state_external_id == deleted.id)
        + harness.count(
            LinearIssueHistory.id, LinearIssueHistory.from_state_external_id == deleted.id
        )
        == named
    )


def test_a_deleted_team_is_marked_gone_and_its_rows_stay(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, _ = served
    harness.run()
    team = workspace.teams[-1]
    its_issues = harness.count(
        LinearIssue.id, LinearIssue.team_id == LinearTeam.id, LinearTeam.external_id == team.id
    )
    assert its_issues > 0

    _later(fake)
    fake.delete_team(team.id)
    harness.run()

    gone = harness.rows(LinearTeam.external_id, where=[LinearTeam.gone_at.is_not(None)])
    assert gone == [(team.id,)]
    assert (
        harness.count(
            LinearIssue.id, LinearIssue.team_id == LinearTeam.id, LinearTeam.external_id == team.id
        )
        == its_issues
    )


def test_a_cycle_without_dates_is_stored_with_nulls(
    make_harness: Callable[..., Harness], workspace: LinearWorkspace
) -> None:
    cycle = workspace.teams[0].cycles[-1]
    cycle.starts_at = cycle.ends_at = None
    fake = FakeLinear(workspace)
    with run_fake_linear(fake) as base_url:
        harness = make_harness()
        configure_linear(harness.context, api_url=f"{base_url}/graphql", key=DEMO_KEY)
        harness.run()

    assert harness.rows(
        LinearCycle.starts_at, LinearCycle.ends_at, where=[LinearCycle.external_id == cycle.id]
    ) == [(None, None)]


def test_attachments_are_stored_whatever_their_url_and_however_many(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, _ = served
    issue = workspace.issues[3]
    at = issue.created_at
    urls = [
        "https://github.com/acme/api/pull/12",
        "https://docs.google.com/document/d/abc",  # not a pull request: stored all the same
        "https://github.com/acme/web/pull/7",
    ]
    issue.attachments = [
        Attachment(f"att-{n}", url, f"Attachment {n}", at, at, source_type="github")
        for n, url in enumerate(urls)
    ]

    harness.run()

    stored = harness.values(
        LinearAttachment.url,
        LinearAttachment.issue_id == LinearIssue.id,
        LinearIssue.external_id == issue.id,
    )
    assert stored == set(urls)
    assert harness.values(LinearAttachment.external_id) == fake.truth.attachment_ids


def test_a_history_longer_than_its_page_is_followed_to_the_end(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, _ = served
    harness.run()
    issue = workspace.issues[1]
    _later(fake)
    for n in range(30):
        fake.add_history(issue.id, from_estimate=float(n), to_estimate=float(n + 1))

    harness.run()

    assert harness.values(
        LinearIssueHistory.external_id,
        LinearIssueHistory.issue_id == LinearIssue.id,
        LinearIssue.external_id == issue.id,
    ) == {e.id for e in issue.history}
    assert harness.values(LinearIssue.history_complete, LinearIssue.external_id == issue.id) == {
        True
    }
    assert harness.values(LinearIssue.estimate, LinearIssue.external_id == issue.id) == {30.0}


def test_issues_are_tracker_issues_closed_as_completed_or_not_planned_with_label_names(
    harness: Harness, workspace: LinearWorkspace
) -> None:
    harness.run()

    labels = {label.id: label.name for label in workspace.labels}
    for issue in workspace.issues[:50]:
        state = workspace.state(issue.state_id)
        expected_state = "closed" if state.type in ("completed", "canceled") else "open"
        reason = {"completed": "completed", "canceled": "not_planned"}.get(state.type)
        rows = harness.rows(
            Issue.state,
            Issue.state_reason,
            Issue.labels,
            where=[Issue.source == "linear", Issue.external_id == issue.id],
        )
        assert rows == [(expected_state, reason, [labels[i] for i in issue.label_ids])]
