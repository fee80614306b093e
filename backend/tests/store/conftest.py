"""A session on a clean, migrated database (SQLite or PostgreSQL), and record builders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.records import (
    DeploymentRecord,
    IncidentRecord,
    PullRequestCommitRecord,
    PullRequestEventRecord,
    PullRequestRecord,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def session_factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(settings)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session, session.begin():
        yield session


def make_pull_request(**overrides: Any) -> PullRequestRecord:
    record = PullRequestRecord(
        source="gitlab",
        external_id="101",
        repository="acme/api",
        number=101,
        title="Add the invoice export",
        author="alice",
        head_branch="feature/invoices",
        state="merged",
        created_at=T0,
        updated_at=T0 + timedelta(hours=5),
        merged_at=T0 + timedelta(hours=5),
        closed_at=T0 + timedelta(hours=5),
        merge_commit_sha="m101",
        additions=40,
        deletions=2,
        labels=("feature",),
        commits=(PullRequestCommitRecord("c1", T0 - timedelta(hours=3)),),
        events=(
            PullRequestEventRecord("review", "bob", T0 + timedelta(hours=2), state="APPROVED"),
        ),
    )
    return replace(record, **overrides)


def make_deployment(**overrides: Any) -> DeploymentRecord:
    record = DeploymentRecord(
        source="jenkins",
        external_id="deploy-api-1",
        repository="acme/api",
        environment="production",
        status="success",
        started_at=T0 + timedelta(hours=6),
        finished_at=T0 + timedelta(hours=6, minutes=10),
        commit_sha="m101",
    )
    return replace(record, **overrides)


def make_incident(**overrides: Any) -> IncidentRecord:
    record = IncidentRecord(
        source="pagerduty",
        external_id="P123",
        title="Checkout errors",
        repository="acme/api",
        severity="sev2",
        started_at=T0 + timedelta(hours=8),
        resolved_at=T0 + timedelta(hours=9),
    )
    return replace(record, **overrides)
