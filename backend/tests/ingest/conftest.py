"""Ingest tokens for tests, and item builders in the API's JSON shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory

SHA_A = "9fceb02d0ae598e95dc970b74767f19372d61af8"
SHA_B = "1a410efbd13591db07496601ebc7a059dd55cfe9"
SHA_C = "e83c5163316f89bfbde7d9ab23ca2e25604af290"


def create_ingest_token(
    client: TestClient, admin: dict[str, str], name: str = "jenkins", **extra: Any
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/settings/ingest-tokens", json={"name": name, **extra}, headers=admin
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def ingest_headers(client: TestClient, admin_headers: dict[str, str]) -> dict[str, str]:
    token = create_ingest_token(client, admin_headers)["token"]
    return {"Authorization": f"Bearer {token}"}


def deployment(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": "jenkins",
        "external_id": "api-deploy-1",
        "repository": "acme/api",
        "environment": "production",
        "status": "success",
        "started_at": "2025-03-03T09:00:00Z",
        "finished_at": "2025-03-03T09:07:00Z",
        "commit_sha": SHA_A,
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def incident(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": "pagerduty",
        "external_id": "Q1ZT8H",
        "title": "Checkout errors",
        "repository": "acme/api",
        "severity": "sev2",
        "started_at": "2025-03-03T10:00:00Z",
        "resolved_at": "2025-03-03T11:00:00Z",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def pull_request(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": "gitlab",
        "external_id": "311",
        "repository": "acme/api",
        "number": 311,
        "title": "Export invoices as CSV",
        "author": "alice",
        "head_branch": "feature/invoice-export",
        "created_at": "2025-03-01T08:30:00Z",
        "merged_at": "2025-03-02T16:00:00Z",
        "merge_commit_sha": SHA_A,
        "additions": 120,
        "deletions": 8,
        "labels": ["feature"],
        "commits": [{"sha": SHA_B, "authored_at": "2025-02-28T17:00:00Z"}],
        "events": [
            {"kind": "review", "actor": "bob", "at": "2025-03-02T09:00:00Z", "state": "approved"}
        ],
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    """A session in a transaction on the test database (rolled back at the end)."""
    engine = make_engine(settings)
    with make_session_factory(engine)() as session, session.begin():
        yield session
        session.rollback()
    engine.dispose()
