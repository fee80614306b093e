"""The drill-down lists: repositories, deployments, incidents, on a small hand-built history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_incident, make_pull_request, make_repository
from veelocity.derive import DeriveConfig, derive_all

WINDOW = {"start_date": "2026-01-05", "end_date": "2026-01-18"}


@pytest.fixture
def history(db_session: Session) -> dict[str, Any]:
    """acme/api: a failed run, then a deployment shipping two PRs, then (a week later) one
    shipping a PR that a revert undoes, then the revert. acme/web: one deployment with an
    incident attributed by time. acme/docs: no pull requests or deployments."""
    api = make_repository(db_session, "acme/api")
    web = make_repository(db_session, "acme/web")
    make_repository(db_session, "acme/docs")
    first = make_pull_request(
        db_session,
        api,
        commits=[at(0)],
        created_at=at(1),
        merged_at=at(4),
        merge_commit_sha="a1",
        url="https://github.com/acme/api/pull/1",
        updated_at=at(4),
    )
    second = make_pull_request(
        db_session, api, commits=[at(0)], created_at=at(2), merged_at=at(5), merge_commit_sha="a2"
    )
    broken = make_pull_request(
        db_session,
        api,
        commits=[at(days=7)],
        created_at=at(1, days=7),
        merged_at=at(2, days=7),
        merge_commit_sha="a3",
        title="Cache the catalogue",
        author_login="bob",
    )
    revert = make_pull_request(
        db_session,
        api,
        commits=[at(4, days=7)],
        created_at=at(4, days=7),
        merged_at=at(5, days=7),
        merge_commit_sha="a4",
        title='Revert "Cache the catalogue"',
        author_login="bob",
    )
    shipped_by_web = make_pull_request(
        db_session,
        web,
        commits=[at(0)],
        created_at=at(1),
        merged_at=at(5),
        merge_commit_sha="w1",
        url="https://github.example.com/acme/web/pull/7",
        updated_at=at(12),
    )
    failed_run = make_deployment(
        db_session, api, finished_at=at(5.5), status="failure", commit_sha="a2"
    )
    good = make_deployment(db_session, api, finished_at=at(6), commits=["a1", "a2"])
    reverted = make_deployment(db_session, api, finished_at=at(3, days=7), commits=["a3"])
    fix = make_deployment(db_session, api, finished_at=at(6, days=7), commits=["a4"])
    web_deployment = make_deployment(db_session, web, finished_at=at(14), commits=["w1"])
    outage = make_incident(
        db_session,
        started_at=at(15),
        resolved_at=at(18),
        repository_id=web.id,
        external_id="INC-12",
        title="Checkout errors",
    )
    staging = make_deployment(
        db_session, web, finished_at=at(20), environment="staging", commits=["w1"]
    )
    derive_all(db_session, DeriveConfig())
    db_session.commit()
    return {
        "api": api.id,
        "web": web.id,
        "prs": {
            "first": first.id,
            "second": second.id,
            "broken": broken.id,
            "revert": revert.id,
            "web": shipped_by_web.id,
        },
        "deployments": {
            "failed_run": failed_run.id,
            "good": good.id,
            "reverted": reverted.id,
            "fix": fix.id,
            "web": web_deployment.id,
            "staging": staging.id,
        },
        "incident": outage.id,
    }


def test_repositories_list_every_repository_with_counts_and_latest_activity(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, Any]
) -> None:
    response = client.get("/api/v1/repositories", headers=admin_headers)
    assert response.status_code == 200, response.text
    by_name = {r["full_name"]: r for r in response.json()}
    assert list(by_name) == ["acme/api", "acme/docs", "acme/web"]
    api, docs, web = by_name["acme/api"], by_name["acme/docs"], by_name["acme/web"]
    assert api["id"] == history["api"]
    assert api["default_branch"] == "main"
    assert api["url"] == "https://github.com/acme/api"
    assert (api["pull_request_count"], api["deployment_count"]) == (4, 4)
    # The latest deployment (day 7, 6 h) is later than any PR update.
    assert api["last_activity_at"] == "2026-01-12T15:00:00Z"
    assert web["url"] == "https://github.example.com/acme/web"
    assert (web["pull_request_count"], web["deployment_count"]) == (1, 2)
    assert web["last_activity_at"] == "2026-01-06T05:00:00Z"
    assert docs == {
        "id": docs["id"],
        "full_name": "acme/docs",
        "default_branch": "main",
        "url": None,
        "pull_request_count": 0,
        "deployment_count": 0,
        "last_activity_at": None,
    }


def test_repositories_need_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/repositories").status_code == 401
