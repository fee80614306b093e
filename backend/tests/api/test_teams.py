"""Teams group developers and repositories: admins change them, everyone signed in reads."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.conftest import add_user
from veelocity.models import Developer
from veelocity.store import ensure_developers, ensure_repositories


@pytest.fixture
def known(database_url: str, client: TestClient) -> None:
    """Repositories and one developer as a sync would have stored them."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        ensure_repositories(session, ["acme/api", "acme/web", "acme/infra"])
        ensure_developers(session, ["alice"])
    engine.dispose()


def _team(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Payments",
        "description": "Checkout and billing",
        "members": ["alice", "bob"],
        "repositories": ["acme/api", "acme/web"],
    }
    body.update(overrides)
    return body


@pytest.mark.usefixtures("known")
def test_an_admin_creates_a_team_and_a_viewer_reads_it(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = client.post("/api/v1/teams", json=_team(), headers=admin_headers)
    assert created.status_code == 201, created.text
    team = created.json()
    assert team["name"] == "Payments"
    assert [m["login"] for m in team["members"]] == ["alice", "bob"]
    assert [r["full_name"] for r in team["repositories"]] == ["acme/api", "acme/web"]

    viewer = add_user(client, admin_headers, "viewer@example.com")
    assert client.get("/api/v1/teams", headers=viewer).json() == {"items": [team]}
    assert client.get(f"/api/v1/teams/{team['id']}", headers=viewer).json() == team


@pytest.mark.usefixtures("known")
def test_unknown_members_become_developers(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    client.post("/api/v1/teams", json=_team(members=["Alice", "bob", "BOB"]), headers=admin_headers)
    engine = create_engine(database_url)
    with Session(engine) as session:
        logins = sorted(session.scalars(select(Developer.login)))
    engine.dispose()
    assert logins == ["alice", "bob"]


@pytest.mark.usefixtures("known")
def test_unknown_repositories_are_refused_by_position(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/teams",
        json=_team(repositories=["acme/api", "acme/gone", "acme/web"]),
        headers=admin_headers,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"].startswith("repositories.1: no repository 'acme/gone' is known")
    assert error["details"][0]["loc"] == ["body", "repositories", 1]
    assert client.get("/api/v1/teams", headers=admin_headers).json() == {"items": []}


@pytest.mark.usefixtures("known")
def test_put_replaces_the_whole_team_and_is_audited(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    team_id = client.post("/api/v1/teams", json=_team(), headers=admin_headers).json()["id"]
    response = client.put(
        f"/api/v1/teams/{team_id}",
        json=_team(name="Billing", members=["alice", "carol"], repositories=["acme/infra"]),
        headers=admin_headers,
    )
    assert response.status_code == 200
    team = response.json()
    assert team["name"] == "Billing"
    assert [m["login"] for m in team["members"]] == ["alice", "carol"]
    assert [r["full_name"] for r in team["repositories"]] == ["acme/infra"]

    events = client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    updated = next(e for e in events if e["action"] == "team.updated")
    assert updated["target"] == "Billing"
    assert updated["details"]["members_added"] == ["carol"]
    assert updated["details"]["members_removed"] == ["bob"]
    assert updated["details"]["repositories_removed"] == ["acme/api", "acme/web"]
    assert "team.created" in [e["action"] for e in events]


@pytest.mark.usefixtures("known")
def test_a_put_that_changes_nothing_is_not_audited(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    team_id = client.post("/api/v1/teams", json=_team(), headers=admin_headers).json()["id"]
    client.put(f"/api/v1/teams/{team_id}", json=_team(), headers=admin_headers)
    actions = [
        e["action"] for e in client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    ]
    assert "team.updated" not in actions


@pytest.mark.usefixtures("known")
def test_team_names_are_unique_ignoring_case(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    client.post("/api/v1/teams", json=_team(), headers=admin_headers)
    other = client.post("/api/v1/teams", json=_team(name="Core"), headers=admin_headers).json()
    assert (
        client.post("/api/v1/teams", json=_team(name="payments"), headers=admin_headers).status_code
        == 409
    )
    renamed = client.put(
        f"/api/v1/teams/{other['id']}", json=_team(name="PAYMENTS"), headers=admin_headers
    )
    assert renamed.status_code == 409
    assert renamed.json()["error"]["code"] == "conflict"


@pytest.mark.usefixtures("known")
def test_deleting_a_team_keeps_its_developers_and_repositories(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    team_id = client.post("/api/v1/teams", json=_team(), headers=admin_headers).json()["id"]
    assert client.delete(f"/api/v1/teams/{team_id}", headers=admin_headers).status_code == 204
    assert client.get(f"/api/v1/teams/{team_id}", headers=admin_headers).status_code == 404
    assert client.delete(f"/api/v1/teams/{team_id}", headers=admin_headers).status_code == 404
    again = client.post("/api/v1/teams", json=_team(), headers=admin_headers)
    assert again.status_code == 201
    assert len(again.json()["members"]) == 2
    actions = [
        e["action"] for e in client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    ]
    assert "team.deleted" in actions


@pytest.mark.usefixtures("known")
def test_a_viewer_gets_403_on_every_write(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    team_id = client.post("/api/v1/teams", json=_team(), headers=admin_headers).json()["id"]
    viewer = add_user(client, admin_headers, "viewer@example.com")
    for response in (
        client.post("/api/v1/teams", json=_team(name="Mine"), headers=viewer),
        client.put(f"/api/v1/teams/{team_id}", json=_team(name="Mine"), headers=viewer),
        client.delete(f"/api/v1/teams/{team_id}", headers=viewer),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert client.get(f"/api/v1/teams/{team_id}", headers=viewer).json()["name"] == "Payments"


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "X", "members": ["has space"]},
        {"name": "X", "repositories": ["not-a-full-name"]},
        {"name": "X", "id": 5},
        {"name": "X", "members": ["m"] * 1001},
    ],
)
def test_invalid_team_bodies_are_refused(
    client: TestClient, admin_headers: dict[str, str], body: dict[str, Any]
) -> None:
    assert client.post("/api/v1/teams", json=body, headers=admin_headers).status_code == 422


def test_reading_needs_a_token_and_unknown_teams_are_not_found(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    assert client.get("/api/v1/teams").status_code == 401
    assert client.get("/api/v1/teams/42", headers=admin_headers).status_code == 404
    assert (
        client.put(
            "/api/v1/teams/42", json=_team(repositories=[]), headers=admin_headers
        ).status_code
        == 404
    )
