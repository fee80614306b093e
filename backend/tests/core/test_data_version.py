"""The data version changes with every commit that may change a metric, and only then."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_repository
from veelocity.core.config import Settings
from veelocity.core.data_version import changes_data, track_data_changes
from veelocity.core.db import make_engine, make_session_factory
from veelocity.derive import DeriveConfig, derive_all
from veelocity.metrics.cache import data_version
from veelocity.models import LoginAttempt, Repository


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("SELECT * FROM pull_request", False),
        ("  select 1", False),
        ("PRAGMA foreign_keys=ON", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("INSERT INTO pull_request (id) VALUES (?)", True),
        ('INSERT INTO "deployment" ("id") SELECT unnest(CAST(%(id)s AS BIGINT[]))', True),
        ('UPDATE "pull_request" AS t SET "size" = v."size" FROM (SELECT 1) AS v', True),
        ("DELETE FROM team_member WHERE team_id = ?", True),
        ("INSERT INTO login_attempt (at) VALUES (?)", False),
        ("UPDATE sync_run SET items = ? WHERE id = ?", False),
        ("INSERT INTO audit_event (action) VALUES (?)", False),
        ("WITH moved AS (DELETE FROM incident RETURNING id) SELECT 1", True),
        ("CREATE TABLE x (id INTEGER)", True),
    ],
)
def test_which_statements_change_metric_data(statement: str, changes: bool) -> None:
    assert changes_data(statement) is changes


@pytest.fixture
def factory(settings: Settings) -> Any:
    track_data_changes()
    from veelocity import schema

    engine = make_engine(settings)
    schema.upgrade_to_head(engine)
    yield make_session_factory(engine)
    engine.dispose()


def select_repository() -> Any:
    return select(Repository)


def _version(factory: Any) -> Any:
    with factory() as session:
        return data_version(session)


def test_a_committed_write_to_metric_data_changes_the_version(factory: Any) -> None:
    before = _version(factory)
    with factory.begin() as session:
        make_repository(session, "acme/api")
    after = _version(factory)
    with factory.begin() as session:
        make_deployment(session, session.scalars(select_repository()).one(), finished_at=at(1))
    assert after not in (None, before)
    assert _version(factory) != after


def test_a_rolled_back_write_leaves_the_version(factory: Any) -> None:
    with factory.begin() as session:
        make_repository(session, "acme/api")
    before = _version(factory)
    with factory() as session:
        make_repository(session, "acme/web")
        session.flush()
        session.rollback()
    assert _version(factory) == before


def test_sign_ins_and_reads_leave_the_version(factory: Any) -> None:
    with factory.begin() as session:
        make_repository(session, "acme/api")
    before = _version(factory)
    with factory.begin() as session:
        session.add(
            LoginAttempt(
                at=at(0), account="a@example.com", client_address="127.0.0.1", succeeded=False
            )
        )
    with factory.begin() as session:
        session.scalars(select_repository()).all()
    assert _version(factory) == before


def test_metrics_follow_a_write_committed_by_another_process(
    client: TestClient,
    admin_headers: dict[str, str],
    make_settings: Callable[..., Settings],
) -> None:
    """A second engine stands for another worker or a `veelocity worker` process: the
    answer cached before its write is not served after it."""
    other = make_engine(make_settings())
    writer: Session = make_session_factory(other)()
    repository = make_repository(writer, "acme/api")
    writer.commit()
    path = "/api/v1/metrics/dora/deployment-frequency"
    window = {"start_date": "2026-01-05", "end_date": "2026-01-11"}

    def deployments() -> int:
        response = client.get(path, params=window, headers=admin_headers)
        assert response.status_code == 200
        return int(response.json()["details"]["deployments"])

    assert deployments() == 0
    assert deployments() == 0  # answered from the cache
    make_deployment(writer, repository, finished_at=at(2))
    derive_all(writer, DeriveConfig())
    writer.commit()
    writer.close()
    other.dispose()
    assert deployments() == 1
