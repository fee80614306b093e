"""Linear's refusals and limits, each with a clear outcome, and nothing stored lost: a bad
key, a team the key lost access to, rate limits in both of Linear's forms in the middle of a
run, a complexity allowance too low for the next query."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, KeySpec, RateLimits, run_fake_linear
from veelocity.models import LinearIssue, LinearTeam
from veelocity.sync.context import BudgetExhausted, SyncError

from .conftest import Harness, configure_linear


def test_a_bad_key_fails_the_run_naming_settings(
    harness: Harness, served: tuple[FakeLinear, str]
) -> None:
    _, base_url = served
    configure_linear(harness.context, api_url=f"{base_url}/graphql", key="lin_api_wrong")

    with pytest.raises(SyncError) as failed:
        harness.run()

    assert failed.value.code == "bad_credentials"
    assert "Settings → Linear" in failed.value.message


@pytest.mark.parametrize("status", [400, 429])
def test_a_rate_limit_mid_run_is_waited_out_and_the_run_completes(
    harness: Harness, served: tuple[FakeLinear, str], status: int
) -> None:
    fake, _ = served
    # the second request is refused once, with Retry-After: 1
    fake.faults.add("rate_limited", path="Changes", skip=1, status=status, seconds=1)

    harness.run()

    assert fake.stats.rate_limited == 1
    assert harness.values(LinearIssue.external_id) == fake.truth.issue_ids


def test_a_long_rate_limit_stops_the_run_and_the_next_resumes_without_duplicates(
    harness: Harness, served: tuple[FakeLinear, str]
) -> None:
    fake, _ = served
    fake.faults.add("rate_limited", path="Changes", skip=2, seconds=3600)

    with pytest.raises(SyncError) as stopped:
        harness.run()
    assert stopped.value.code == "rate_limited"
    assert stopped.value.resets_at is not None
    kept = harness.count(LinearIssue.id)
    assert kept > 0  # the pages before the limit are stored

    harness.run()

    assert harness.values(LinearIssue.external_id) == fake.truth.issue_ids
    assert harness.count(LinearIssue.id) == len(fake.truth.issue_ids)


def test_too_few_complexity_points_stop_the_run_before_linear_refuses(
    make_harness: Callable[..., Harness], workspace: LinearWorkspace
) -> None:
    # enough for the first query, not for the next; the refill takes an hour
    fake = FakeLinear(workspace, limits=RateLimits(complexity_per_hour=6_000))
    with run_fake_linear(fake) as base_url:
        harness = make_harness()
        configure_linear(harness.context, api_url=f"{base_url}/graphql", key=DEMO_KEY)
        with pytest.raises(BudgetExhausted) as stopped:
            harness.run()

    assert "complexity" in stopped.value.message
    assert stopped.value.resets_at is not None
    assert fake.stats.rate_limited == 0  # stopped before Linear had to refuse
    assert harness.count(LinearIssue.id) > 0


def test_a_team_the_key_lost_access_to_fails_the_run_naming_it_and_keeps_its_rows(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, base_url = served
    harness.run()
    kept, lost = workspace.teams
    fake.add_key(KeySpec("lin_api_limited", team_ids=frozenset({kept.id})))
    configure_linear(harness.context, api_url=f"{base_url}/graphql", key="lin_api_limited")
    stored = harness.count(LinearIssue.id)

    with pytest.raises(SyncError) as failed:
        harness.run()

    assert failed.value.code == "missing_scopes"
    assert f"team {lost.key}" in failed.value.message
    assert harness.count(LinearIssue.id) == stored
    assert harness.count(LinearTeam.id, LinearTeam.gone_at.is_not(None)) == 0
