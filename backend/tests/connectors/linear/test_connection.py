"""Settings' "test connection" for Linear says what is wrong, or what the key sees."""

from __future__ import annotations

import socket
from collections.abc import Callable

from veelocity.connectors.linear.connection import check_connection
from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear import FakeLinear, KeySpec

from .conftest import QUICK, Harness, configure_linear


def test_a_working_key_names_the_workspace_the_user_and_the_teams(
    harness: Harness, workspace: LinearWorkspace
) -> None:
    check = check_connection(harness.context, retry=QUICK)

    assert check.ok, check.message
    keys = sorted(team.key for team in workspace.teams)
    assert check.details["teams"] == keys
    assert check.details["workspace"] == workspace.name
    assert workspace.name in check.message
    assert ", ".join(keys) in check.message
    assert check.details["user"] == workspace.users[0].name


def test_a_bad_key_says_so(harness: Harness, served: tuple[FakeLinear, str]) -> None:
    _, base_url = served
    configure_linear(harness.context, api_url=f"{base_url}/graphql", key="lin_api_nope")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "bad_credentials"
    assert "Settings → Linear" in check.message


def test_a_team_synced_before_but_no_longer_readable_is_named(
    harness: Harness, served: tuple[FakeLinear, str], workspace: LinearWorkspace
) -> None:
    fake, base_url = served
    harness.run()
    kept, lost = workspace.teams
    fake.add_key(KeySpec("lin_api_one_team", team_ids=frozenset({kept.id})))
    configure_linear(harness.context, api_url=f"{base_url}/graphql", key="lin_api_one_team")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "missing_scopes"
    assert f"no access to team {lost.key}" in check.message


def test_an_api_url_that_does_not_answer_is_named(harness: Harness) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    configure_linear(harness.context, api_url=f"http://127.0.0.1:{port}/graphql", key="lin_api_x")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "upstream_unavailable"
    assert "Linear did not answer" in check.message


def test_an_api_url_the_outbound_policy_refuses_is_not_configured(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(outbound_host_allowlist=[])
    configure_linear(harness.context, api_url="http://127.0.0.1:9/graphql", key="lin_api_x")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "not_configured"
    assert "Linear API URL" in check.message
