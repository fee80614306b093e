"""Linear users and their developer: matched by e-mail, chosen by an admin, or nobody."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import add_user
from veelocity.models import Developer, LinearUser
from veelocity.store.linear import match_linear_users


@pytest.fixture
def people(database_url: str, client: TestClient) -> dict[str, int]:
    """Two developers and two Linear users as a sync would have stored them: Ada matched by
    e-mail, Bo with no developer of the same address."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        ada = Developer(login="ada", name="Ada L", email="ada@example.com", is_bot=False)
        bo = Developer(login="bo-gh", name=None, email=None, is_bot=False)
        bot = Developer(login="ci[bot]", name=None, email=None, is_bot=True)
        session.add_all([ada, bo, bot])
        session.flush()
        linear_ada = LinearUser(
            external_id="u-ada", name="Ada Lovelace", email="ADA@example.com", developer_id=ada.id
        )
        linear_bo = LinearUser(external_id="u-bo", name="Bo", email="bo@elsewhere.example")
        session.add_all([linear_ada, linear_bo])
        session.flush()
        ids = {"ada": ada.id, "bo": bo.id, "linear_ada": linear_ada.id, "linear_bo": linear_bo.id}
    engine.dispose()
    return ids


def _by_name(listing: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {user["name"]: user for user in listing["items"]}


def test_everyone_signed_in_sees_each_linear_user_and_how_it_was_matched(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com")
    listing = client.get("/api/v1/linear/users", headers=viewer).json()
    users = _by_name(listing)
    assert list(users) == ["Ada Lovelace", "Bo"]
    assert users["Ada Lovelace"]["matched_by"] == "email"
    assert users["Ada Lovelace"]["developer"] == {
        "id": people["ada"],
        "login": "ada",
        "name": "Ada L",
    }
    assert users["Bo"]["matched_by"] == "none"
    assert users["Bo"]["developer"] is None
    # Bots are never offered as the person behind a Linear user.
    assert [d["login"] for d in listing["developers"]] == ["ada", "bo-gh"]


def test_an_admin_chooses_a_developer_and_the_choice_is_audited(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    response = client.put(
        f"/api/v1/linear/users/{people['linear_bo']}/developer",
        json={"developer_id": people["bo"]},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["matched_by"] == "chosen"
    assert response.json()["developer"]["login"] == "bo-gh"
    assert (
        _by_name(client.get("/api/v1/linear/users", headers=admin_headers).json())["Bo"][
            "developer"
        ]["login"]
        == "bo-gh"
    )

    events = client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    chosen = next(e for e in events if e["action"] == "linear_user.developer_updated")
    assert chosen["target"] == "Bo"
    assert chosen["details"] == {
        "id": people["linear_bo"],
        "developer": "bo-gh",
        "matched_by": "chosen",
    }


def test_choosing_nobody_is_kept_apart_from_no_match(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    response = client.put(
        f"/api/v1/linear/users/{people['linear_ada']}/developer",
        json={"developer_id": None},
        headers=admin_headers,
    )
    assert response.json()["developer"] is None
    assert response.json()["matched_by"] == "chosen"


def test_forgetting_a_choice_matches_by_email_again(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    url = f"/api/v1/linear/users/{people['linear_ada']}/developer"
    client.put(url, json={"developer_id": people["bo"]}, headers=admin_headers)
    response = client.delete(url, headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["matched_by"] == "email"
    assert response.json()["developer"]["login"] == "ada"


def test_a_put_that_changes_nothing_is_not_audited_again(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    url = f"/api/v1/linear/users/{people['linear_bo']}/developer"
    client.put(url, json={"developer_id": people["bo"]}, headers=admin_headers)
    client.put(url, json={"developer_id": people["bo"]}, headers=admin_headers)
    actions = [
        e["action"] for e in client.get("/api/v1/audit", headers=admin_headers).json()["items"]
    ]
    assert actions.count("linear_user.developer_updated") == 1


def test_viewers_cannot_choose(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com")
    response = client.put(
        f"/api/v1/linear/users/{people['linear_bo']}/developer",
        json={"developer_id": people["bo"]},
        headers=viewer,
    )
    assert response.status_code == 403


def test_unknown_users_and_developers_are_refused(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int]
) -> None:
    unknown_user = client.put(
        "/api/v1/linear/users/999999/developer", json={"developer_id": None}, headers=admin_headers
    )
    assert unknown_user.status_code == 404
    unknown_developer = client.put(
        f"/api/v1/linear/users/{people['linear_bo']}/developer",
        json={"developer_id": 999999},
        headers=admin_headers,
    )
    assert unknown_developer.status_code == 422
    assert (
        unknown_developer.json()["error"]["message"] == "developer_id: no developer with this id."
    )


def test_the_syncs_email_match_keeps_a_choice(
    client: TestClient, admin_headers: dict[str, str], people: dict[str, int], database_url: str
) -> None:
    url = f"/api/v1/linear/users/{people['linear_ada']}/developer"
    client.put(url, json={"developer_id": people["bo"]}, headers=admin_headers)
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        match_linear_users(session)
    engine.dispose()
    ada = _by_name(client.get("/api/v1/linear/users", headers=admin_headers).json())["Ada Lovelace"]
    assert ada["matched_by"] == "chosen"
    assert ada["developer"]["login"] == "bo-gh"
