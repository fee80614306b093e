"""The Greptile sync against the fake: every repository's index and every review, a
repository never indexed stored as such, and new reviews found by the next run."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.connectors.greptile.conftest import Harness, add_repository
from veelocity.connectors.greptile.payloads import NEVER_INDEXED
from veelocity.demo.ai_model import GreptileAccount
from veelocity.models.ai import GreptileRepository, GreptileReview


def test_a_sync_stores_each_repository_index_and_every_review(
    harness: Harness, account: GreptileAccount
) -> None:
    harness.run()

    stored = dict(harness.rows(GreptileRepository.external_id, GreptileRepository.status))
    assert stored == {r.id: r.status for r in account.repositories}
    reviews = {
        row[0]: row[1:]
        for row in harness.rows(
            GreptileReview.external_id,
            GreptileReview.repository_name,
            GreptileReview.pull_request_number,
            GreptileReview.status,
        )
    }
    assert reviews == {r.id: (r.repository, r.pr_number, r.status) for r in account.code_reviews}


def test_a_repository_greptile_never_indexed_is_stored_as_such_and_the_rest_syncs(
    harness: Harness, account: GreptileAccount
) -> None:
    add_repository(harness.context, "acme/never-indexed", "trunk")

    harness.run()

    rows = harness.rows(
        GreptileRepository.status,
        where=[GreptileRepository.external_id == "github:trunk:acme/never-indexed"],
    )
    assert rows == [(NEVER_INDEXED,)]
    assert harness.count(GreptileReview.id) == len(account.code_reviews)


def test_the_next_run_finds_new_reviews_and_completes_running_ones(
    harness: Harness, account: GreptileAccount
) -> None:
    harness.run()
    newest = max(account.code_reviews, key=lambda r: r.created_at)
    later = newest.created_at + timedelta(minutes=5)
    account.code_reviews.append(
        replace(newest, id="review-new", created_at=later, completed_at=None, status="PENDING")
    )
    harness.run()
    pending = account.code_reviews[-1]
    pending.status, pending.completed_at = "COMPLETED", later + timedelta(minutes=3)

    harness.run()

    rows = harness.rows(GreptileReview.status, where=[GreptileReview.external_id == "review-new"])
    assert rows == [("COMPLETED",)]
    assert harness.count(GreptileReview.id) == len(account.code_reviews)
