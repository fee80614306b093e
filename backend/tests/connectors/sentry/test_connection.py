"""Settings' "test connection" for Sentry says what is wrong, or what the token sees."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from veelocity.connectors.sentry.connection import check_connection
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import FakeSentry, TokenSpec
from veelocity.models.sentry import SentryIssue
from veelocity.sync.context import SyncError

from .conftest import QUICK, Harness, configure_sentry


def test_a_working_token_names_the_organisation_and_its_projects(
    harness: Harness, organisation: SentryOrganisation
) -> None:
    check = check_connection(harness.context, retry=QUICK)

    assert check.ok, check.message
    slugs = sorted(project.slug for project in organisation.projects)
    assert check.details["projects"] == slugs
    assert check.message == (
        f"Connected to the Sentry organisation acme: {len(slugs)} projects visible "
        f"({', '.join(slugs)})."
    )


def test_a_bad_token_says_so(harness: Harness, served: tuple[FakeSentry, str]) -> None:
    _, origin = served
    configure_sentry(harness.context, base_url=origin, token="sntrys_wrong")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "bad_credentials"
    assert "Sentry rejected the auth token" in check.message
    assert "Settings → Sentry" in check.message


def test_each_missing_scope_is_named(harness: Harness, served: tuple[FakeSentry, str]) -> None:
    fake, origin = served
    fake.add_token(TokenSpec("sntrys_org_only", scopes=frozenset({"org:read"})))
    configure_sentry(harness.context, base_url=origin, token="sntrys_org_only")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["missing_scopes"] == ["event:read", "project:read (or project:releases)"]
    assert "lacks event:read, project:read (or project:releases)" in check.message


def test_an_unknown_organisation_is_named(harness: Harness, served: tuple[FakeSentry, str]) -> None:
    _, origin = served
    configure_sentry(harness.context, base_url=origin, organization="umbrella")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "not_configured"
    assert "Sentry knows no organisation 'umbrella'" in check.message


def test_a_base_url_that_does_not_answer_is_named(harness: Harness) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    configure_sentry(harness.context, base_url=f"http://127.0.0.1:{port}")

    check = check_connection(harness.context, retry=QUICK)

    assert not check.ok
    assert check.details["code"] == "upstream_unavailable"
    assert "Sentry did not answer" in check.message


def test_a_base_url_the_outbound_policy_refuses_is_checked_at_every_connection(
    make_harness: Callable[..., Harness], served: tuple[FakeSentry, str]
) -> None:
    _, origin = served
    allowed = make_harness()
    configure_sentry(allowed.context, base_url=origin)
    allowed.run()
    stored = allowed.count(SentryIssue.id)
    # the same saved URL, once the loopback host is no longer allowed
    refused = make_harness(outbound_host_allowlist=[])
    configure_sentry(refused.context, base_url=origin)

    check = check_connection(refused.context, retry=QUICK)
    with pytest.raises(SyncError) as raised:
        refused.run()

    assert check.details["code"] == "not_configured"
    assert "Sentry base URL cannot be used" in check.message
    assert raised.value.code == "not_configured"
    assert refused.count(SentryIssue.id) == stored
