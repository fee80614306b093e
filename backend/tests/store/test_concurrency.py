"""Two writers racing on one natural key: the second updates, it never fails or duplicates."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import TEST_DB
from tests.store.conftest import make_pull_request
from veelocity.models import PullRequest, PullRequestCommit
from veelocity.store import WriteReport, write_pull_requests

pytestmark = pytest.mark.skipif(
    TEST_DB != "postgresql", reason="SQLite has one writer at a time; there is no race"
)


def test_a_pull_request_inserted_meanwhile_by_another_writer_is_updated(
    session_factory: sessionmaker[Session],
) -> None:
    first = session_factory()
    first.begin()
    write_pull_requests(first, [make_pull_request()])  # holds the key, not yet committed

    outcome: dict[str, WriteReport | BaseException] = {}

    def second_writer() -> None:
        try:
            with session_factory() as second, second.begin():
                outcome["report"] = write_pull_requests(
                    second, [make_pull_request(title="Renamed meanwhile")]
                )
        except BaseException as exc:  # reported to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive()  # waiting on the first writer's uncommitted row
    first.commit()
    first.close()
    thread.join(timeout=30)

    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert isinstance(report, WriteReport)
    assert (report.created, report.updated) == (0, 1)
    with session_factory() as check:
        assert check.scalar(select(func.count()).select_from(PullRequest)) == 1
        assert check.scalars(select(PullRequest.title)).one() == "Renamed meanwhile"
        assert check.scalar(select(func.count()).select_from(PullRequestCommit)) == 1
