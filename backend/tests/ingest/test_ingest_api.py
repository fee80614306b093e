"""Pushing deployments, incidents and pull requests over HTTP with an ingest token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests.ingest.conftest import SHA_A, SHA_B, SHA_C, deployment, incident, pull_request
from veelocity.models import (
    Deployment,
    DeploymentListedCommit,
    Incident,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    PullRequestFile,
)


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _count(db: Session, model: type) -> int:
    db.rollback()  # a fresh snapshot after the request's commit
    return db.scalar(select(func.count()).select_from(model)) or 0


def _post(client: TestClient, headers: dict[str, str], kind: str, body: Any) -> Any:
    return client.post(f"/api/v1/ingest/{kind}", json=body, headers=headers)


def test_a_deployment_is_created_then_updated_never_duplicated(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    first = _post(client, ingest_headers, "deployments", deployment())
    again = _post(client, ingest_headers, "deployments", deployment())
    changed = _post(client, ingest_headers, "deployments", deployment(status="failure"))

    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "created": 1, "updated": 0, "unchanged": 0}
    assert again.json() == {"received": 1, "created": 0, "updated": 0, "unchanged": 1}
    assert changed.json() == {"received": 1, "created": 0, "updated": 1, "unchanged": 0}
    assert _count(db, Deployment) == 1
    stored = db.scalars(select(Deployment)).one()
    assert (stored.source, stored.external_id, stored.status) == (
        "jenkins",
        "api-deploy-1",
        "failure",
    )
    assert stored.finished_at == datetime(2025, 3, 3, 9, 7, tzinfo=UTC)


def test_derive_runs_in_the_same_request(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    _post(
        client,
        ingest_headers,
        "deployments",
        {"items": [deployment(), deployment(external_id="stage-1", environment="staging")]},
    )
    db.rollback()
    production = dict(db.execute(select(Deployment.environment, Deployment.is_production)).all())
    assert production == {"production": True, "staging": False}


def test_a_batch_with_one_invalid_item_writes_nothing_and_names_the_item(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    items = [deployment(external_id=f"d{n}") for n in range(5)]
    items[3]["finished_at"] = "2025-03-03T09:07:00"

    response = _post(client, ingest_headers, "deployments", {"items": items})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("items.3.finished_at: the timestamp has no time zone")
    assert error["details"][0]["loc"] == ["body", "items", 3, "finished_at"]
    assert _count(db, Deployment) == 0


def test_every_invalid_item_is_listed_in_the_details(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    items = [deployment(external_id="a", status="skipped"), deployment(external_id="b")]
    items[1].pop("finished_at")
    details = _post(client, ingest_headers, "deployments", {"items": items}).json()["error"][
        "details"
    ]
    assert [d["loc"] for d in details] == [
        ["body", "items", 0, "status"],
        ["body", "items", 1, "finished_at"],
    ]


def test_the_same_item_twice_in_a_batch_is_refused(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    items = [deployment(), deployment(external_id="other"), deployment(status="failure")]
    response = _post(client, ingest_headers, "deployments", {"items": items})

    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "items.2: the same source and external_id as items.0 (jenkins, api-deploy-1); "
        "send each item once"
    )
    assert _count(db, Deployment) == 0


def test_a_batch_of_a_thousand_is_accepted_and_one_more_is_refused(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    items = [deployment(external_id=f"d{n}", commit_sha=None) for n in range(1000)]
    accepted = _post(client, ingest_headers, "deployments", {"items": items})
    assert accepted.json()["created"] == 1000

    refused = _post(
        client,
        ingest_headers,
        "deployments",
        {"items": [*items, deployment(external_id="one-more")]},
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "a request carries at most 1000 items and this one has 1001; split it into several requests"
    )
    assert _count(db, Deployment) == 1000


def test_a_body_over_the_size_limit_is_refused_with_413(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    body = b'{"items": [' + b'{"title": "' + b"x" * (6 * 1024 * 1024) + b'"}]}'
    response = client.post(
        "/api/v1/ingest/incidents",
        content=body,
        headers={**ingest_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("body", [[deployment()], "deployment", {"items": "all"}, {"items": []}])
def test_bodies_that_are_not_an_item_or_a_batch_are_refused(
    client: TestClient, ingest_headers: dict[str, str], body: Any
) -> None:
    assert _post(client, ingest_headers, "deployments", body).status_code == 422


def test_a_commit_list_is_stored_for_the_deployment(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    _post(client, ingest_headers, "deployments", deployment(commits=[SHA_A, SHA_B]))
    _post(client, ingest_headers, "deployments", deployment())  # left out: kept
    db.rollback()
    assert sorted(db.scalars(select(DeploymentListedCommit.sha))) == sorted([SHA_A, SHA_B])
    assert db.scalars(select(Deployment.has_commit_list)).one() is True


def test_an_incident_links_the_deployment_it_names(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    _post(client, ingest_headers, "deployments", deployment())
    response = _post(
        client,
        ingest_headers,
        "incidents",
        incident(deployment={"source": "jenkins", "external_id": "api-deploy-1"}),
    )
    assert response.json()["created"] == 1
    db.rollback()
    deployment_id = db.scalars(select(Deployment.id)).one()
    stored = db.scalars(select(Incident)).one()
    assert stored.caused_by_deployment_id == deployment_id
    assert stored.attributed_deployment_id == deployment_id


def test_an_incident_naming_an_unknown_deployment_fails_the_batch(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    items = [
        incident(external_id="A"),
        incident(external_id="B", deployment={"source": "jenkins", "external_id": 7}),
    ]
    response = _post(client, ingest_headers, "incidents", {"items": items})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == (
        "items.1.deployment: no deployment with source 'jenkins' and external_id '7' is "
        "known; send the deployment first"
    )
    assert error["details"][0]["loc"] == ["body", "items", 1, "deployment"]
    assert _count(db, Incident) == 0


def test_a_service_incident_needs_no_repository(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    response = _post(client, ingest_headers, "incidents", incident(repository=None, service="pay"))
    assert response.status_code == 200
    db.rollback()
    assert db.scalars(select(Incident.service)).one() == "pay"


def test_a_pull_request_is_stored_with_its_commits_and_events_and_derived(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    response = _post(client, ingest_headers, "pull-requests", pull_request())
    assert response.json()["created"] == 1
    db.rollback()
    pr = db.scalars(select(PullRequest)).one()
    assert (pr.number, pr.author_login, pr.state, pr.merge_commit_sha) == (
        311,
        "alice",
        "merged",
        SHA_A,
    )
    assert db.scalars(select(PullRequestCommit.sha)).all() == [SHA_B]
    assert db.scalars(select(PullRequestEvent.state)).all() == ["APPROVED"]
    assert pr.first_commit_at == datetime(2025, 2, 28, 17, 0, tzinfo=UTC)
    assert pr.approved_at == datetime(2025, 3, 2, 9, 0, tzinfo=UTC)


def test_a_deployment_listing_a_merge_commit_ships_that_pull_request(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    _post(client, ingest_headers, "pull-requests", pull_request())
    _post(
        client,
        ingest_headers,
        "deployments",
        deployment(
            started_at="2025-03-02T17:00:00Z",
            finished_at="2025-03-02T17:30:00Z",
            commits=[SHA_A, SHA_B, SHA_C],
        ),
    )
    db.rollback()
    pr = db.scalars(select(PullRequest)).one()
    assert pr.deployment_id == db.scalars(select(Deployment.id)).one()
    assert pr.deployed_at == datetime(2025, 3, 2, 17, 30, tzinfo=UTC)


def test_re_sending_a_pull_request_with_new_events_updates_it(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    _post(client, ingest_headers, "pull-requests", pull_request())
    events = [
        {"kind": "comment", "actor": "carol", "at": "2025-03-01T12:00:00Z"},
        {"kind": "review", "actor": "bob", "at": "2025-03-02T09:00:00Z", "state": "APPROVED"},
    ]
    response = _post(client, ingest_headers, "pull-requests", pull_request(events=events))
    assert response.json()["updated"] == 1
    assert _count(db, PullRequestEvent) == 2
    assert _count(db, PullRequest) == 1


def test_a_pull_request_sent_with_its_files_is_sized_without_lock_files(
    client: TestClient, ingest_headers: dict[str, str], db: Session
) -> None:
    item = pull_request(
        additions=530,
        deletions=70,
        files=[
            {"path": "src/cart.py", "additions": 30, "deletions": 20},
            {"path": "web/package-lock.json", "additions": 500, "deletions": 50},
        ],
    )
    assert _post(client, ingest_headers, "pull-requests", item).status_code == 200
    db.rollback()
    pr = db.scalars(select(PullRequest)).one()
    assert (pr.files_known, pr.size) == (True, 50)

    # sent again without files: the stored list is kept
    item.pop("files")
    assert _post(client, ingest_headers, "pull-requests", item).status_code == 200
    db.rollback()
    assert db.scalars(select(PullRequestFile.path).order_by(PullRequestFile.path)).all() == [
        "src/cart.py",
        "web/package-lock.json",
    ]
    assert db.scalars(select(PullRequest.size)).one() == 50
