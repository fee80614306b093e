"""End to end: a generated Linear workspace synced from the fake by the real connector and
derived by the real derive gives the issue figures the reference computes from the
workspace's own truth (its issues' histories)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.connectors.linear import conftest as linear_sync
from tests.metrics import issue_reference as ref
from veelocity.demo.linear import generate_workspace
from veelocity.demo.linear_model import LinearWorkspace
from veelocity.derive import DeriveConfig, derive_all
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear
from veelocity.metrics.issues.cycles import cycle_detail
from veelocity.metrics.issues.flow import issue_metric
from veelocity.metrics.issues.scope import IssueQuery
from veelocity.metrics.issues.wip import wip_figures
from veelocity.metrics.query import MetricQuery
from veelocity.models import LinearCycle, LinearTeam

SMALL = linear_sync.SMALL
NOW = SMALL.now
assert NOW is not None
make_harness = linear_sync.make_harness  # the Linear sync tests' fixture


@pytest.fixture
def generated() -> LinearWorkspace:
    return generate_workspace(SMALL)


@pytest.fixture
def synced(
    make_harness: Callable[..., linear_sync.Harness], generated: LinearWorkspace
) -> Iterator[linear_sync.Harness]:
    """The generated workspace served by the fake and synced by the connector."""
    with run_fake_linear(FakeLinear(generated)) as base_url:
        harness = make_harness()
        linear_sync.configure_linear(harness.context, api_url=f"{base_url}/graphql", key=DEMO_KEY)
        harness.run()
        yield harness


WINDOW = (NOW - timedelta(days=28), NOW)


def truth_by_team(workspace: LinearWorkspace) -> dict[str, list[ref.GenIssue]]:
    """Each team's issues as the reference sees them: state types and cycles over time."""
    cycles = {c.id: c.id for t in workspace.teams for c in t.cycles}
    index = {cycle_id: n for n, cycle_id in enumerate(sorted(cycles))}

    def kind(state_id: str | None) -> str:
        return workspace.state(state_id).type if state_id else "unknown"

    found: dict[str, list[ref.GenIssue]] = defaultdict(list)
    for issue in workspace.issues:
        history = sorted(issue.history, key=lambda h: h.created_at)
        states = [h for h in history if h.to_state_id and h.to_state_id != h.from_state_id]
        moved = [h for h in history if h.from_cycle_id != h.to_cycle_id]
        first_state = kind(states[0].from_state_id) if states else kind(issue.state_id)
        first_cycle = moved[0].from_cycle_id if moved else issue.cycle_id
        gen = ref.GenIssue(
            issue.created_at,
            first_state,
            index[first_cycle] if first_cycle else None,
            estimate=issue.estimate,
        )
        for entry in history:
            state = kind(entry.to_state_id) if entry in states else None
            cycle = None
            if entry in moved:
                cycle = index[entry.to_cycle_id] if entry.to_cycle_id else ref.NO_CYCLE
            if state is not None or cycle is not None:
                gen.moves.append(ref.GenMove(entry.created_at, state, cycle))
        found[issue.team_id].append(gen)
    return found


def test_synced_issues_give_the_reference_figures(
    synced: linear_sync.Harness, generated: LinearWorkspace
) -> None:
    workspace = generated
    truth = truth_by_team(workspace)
    order = sorted({c.id for t in workspace.teams for c in t.cycles})
    with synced.context.session_factory() as session:
        derive_all(session, DeriveConfig())
        session.commit()
        teams = dict(session.execute(select(LinearTeam.external_id, LinearTeam.id)).all())
        checked_cycles = 0
        for team in workspace.teams:
            issues = truth[team.id]
            query = IssueQuery(MetricQuery(*WINDOW), linear_team_id=teams[team.id])
            figures = wip_figures(session, query)
            days = [d.day for d in figures.days]
            assert [d.wip for d in figures.days] == [ref.wip_on(issues, d) for d in days]
            assert [d.backlog for d in figures.days] == [ref.backlog_on(issues, d) for d in days]
            done = ref.completed_between(issues, *WINDOW)
            lead = issue_metric(session, "issue-lead-time", query, with_series=False)
            values = [v for i in done if (v := i.lead_seconds()) is not None]
            # derive keeps whole seconds; the generated times have fractions
            assert lead.sample_size == len(values)
            assert lead.value == pytest.approx(ref.median(values), abs=1)
            for cycle in team.cycles:
                if cycle.starts_at is None or cycle.ends_at is None or cycle.starts_at > NOW:
                    continue
                stored = session.scalar(
                    select(LinearCycle.id).where(LinearCycle.external_id == cycle.id)
                )
                assert stored is not None
                detail = cycle_detail(session, stored, now=NOW)
                assert detail.figures is not None
                f = detail.figures
                expected = ref.cycle_counts(
                    issues, order.index(cycle.id), cycle.starts_at, min(cycle.ends_at, NOW)
                )
                assert (
                    len(f.committed),
                    len(f.added),
                    len(f.removed),
                    len(f.completed),
                    len(f.carried_over),
                ) == (
                    expected.committed,
                    expected.added,
                    expected.removed,
                    expected.completed,
                    expected.carried_over,
                ), (team.key, cycle.number)
                checked_cycles += 1
        assert checked_cycles > 0


def test_the_window_ends_now() -> None:
    assert isinstance(WINDOW[1], datetime)
