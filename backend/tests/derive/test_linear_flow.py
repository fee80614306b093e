"""An issue's flow figures and issue-to-production from its history (pure, no database)."""

from datetime import datetime

import pytest

from tests.builders import at
from veelocity.derive.linear_flow import (
    IssueFacts,
    LinkedPullRequest,
    StateMove,
    compute_flow,
    compute_to_production,
)
from veelocity.records.references import body_references, issue_identifiers

TYPES = {
    "triage": "triage",
    "backlog": "backlog",
    "todo": "unstarted",
    "doing": "started",
    "review": "started",
    "done": "completed",
    "wontfix": "canceled",
}
HOUR = 3600


def _facts(*path: tuple[float, str], current: str | None = None) -> IssueFacts:
    """Created in path[0]'s state at its hour; then a move at each later (hour, state)."""
    (created, first), *later = path
    moves, previous = [], first
    for hours, state in later:
        moves.append(StateMove(at(hours), previous, state))
        previous = state
    return IssueFacts(
        created_at=at(created),
        current_type=TYPES[current or previous],
        moves=moves,
    )


def test_a_completed_issue_has_lead_and_cycle_time_and_time_in_each_state_type() -> None:
    flow = compute_flow(
        _facts((0, "backlog"), (2, "todo"), (5, "doing"), (8, "review"), (9, "done")), TYPES
    )
    assert (flow.started_at, flow.completed_at) == (at(5), at(9))
    assert flow.lead_seconds == 9 * HOUR
    assert flow.cycle_seconds == 4 * HOUR
    assert flow.state_type_seconds == {
        "backlog": 2 * HOUR,
        "unstarted": 3 * HOUR,
        "started": 4 * HOUR,
    }
    assert not flow.is_canceled


def test_started_is_the_first_start_and_completed_the_last_completion() -> None:
    flow = compute_flow(
        _facts((0, "todo"), (1, "doing"), (3, "done"), (4, "doing"), (6, "done")), TYPES
    )
    assert (flow.started_at, flow.completed_at) == (at(1), at(6))
    assert flow.cycle_seconds == 5 * HOUR
    assert flow.state_type_seconds == {"unstarted": HOUR, "started": 4 * HOUR, "completed": HOUR}


def test_a_reopened_issue_that_is_not_completed_now_has_no_completion() -> None:
    flow = compute_flow(_facts((0, "todo"), (1, "doing"), (3, "done"), (4, "doing")), TYPES)
    assert flow.started_at == at(1)
    assert flow.completed_at is None
    assert flow.lead_seconds is None
    assert flow.cycle_seconds is None
    # the current state is still running: only the states it left are counted
    assert flow.state_type_seconds == {"unstarted": HOUR, "started": 2 * HOUR, "completed": HOUR}


def test_an_issue_completed_without_being_started_has_lead_time_but_no_cycle_time() -> None:
    flow = compute_flow(_facts((0, "backlog"), (4, "done")), TYPES)
    assert flow.started_at is None
    assert flow.lead_seconds == 4 * HOUR
    assert flow.cycle_seconds is None


def test_a_cancelled_issue_is_marked_and_has_no_completion() -> None:
    flow = compute_flow(_facts((0, "todo"), (1, "doing"), (2, "wontfix")), TYPES)
    assert flow.is_canceled
    assert flow.completed_at is None
    assert flow.lead_seconds is None


def test_an_issue_created_in_a_started_state_started_when_it_was_created() -> None:
    flow = compute_flow(_facts((0, "doing"), (2, "done")), TYPES)
    assert flow.started_at == at(0)
    assert flow.cycle_seconds == 2 * HOUR


def test_a_move_into_a_state_nobody_can_type_starts_nothing_and_counts_no_time() -> None:
    facts = IssueFacts(
        created_at=at(0),
        current_type="completed",
        moves=[
            StateMove(at(1), "todo", "deleted-state"),
            StateMove(at(3), "deleted-state", "done"),
        ],
    )
    flow = compute_flow(facts, TYPES)
    assert flow.started_at is None
    assert flow.completed_at == at(3)
    assert flow.state_type_seconds == {"unstarted": HOUR}


