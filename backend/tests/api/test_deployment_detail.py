"""One deployment by id, and a rolled-back deployment's cause naming the redeploy."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_incident, make_repository
from veelocity.derive import DeriveConfig, derive_changes


def test_a_rolled_back_deployment_names_the_deployment_that_rolled_it_back(
    client: TestClient, admin_headers: dict[str, str], db_session: Session
) -> None:
    repo = make_repository(db_session, "acme/api")
    make_deployment(db_session, repo, finished_at=at(1), commit_sha="v1")
    bad = make_deployment(db_session, repo, finished_at=at(2), commit_sha="v2")
    back = make_deployment(db_session, repo, finished_at=at(5), commit_sha="v1")
    derive_changes(db_session, DeriveConfig(), everything(db_session))
    db_session.commit()

    response = client.get(f"/api/v1/deployments/{bad.id}", headers=admin_headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["is_failed"] is True
    assert body["failure_reason"] == f"rolled back by deployment {back.id}"
    [cause] = body["failure_causes"]
    assert cause["kind"] == "rollback"
    assert cause["rolled_back_by_deployment_id"] == back.id
    assert cause["description"] == (
        f"Rolled back by deployment {back.id}, which went back to an earlier commit."
    )


def test_a_deployment_is_found_by_id_in_any_environment_and_at_any_time(
    client: TestClient, admin_headers: dict[str, str], db_session: Session
) -> None:
    repo = make_repository(db_session, "acme/web")
    staging = make_deployment(
        db_session, repo, finished_at=at(days=-400), environment="staging", commit_sha="s1"
    )
    db_session.commit()

    body = client.get(f"/api/v1/deployments/{staging.id}", headers=admin_headers).json()

    assert (body["id"], body["environment"], body["repository"]) == (
        staging.id,
        "staging",
        "acme/web",
    )
    assert body["failure_causes"] == []


def test_an_incident_cause_says_where_the_incident_came_from(
    client: TestClient, admin_headers: dict[str, str], db_session: Session
) -> None:
    repo = make_repository(db_session, "acme/shop")
    shipped = make_deployment(db_session, repo, finished_at=at(1), commit_sha="c1")
    make_incident(
        db_session,
        started_at=at(2),
        repository_id=repo.id,
        external_id="5000000001",
        title="TypeError: cart",
        source="sentry",
    )
    derive_changes(db_session, DeriveConfig(), everything(db_session))
    db_session.commit()

    body = client.get(f"/api/v1/deployments/{shipped.id}", headers=admin_headers).json()

    [cause] = body["failure_causes"]
    assert (cause["kind"], cause["incident_source"], cause["incident_external_id"]) == (
        "incident",
        "sentry",
        "5000000001",
    )


def test_an_unknown_deployment_is_not_found(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/deployments/999999", headers=admin_headers)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No deployment with this id."
