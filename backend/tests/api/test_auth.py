"""Sign-in, tokens and sessions, as a security reviewer would probe them."""

import base64
import json
import re
from datetime import timedelta

import jwt
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD, add_user, login, setup_admin
from veelocity.core.time import utcnow


def _me(client: TestClient, headers: dict[str, str]) -> int:
    return client.get("/api/v1/auth/me", headers=headers).status_code


def test_first_run_setup_creates_the_admin_once(client: TestClient) -> None:
    assert client.get("/api/v1/auth/setup").json() == {"needs_setup": True}
    headers = setup_admin(client)
    me = client.get("/api/v1/auth/me", headers=headers).json()
    assert me["email"] == "admin@example.com"
    assert me["role"] == "admin"
    assert client.get("/api/v1/auth/setup").json() == {"needs_setup": False}

    again = client.post(
        "/api/v1/auth/setup", json={"email": "intruder@example.com", "password": PASSWORD}
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"


def test_wrong_password_and_missing_account_get_the_same_answer(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    wrong = client.post(
        "/api/v1/auth/login", json={"email": "admin@example.com", "password": "not the password"}
    )
    missing = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "not the password"}
    )
    assert wrong.status_code == missing.status_code == 401
    assert wrong.json()["error"]["message"] == missing.json()["error"]["message"]
    assert wrong.json()["error"]["code"] == missing.json()["error"]["code"] == "invalid_credentials"


