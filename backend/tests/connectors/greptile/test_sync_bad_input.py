"""Refusals and bad input: a key Greptile refuses, a repository it never indexed, a review
that names no pull request."""

from __future__ import annotations

import pytest

from tests.connectors.greptile.conftest import Harness, add_repository, configure_greptile
from veelocity.connectors.greptile import payloads
from veelocity.connectors.greptile.connection import check_connection
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import FakeGreptile
from veelocity.sync.context import SyncError


def test_a_key_greptile_refuses_fails_the_run_and_the_check_says_so(
    harness: Harness, served: tuple[FakeGreptile, str]
) -> None:
    _fake, base_url = served
    configure_greptile(harness.context, base_url=base_url, key="not-a-greptile-key")

    with pytest.raises(SyncError) as failed:
        harness.run()

    assert failed.value.code == "bad_credentials"
    check = check_connection(harness.context)
    assert not check.ok
    assert "Greptile rejected" in check.message


def test_the_check_names_a_repository_greptile_never_indexed(
    harness: Harness, account: GreptileAccount
) -> None:
    add_repository(harness.context, "acme/aaa-never-indexed", None)

    check = check_connection(harness.context)

    assert check.ok
    assert "never indexed acme/aaa-never-indexed" in check.message
    assert check.details["reviews"] == len(account.code_reviews)


def test_a_review_naming_no_pull_request_is_left_out() -> None:
    assert payloads.review({"id": "r1", "status": "COMPLETED"}) is None
    review = payloads.review(
        {"id": "r2", "status": "COMPLETED", "prNumber": 7, "repository": "acme/api"}
    )
    assert review is not None
    assert (review.repository_name, review.pull_request_number) == ("acme/api", 7)