def test_without_state_history_the_dates_linear_reports_are_used() -> None:
    facts = IssueFacts(
        created_at=at(0),
        current_type="completed",
        moves=[],
        reported_started_at=at(2),
        reported_completed_at=at(7),
    )
    flow = compute_flow(facts, TYPES)
    assert (flow.started_at, flow.completed_at) == (at(2), at(7))
    assert (flow.lead_seconds, flow.cycle_seconds) == (7 * HOUR, 5 * HOUR)


def _pr(
    first_commit: float | None,
    merged: float | None,
    deployed: float | None,
    deployment: int | None = None,
    created: float = 0,
) -> LinkedPullRequest:
    def when(hours: float | None) -> datetime | None:
        return None if hours is None else at(hours)

    return LinkedPullRequest(
        first_commit_at=when(first_commit),
        created_at=at(created),
        merged_at=when(merged),
        deployed_at=when(deployed),
        deployment_id=deployment,
    )


def test_issue_to_production_runs_from_start_to_the_first_deployment_in_three_parts() -> None:
    result = compute_to_production(
        created_at=at(0),
        started_at=at(2),
        prs=[_pr(4, 10, 12, deployment=7), _pr(6, 11, 20, deployment=9)],
    )
    assert (result.deployment_id, result.deployed_at) == (7, at(12))
    assert result.seconds == 10 * HOUR
    assert result.before_pr_seconds == 2 * HOUR  # started → first commit
    assert result.pr_cycle_seconds == 6 * HOUR  # first commit → merge
    assert result.deploy_seconds == 2 * HOUR  # merge → production


def test_issue_to_production_starts_at_creation_when_the_issue_was_never_started() -> None:
    result = compute_to_production(created_at=at(1), started_at=None, prs=[_pr(3, 5, 6, 1)])
    assert result.seconds == 5 * HOUR
    assert (result.before_pr_seconds, result.pr_cycle_seconds, result.deploy_seconds) == (
        2 * HOUR,
        2 * HOUR,
        HOUR,
    )


def test_work_committed_before_the_issue_started_counts_no_time_before_the_pr() -> None:
    result = compute_to_production(created_at=at(0), started_at=at(5), prs=[_pr(1, 8, 9, 1)])
    assert result.seconds == 4 * HOUR
    assert (result.before_pr_seconds, result.pr_cycle_seconds, result.deploy_seconds) == (
        0,
        3 * HOUR,
        HOUR,
    )


@pytest.mark.parametrize(
    "prs",
    [[], [_pr(1, None, None)], [_pr(1, 3, None)]],
    ids=["no linked PR", "an open PR", "a merged PR not deployed yet"],
)
def test_no_issue_to_production_until_a_linked_merged_pr_reaches_production(
    prs: list[LinkedPullRequest],
) -> None:
    result = compute_to_production(created_at=at(0), started_at=None, prs=prs)
    assert (result.deployment_id, result.seconds) == (None, None)


def test_an_issue_started_after_its_pr_shipped_keeps_the_deployment_but_no_time() -> None:
    result = compute_to_production(created_at=at(0), started_at=at(10), prs=[_pr(1, 2, 3, 4)])
    assert (result.deployment_id, result.deployed_at, result.seconds) == (4, at(3), None)


def test_identifiers_are_found_upper_cased_in_order_without_repeats() -> None:
    text = "Fixes eng-12 and ENG-12, see OPS-7; not 1eng-3, ENG-4a or a-b-c"
    assert issue_identifiers(text) == ["ENG-12", "OPS-7"]
    assert issue_identifiers("alice/eng-123-add-audit-log") == ["ENG-123"]
    assert issue_identifiers(None) == []


def test_a_description_keeps_at_most_fifty_references() -> None:
    body = " ".join(f"ENG-{n}" for n in range(1, 80))
    references = body_references(body)
    assert len(references) == 50
    assert references[0] == "ENG-1"
