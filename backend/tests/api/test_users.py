"""User administration and roles: admins change things, viewers only look."""

import os
import subprocess
import sys

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, add_user, login


def test_admin_adds_a_viewer_who_can_read_but_not_change(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com", role="viewer")
    assert client.get("/api/v1/auth/me", headers=viewer).json()["role"] == "viewer"
    assert client.get("/api/v1/settings", headers=viewer).status_code == 200
    assert client.get("/api/v1/status", headers=viewer).status_code == 200

    refusals = [
        client.put(
            "/api/v1/settings/sources/github", json={"token": "ghp_" + "a" * 36}, headers=viewer
        ),
        client.put(
            "/api/v1/settings/deployment-patterns", json={"patterns": ["ship"]}, headers=viewer
        ),
        client.get("/api/v1/users", headers=viewer),
        client.post(
            "/api/v1/users", json={"email": "x@example.com", "password": PASSWORD}, headers=viewer
        ),
        client.patch("/api/v1/users/1", json={"role": "viewer"}, headers=viewer),
        client.get("/api/v1/audit", headers=viewer),
    ]
    for response in refusals:
        assert response.status_code == 403, response.request.url
        assert response.json()["error"]["code"] == "forbidden"


def test_admin_adds_another_admin(client: TestClient, admin_headers: dict[str, str]) -> None:
    second = add_user(client, admin_headers, "second-admin@example.com", role="admin")
    assert client.get("/api/v1/users", headers=second).status_code == 200


def test_duplicate_email_is_a_conflict(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/users",
        json={"email": "Admin@Example.com", "password": PASSWORD, "role": "viewer"},
        headers=admin_headers,
    )
    assert response.status_code == 409


def test_extra_fields_on_a_user_change_are_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    add_user(client, admin_headers, "viewer@example.com")
    users = client.get("/api/v1/users", headers=admin_headers).json()["items"]
    viewer = next(u for u in users if u["email"] == "viewer@example.com")
    for extra in (
        {"password_hash": "x"},
        {"id": 99},
        {"is_admin": True},
        {"created_at": "2020-01-01T00:00:00Z"},
    ):
        response = client.patch(f"/api/v1/users/{viewer['id']}", json=extra, headers=admin_headers)
        assert response.status_code == 422, extra
    after = next(
        u
        for u in client.get("/api/v1/users", headers=admin_headers).json()["items"]
        if u["email"] == "viewer@example.com"
    )
    assert after == viewer


def test_the_last_admin_cannot_be_demoted_or_deactivated(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    me = client.get("/api/v1/auth/me", headers=admin_headers).json()
    for change in ({"role": "viewer"}, {"is_active": False}):
        response = client.patch(f"/api/v1/users/{me['id']}", json=change, headers=admin_headers)
        assert response.status_code == 409
    assert client.get("/api/v1/auth/me", headers=admin_headers).json()["role"] == "admin"


def test_unknown_user_is_not_found(client: TestClient, admin_headers: dict[str, str]) -> None:
    assert (
        client.patch(
            "/api/v1/users/4242", json={"role": "viewer"}, headers=admin_headers
        ).status_code
        == 404
    )


def _cli(
    args: list[str], env_overrides: dict[str, str], stdin: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "veelocity", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_cli_creates_an_admin_reading_the_password_from_stdin(
    client: TestClient,
    settings,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "VEELOCITY_ENCRYPTION_KEY": settings.veelocity_encryption_key.get_secret_value(),
        "JWT_SECRET_KEY": settings.jwt_secret_key.get_secret_value(),
        "VEELOCITY_DATA_DIR": str(settings.veelocity_data_dir),
    }
    created = _cli(
        ["user", "create", "--admin", "ops@example.com", "--password-stdin"], env, PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    assert "created admin ops@example.com" in created.stdout
    assert PASSWORD not in created.stdout + created.stderr
    headers = login(client, "ops@example.com")
    assert client.get("/api/v1/auth/me", headers=headers).json()["role"] == "admin"

    weak = _cli(["user", "create", "weak@example.com"], env, "short\n")
    assert weak.returncode == 2
    assert "at least 12 characters" in weak.stderr

    # There is no way to pass the password as an argument.
    as_argument = _cli(["user", "create", "x@example.com", "--password", PASSWORD], env, "")
    assert as_argument.returncode != 0
    assert "No such option" in as_argument.stderr
