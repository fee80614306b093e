"""Ingest tokens: created by admins and shown once, stored hashed, scoped, revocable."""

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import add_user, login
from tests.ingest.conftest import create_ingest_token, deployment
from veelocity.core.security.tokens import digest_token
from veelocity.core.time import utcnow


def _push(client: TestClient, token: str) -> int:
    response = client.post(
        "/api/v1/ingest/deployments",
        json=deployment(),
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


def test_a_token_is_shown_once_and_stored_only_as_its_digest(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    created = create_ingest_token(client, admin_headers, name="Jenkins production")

    token = created["token"]
    assert token.startswith("vlc_ing_")
    assert len(token) >= len("vlc_ing_") + 43  # 256 random bits
    assert created["prefix"] == token[:12]
    assert (created["status"], created["created_by"]) == ("active", "admin@example.com")
    listed = client.get("/api/v1/settings/ingest-tokens", headers=admin_headers).json()["items"]
    assert [t["name"] for t in listed] == ["Jenkins production"]
    assert "token" not in listed[0]
    assert token not in client.get("/api/v1/settings/ingest-tokens", headers=admin_headers).text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_digest, prefix FROM ingest_token")).one()
        audit = connection.execute(text("SELECT action, details FROM audit_event")).all()
    engine.dispose()
    assert stored.token_digest == digest_token(token)
    assert token not in str(audit)
    assert "ingest_token.created" in [row.action for row in audit]


def test_a_token_opens_the_ingest_routes_and_records_its_last_use(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = create_ingest_token(client, admin_headers)
    assert _push(client, created["token"]) == 200
    [listed] = client.get("/api/v1/settings/ingest-tokens", headers=admin_headers).json()["items"]
    assert listed["last_used_at"] is not None


def test_an_ingest_token_opens_nothing_else(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    token = create_ingest_token(client, admin_headers)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for method, path in (
        ("GET", "/api/v1/auth/me"),
        ("GET", "/api/v1/settings"),
        ("GET", "/api/v1/settings/ingest-tokens"),
        ("GET", "/api/v1/teams"),
        ("POST", "/api/v1/settings/ingest-tokens"),
    ):
        response = client.request(method, path, headers=headers, json={"name": "more"})
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "not_authenticated"


def test_a_users_access_token_does_not_open_the_ingest_routes(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post("/api/v1/ingest/deployments", json=deployment(), headers=admin_headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"
    assert "ingest token" in response.json()["error"]["message"]


def test_missing_malformed_and_unknown_tokens_are_refused(client: TestClient) -> None:
    for authorization in (None, "Bearer", "Basic dmxjOmluZw==", "Bearer vlc_ing_guess"):
        headers = {"Authorization": authorization} if authorization else {}
        response = client.post("/api/v1/ingest/incidents", json={}, headers=headers)
        assert response.status_code == 401, authorization


def test_a_revoked_token_stops_working_and_stays_listed(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = create_ingest_token(client, admin_headers)
    path = f"/api/v1/settings/ingest-tokens/{created['id']}"

    assert client.delete(path, headers=admin_headers).status_code == 204
    assert client.delete(path, headers=admin_headers).status_code == 204
    assert _push(client, created["token"]) == 401
    [listed] = client.get("/api/v1/settings/ingest-tokens", headers=admin_headers).json()["items"]
    assert listed["status"] == "revoked"
    assert listed["revoked_at"] is not None
    actions = [
        e["action"]
        for e in client.get("/api/v1/audit", headers=admin_headers).json()["items"]
        if e["action"].startswith("ingest_token.")
    ]
    assert actions == ["ingest_token.revoked", "ingest_token.created"]


def test_revoking_an_unknown_token_is_not_found(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.delete("/api/v1/settings/ingest-tokens/999", headers=admin_headers)
    assert response.status_code == 404


def test_a_token_expires_after_the_days_given(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = create_ingest_token(client, admin_headers, expires_in_days=30)
    assert _push(client, created["token"]) == 200
    with time_machine.travel(utcnow() + timedelta(days=30, seconds=1), tick=False):
        assert _push(client, created["token"]) == 401
        admin = login(client, "admin@example.com")  # the old access token has expired too
        [listed] = client.get("/api/v1/settings/ingest-tokens", headers=admin).json()["items"]
    assert listed["status"] == "expired"


def test_token_names_and_lifetimes_are_checked(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    for body in (
        {"name": ""},
        {"name": "ci", "expires_in_days": 0},
        {"name": "ci", "expires_in_days": 4000},
        {"name": "ci", "token_digest": "x"},
    ):
        response = client.post("/api/v1/settings/ingest-tokens", json=body, headers=admin_headers)
        assert response.status_code == 422, body


def test_viewers_cannot_see_create_or_revoke_tokens(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    created = create_ingest_token(client, admin_headers)
    viewer = add_user(client, admin_headers, "viewer@example.com")
    for response in (
        client.get("/api/v1/settings/ingest-tokens", headers=viewer),
        client.post("/api/v1/settings/ingest-tokens", json={"name": "x"}, headers=viewer),
        client.delete(f"/api/v1/settings/ingest-tokens/{created['id']}", headers=viewer),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert _push(client, created["token"]) == 200
