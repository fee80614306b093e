"""Invariants of the flow figures on random histories (pure, no database)."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import T0, at
from veelocity.derive.linear_flow import (
    IssueFacts,
    LinkedPullRequest,
    StateMove,
    compute_flow,
    compute_to_production,
)

STATES = {
    "triage": "triage",
    "backlog": "backlog",
    "todo": "unstarted",
    "doing": "started",
    "done": "completed",
    "dropped": "canceled",
}
_state = st.sampled_from(sorted(STATES))
_gaps = st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=12)


@st.composite
def histories(draw: st.DrawFn) -> IssueFacts:
    first = draw(_state)
    moves, previous, when = [], first, T0
    for gap in draw(_gaps):
        when += timedelta(minutes=gap)
        state = draw(_state)
        moves.append(StateMove(when, previous, state))
        previous = state
    return IssueFacts(created_at=T0, current_type=STATES[previous], moves=moves)


@settings(max_examples=300, deadline=None)
@given(histories())
def test_flow_figures_agree_with_the_history(facts: IssueFacts) -> None:
    flow = compute_flow(facts, STATES)
    entered_at = [T0] + [m.at for m in facts.moves]
    # every state left is counted once: the sum runs from creation to the last move
    assert sum(flow.state_type_seconds.values()) == int((entered_at[-1] - T0).total_seconds())
    final = STATES[facts.moves[-1].to_state or ""] if facts.moves else facts.current_type
    assert flow.is_canceled == (final == "canceled")
    assert (flow.completed_at is not None) == (final == "completed")
    if flow.completed_at is not None:
        assert flow.lead_seconds == int((flow.completed_at - T0).total_seconds())
    if flow.started_at is not None and flow.completed_at is not None:
        assert flow.started_at <= flow.completed_at
        assert flow.cycle_seconds == int((flow.completed_at - flow.started_at).total_seconds())
    else:
        assert flow.cycle_seconds is None


_hours = st.integers(min_value=0, max_value=500)


@st.composite
def linked_prs(draw: st.DrawFn) -> LinkedPullRequest:
    created = draw(_hours)
    first_commit = draw(st.none() | st.integers(min_value=0, max_value=created))
    merged = draw(st.none() | st.integers(min_value=created, max_value=created + 100))
    deployed = None if merged is None else draw(st.none() | st.integers(merged, merged + 50))
    return LinkedPullRequest(
        first_commit_at=None if first_commit is None else at(first_commit),
        created_at=at(created),
        merged_at=None if merged is None else at(merged),
        deployed_at=None if deployed is None else at(deployed),
        deployment_id=deployed,
    )


@settings(max_examples=300, deadline=None)
@given(_hours, st.none() | _hours, st.lists(linked_prs(), max_size=5))
def test_the_three_parts_add_up_to_issue_to_production(
    created: int, started: int | None, prs: list[LinkedPullRequest]
) -> None:
    result = compute_to_production(
        created_at=at(created), started_at=None if started is None else at(started), prs=prs
    )
    shipped = [p.deployed_at for p in prs if p.deployed_at is not None]
    assert result.deployed_at == (min(shipped) if shipped else None)
    if result.seconds is None:
        return
    parts = (result.before_pr_seconds, result.pr_cycle_seconds, result.deploy_seconds)
    assert all(part is not None and part >= 0 for part in parts)
    assert sum(part or 0 for part in parts) == result.seconds
