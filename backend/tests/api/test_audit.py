"""Every state-changing action lands in the audit log, with actor, time and address."""

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, add_user, login, setup_admin

SECRET = "ghp_auditCanary0123456789abcdefghijAUDT"


def test_actions_are_audited_without_secrets(make_client) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = make_client(client_address="198.51.100.20")
    admin = setup_admin(client)
    client.post(
        "/api/v1/auth/login", json={"email": "admin@example.com", "password": "wrong password"}
    )
    session = login(client, "admin@example.com")
    add_user(client, admin, "viewer@example.com")
    client.put(
        "/api/v1/settings/sources/github",
        json={"token": SECRET, "organizations": ["acme"]},
        headers=admin,
    )
    client.put("/api/v1/settings/deployment-patterns", json={"patterns": ["ship"]}, headers=admin)
    client.post("/api/v1/auth/logout", headers=session)

    response = client.get("/api/v1/audit?page_size=100", headers=admin)
    assert response.status_code == 200
    events = response.json()["items"]
    actions = [e["action"] for e in events]
    for expected in (
        "user.created",
        "auth.login_failed",
        "auth.login",
        "settings.source_updated",
        "settings.deployment_patterns_updated",
        "auth.logout",
    ):
        assert expected in actions, expected
    failed = next(e for e in events if e["action"] == "auth.login_failed")
    assert failed["target"] == "admin@example.com"
    assert failed["actor_email"] is None
    assert failed["client_address"] == "198.51.100.20"
    assert failed["at"].endswith("Z")
    settings_change = next(e for e in events if e["action"] == "settings.source_updated")
    assert settings_change["actor_email"] == "admin@example.com"
    assert settings_change["details"] == {
        "token": "set",
        "organizations": {"from": [], "to": ["acme"]},
    }
    assert SECRET not in response.text
    assert PASSWORD not in response.text


def test_audit_log_pages(client: TestClient) -> None:
    admin = setup_admin(client)
    for index in range(7):
        add_user(client, admin, f"user{index}@example.com")
    first = client.get("/api/v1/audit?page=1&page_size=5", headers=admin).json()
    second = client.get("/api/v1/audit?page=2&page_size=5", headers=admin).json()
    assert first["total"] == second["total"] >= 15
    assert len(first["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert first["items"][0]["id"] > second["items"][0]["id"]  # newest first
    assert client.get("/api/v1/audit?page_size=1000000", headers=admin).status_code == 422