def test_login_sets_an_httponly_strict_refresh_cookie(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": "ADMIN@example.com ", "password": PASSWORD}
    )
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("veelocity_refresh=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/api/v1/auth" in cookie
    assert "refresh_token" not in response.json()
    assert response.json()["expires_in"] == 15 * 60


def test_refresh_cookie_over_https_is_secure_and_prefixed(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client()
    setup_admin(client)
    response = client.post(
        "/api/v1/auth/login",
        json={"email": "admin@example.com", "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Secure-veelocity_refresh=")
    assert "Secure" in cookie
    assert response.headers["strict-transport-security"].startswith("max-age=63072000")


def test_access_token_with_a_flipped_byte_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    token = admin_headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    for part_index in range(3):
        parts = [header, payload, signature]
        part = parts[part_index]
        parts[part_index] = part[:-2] + ("A" if part[-2] != "A" else "B") + part[-1]
        assert _me(client, {"Authorization": "Bearer " + ".".join(parts)}) == 401


def test_unsigned_and_foreign_key_tokens_are_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    token = admin_headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})

    def b64(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    alg_none = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    assert _me(client, {"Authorization": f"Bearer {alg_none}"}) == 401
    other_key = jwt.encode(claims, "x" * 40, algorithm="HS256")
    assert _me(client, {"Authorization": f"Bearer {other_key}"}) == 401
    with_jku = jwt.encode(
        claims, "x" * 40, algorithm="HS256", headers={"jku": "http://127.0.0.1:1/k"}
    )
    assert _me(client, {"Authorization": f"Bearer {with_jku}"}) == 401
    assert _me(client, {"Authorization": "Bearer not-a-token"}) == 401
    assert _me(client, {}) == 401


def test_access_token_expires_after_fifteen_minutes(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    assert _me(client, admin_headers) == 200
    with time_machine.travel(utcnow() + timedelta(minutes=14), tick=False):
        assert _me(client, admin_headers) == 200
    with time_machine.travel(utcnow() + timedelta(minutes=15, seconds=11), tick=False):
        assert _me(client, admin_headers) == 401


def test_refresh_rotates_and_reuse_of_an_old_token_ends_the_session(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    login(client, "admin@example.com")
    first = client.cookies.get("veelocity_refresh")
    refreshed = client.post("/api/v1/auth/refresh")
    assert refreshed.status_code == 200
    second = client.cookies.get("veelocity_refresh")
    assert second
    assert second != first
    access = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert _me(client, access) == 200

    # A thief replays the first token a minute later: the whole session ends.
    with time_machine.travel(utcnow() + timedelta(minutes=1), tick=False):
        client.cookies.clear()
        client.cookies.set("veelocity_refresh", first, path="/api/v1/auth")  # type: ignore[arg-type]
        replay = client.post("/api/v1/auth/refresh")
        assert replay.status_code == 401
        assert replay.json()["error"]["code"] == "refresh_token_reused"
        client.cookies.clear()
        client.cookies.set("veelocity_refresh", second, path="/api/v1/auth")  # type: ignore[arg-type]
        assert client.post("/api/v1/auth/refresh").status_code == 401
        assert _me(client, access) == 401


def test_two_tabs_refreshing_at_once_do_not_end_the_session(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    login(client, "admin@example.com")
    token = client.cookies.get("veelocity_refresh")
    assert client.post("/api/v1/auth/refresh").status_code == 200
    newest = client.cookies.get("veelocity_refresh")
    client.cookies.clear()
    client.cookies.set("veelocity_refresh", token, path="/api/v1/auth")  # type: ignore[arg-type]
    assert client.post("/api/v1/auth/refresh").status_code == 401
    client.cookies.clear()
    client.cookies.set("veelocity_refresh", newest, path="/api/v1/auth")  # type: ignore[arg-type]
    assert client.post("/api/v1/auth/refresh").status_code == 200


def test_refresh_chain_ends_twelve_hours_after_login(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    login(client, "admin@example.com")
    with time_machine.travel(utcnow() + timedelta(hours=12, minutes=1), tick=False):
        assert client.post("/api/v1/auth/refresh").status_code == 401


def test_logout_revokes_the_access_and_refresh_tokens(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    headers = login(client, "admin@example.com")
    refresh = client.cookies.get("veelocity_refresh")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert _me(client, headers) == 401
    client.cookies.set("veelocity_refresh", refresh, path="/api/v1/auth")  # type: ignore[arg-type]
    assert client.post("/api/v1/auth/refresh").status_code == 401
    # Other sessions of the same user are untouched.
    assert _me(client, admin_headers) == 200


def test_password_change_needs_the_current_password_and_ends_every_session(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    other_session = login(client, "admin@example.com")
    refused = client.post(
        "/api/v1/auth/password",
        json={"current_password": "wrong password here", "new_password": "another long passphrase"},
        headers=admin_headers,
    )
    assert refused.status_code == 422
    assert _me(client, admin_headers) == 200
    missing = client.post(
        "/api/v1/auth/password",
        json={"new_password": "another long passphrase"},
        headers=admin_headers,
    )
    assert missing.status_code == 422

    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
        headers=admin_headers,
    )
    assert changed.status_code == 204
    assert _me(client, admin_headers) == 401
    assert _me(client, other_session) == 401
    assert client.post("/api/v1/auth/refresh").status_code == 401
    login(client, "admin@example.com", "another long passphrase")


def test_deactivating_a_user_stops_their_tokens_at_once(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    viewer = add_user(client, admin_headers, "viewer@example.com")
    users = client.get("/api/v1/users", headers=admin_headers).json()["items"]
    viewer_id = next(u["id"] for u in users if u["email"] == "viewer@example.com")
    response = client.patch(
        f"/api/v1/users/{viewer_id}", json={"is_active": False}, headers=admin_headers
    )
    assert response.status_code == 200
    assert _me(client, viewer) == 401
    again = client.post(
        "/api/v1/auth/login", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    assert again.status_code == 401


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("x" * 7, False),
        ("abcdefghijk", False),
        ("correct horse", True),
        ("p" * 15 + "!", True),
        ("ünïcödé pässwörd ✓", True),
        ("z" * 64, True),
        ("y" * 128, True),
        ("y" * 129, False),
        ("Qwerty123456", False),  # too common, in any case
    ],
)
def test_password_policy(
    client: TestClient, admin_headers: dict[str, str], password: str, accepted: bool
) -> None:
    response = client.post(
        "/api/v1/users",
        json={"email": "new@example.com", "password": password, "role": "viewer"},
        headers=admin_headers,
    )
    assert (response.status_code == 201) is accepted, response.text
    if accepted:
        # Never truncated: the whole password, and only it, signs in.
        login(client, "new@example.com", password)
        shorter = client.post(
            "/api/v1/auth/login", json={"email": "new@example.com", "password": password[:-1]}
        )
        assert shorter.status_code == 401
    else:
        assert response.status_code == 422
        assert "assword" in response.json()["error"]["message"]


def test_password_is_stored_as_argon2id_with_a_salt(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    add_user(client, admin_headers, "second@example.com")
    engine = create_engine(database_url)
    with engine.connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM app_user")).scalars().all()
    engine.dispose()
    assert len(hashes) == 2
    for stored in hashes:
        match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$", stored)
        assert match, stored
        memory_kib, time_cost = int(match[1]), int(match[2])
        assert (time_cost >= 3 and memory_kib >= 12 * 1024) or memory_kib >= 46 * 1024
        salt = base64.b64decode(match[4] + "==")
        assert len(salt) >= 16
        assert PASSWORD not in stored
    assert hashes[0] != hashes[1]  # same password, different salts


def test_a_weaker_hash_is_upgraded_at_login(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE app_user SET password_hash = :h"), {"h": weak})
    login(client, "admin@example.com")
    with engine.connect() as connection:
        upgraded = connection.execute(text("SELECT password_hash FROM app_user")).scalar_one()
    engine.dispose()
    assert upgraded != weak
    assert ",t=3," in upgraded
    assert "m=65536" in upgraded
