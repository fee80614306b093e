"""The sync under GitHub's failures and limits, and within its own budgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from veelocity.connectors.github.connection import check_connection
from veelocity.connectors.http import RetryPolicy
from veelocity.core.time import utcnow
from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, TokenSpec, run_fake_github
from veelocity.models import PullRequest, SyncRun
from veelocity.sync.context import BudgetExhausted, SyncError

from .conftest import Harness, configure_github
from .truth import differences

SMALL = DemoConfig(seed=11, repositories=2, developers=5, months=2)


@pytest.fixture
def org() -> DemoOrganisation:
    return generate(SMALL)


@pytest.fixture
def fake(org: DemoOrganisation) -> FakeGitHub:
    return FakeGitHub(org)


@pytest.fixture
def base_url(fake: FakeGitHub) -> Iterator[str]:
    with run_fake_github(fake) as url:
        yield url


@pytest.fixture
def harness_for(
    make_harness: Callable[..., Harness], base_url: str, org: DemoOrganisation
) -> Callable[..., Harness]:
    def build(**overrides: object) -> Harness:
        harness = make_harness(**overrides)
        configure_github(
            harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
        )
        return harness

    return build


@pytest.mark.parametrize(
    ("kind", "path", "options"),
    [
        ("status", "/graphql", {"status": 500, "count": 2}),
        ("status", "/graphql", {"status": 504, "count": 1, "skip": 1}),
        ("status", "/commits", {"status": 502, "count": 2}),
        ("reset", "/releases", {"count": 1}),
        ("truncated", "/graphql", {"count": 1, "skip": 2}),
        ("malformed", "/repos", {"count": 1}),
    ],
)
def test_upstream_failures_are_retried_and_nothing_is_lost(
    harness_for: Callable[..., Harness],
    fake: FakeGitHub,
    org: DemoOrganisation,
    kind: str,
    path: str,
    options: dict[str, object],
) -> None:
    harness = harness_for(page_size=20)
    fault = fake.faults.add(kind, path=path, **options)
    harness.run()
    assert fault.hits >= 1
    assert differences(org, harness.context.session_factory) == []


def test_a_request_that_hangs_is_timed_out_and_retried(
    make_harness: Callable[..., Harness], base_url: str, fake: FakeGitHub, org: DemoOrganisation
) -> None:
    harness = make_harness()
    harness.sync.retry = RetryPolicy(attempts=4, backoff_base=0.01, backoff_cap=0.05, timeout=1)
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
    )
    fake.faults.add("hang", path="/graphql", count=1, seconds=5)
    harness.run()
    assert differences(org, harness.context.session_factory) == []


def test_an_upstream_that_keeps_failing_stops_the_run_with_upstream_unavailable(
    harness_for: Callable[..., Harness], fake: FakeGitHub
) -> None:
    harness = harness_for()
    fake.faults.add("status", path="/graphql", status=500, count=None)
    with pytest.raises(SyncError) as raised:
        harness.run()
    assert raised.value.code == "upstream_unavailable"
    assert "5 attempts" in raised.value.message


def test_a_graphql_page_too_heavy_to_answer_is_asked_again_in_halves(
    make_harness: Callable[..., Harness],
) -> None:
    graphql_requests = []
    for limit in (20_000, 150):  # nodes GitHub answers in time: plenty, then few
        org = generate(SMALL)
        fake = FakeGitHub(org, graphql_timeout_nodes=limit)
        with run_fake_github(fake) as url:
            harness = make_harness()
            configure_github(
                harness.context, base_url=url, token=DEMO_TOKEN, organizations=[org.login]
            )
            harness.run()
        assert differences(org, harness.context.session_factory) == []
        graphql_requests.append(fake.stats.graphql)
    plenty, few = graphql_requests
    assert few > plenty  # smaller pages after each 502, and still every pull request


def test_a_page_that_changes_between_two_requests_loses_nothing(
    harness_for: Callable[..., Harness], fake: FakeGitHub, org: DemoOrganisation
) -> None:
    harness = harness_for(page_size=10)
    fault = fake.faults.add("change_page", path="/graphql", count=3, skip=1)
    harness.run()
    assert fault.hits >= 1
    # a pull request updated during the run may jump over the pages not read yet; the
    # next run, which reads what changed since this one started, has it
    harness.run()
    assert harness.count(PullRequest.id) == org.pull_request_count
    assert differences(org, harness.context.session_factory) == []


def test_a_secondary_rate_limit_is_waited_out(
    harness_for: Callable[..., Harness], fake: FakeGitHub, org: DemoOrganisation
) -> None:
    harness = harness_for()
    fake.faults.add("secondary_rate_limit", path="/releases", count=1, seconds=1)
    harness.run()
    assert differences(org, harness.context.session_factory) == []


def test_a_graphql_rate_limited_error_with_no_other_token_stops_with_its_reset_time(
    harness_for: Callable[..., Harness], fake: FakeGitHub
) -> None:
    harness = harness_for()
    fake.faults.add("graphql_rate_limited", path="/graphql", count=None)
    with pytest.raises(SyncError) as raised:
        harness.run()
    assert raised.value.code == "rate_limited"
    assert raised.value.resets_at is not None
    assert raised.value.resets_at > utcnow()


def test_a_run_stops_at_its_budget_and_the_next_runs_finish_the_work(
    harness_for: Callable[..., Harness], fake: FakeGitHub, org: DemoOrganisation
) -> None:
    # Every run asks each stream of each repository once, even when nothing changed (the
    # listing, then five streams for each of the two repositories): a budget above that
    # leaves every run some requests for progress.
    budget = 12
    harness = harness_for(rate_limit_max_per_sync=budget, page_size=10)
    stopped = 0
    messages: set[str] = set()
    requests: list[int] = []
    for _ in range(60):
        fake.stats.reset()
        try:
            harness.run()
        except BudgetExhausted as exc:
            messages.add(exc.message)
            requests.append(fake.stats.requests)
            stopped += 1
            continue
        break
    assert stopped >= 3
    assert max(requests) <= budget
    assert all("RATE_LIMIT_MAX_PER_SYNC" in message for message in messages)
    assert differences(org, harness.context.session_factory) == []


def test_the_hourly_budget_counts_the_runs_of_the_last_hour(
    harness_for: Callable[..., Harness], fake: FakeGitHub
) -> None:
    harness = harness_for(rate_limit_max_per_hour=100)
    earlier = utcnow() - timedelta(minutes=20)
    with harness.context.session_factory() as session, session.begin():
        session.add(
            SyncRun(
                source="github",
                job="github",
                trigger="schedule",
                status="succeeded",
                created_at=earlier,
                requests_used=97,
                streams={},
            )
        )
    with pytest.raises(BudgetExhausted) as raised:
        harness.run()
    assert fake.stats.requests == 3
    assert "RATE_LIMIT_MAX_PER_HOUR" in raised.value.message
    assert raised.value.resets_at == earlier + timedelta(hours=1)


def test_check_connection_names_the_login_scopes_and_repositories(
    harness_for: Callable[..., Harness], org: DemoOrganisation
) -> None:
    harness = harness_for()
    result = check_connection(harness.context)
    assert result.ok, result.message
    assert result.details["login"]
    assert "repo" in result.details["scopes"]  # type: ignore[operator]
    assert result.details["repositories"] == len(org.repositories)


def test_check_connection_names_missing_scopes(
    make_harness: Callable[..., Harness], org: DemoOrganisation
) -> None:
    narrow = "ghp_narrow00000000000000000000000000000000"
    fake = FakeGitHub(org, tokens=[TokenSpec(narrow, scopes=("read:org",))])
    with run_fake_github(fake) as url:
        harness = make_harness()
        configure_github(harness.context, base_url=url, token=narrow, organizations=[org.login])
        result = check_connection(harness.context)
    assert not result.ok
    assert result.details["missing_scopes"] == ["repo"]
    assert "repo" in result.message


def test_check_connection_reports_a_rejected_token(
    make_harness: Callable[..., Harness], base_url: str, org: DemoOrganisation
) -> None:
    harness = make_harness()
    configure_github(
        harness.context, base_url=base_url, token="ghp_wrong", organizations=[org.login]
    )
    result = check_connection(harness.context)
    assert not result.ok
    assert result.details == {"code": "bad_credentials"}


def test_a_token_without_the_repo_scope_is_named_as_the_reason_nothing_is_visible(
    make_harness: Callable[..., Harness], org: DemoOrganisation
) -> None:
    narrow = "ghp_narrow00000000000000000000000000000000"
    fake = FakeGitHub(org, tokens=[TokenSpec(narrow, scopes=("read:org",))])
    with run_fake_github(fake) as url:
        harness = make_harness()
        configure_github(harness.context, base_url=url, token=narrow, organizations=[org.login])
        with pytest.raises(SyncError) as raised:
            harness.run()
    assert raised.value.code == "missing_scopes"
    assert "repo scope" in raised.value.message
