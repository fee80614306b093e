"""Guessing the current password to change it is limited and audited like signing in."""

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, login, setup_admin
from veelocity.core.time import utcnow

WRONG = "not my password at all"
NEW_PASSWORD = "a different long passphrase"


def _change(client: TestClient, headers: dict[str, str], current: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/password",
        json={"current_password": current, "new_password": NEW_PASSWORD},
        headers=headers,
    )


def test_sixth_wrong_current_password_in_a_minute_is_throttled(client: TestClient) -> None:
    admin = setup_admin(client)
    with time_machine.travel(utcnow(), tick=False) as clock:
        for _ in range(5):
            wrong = _change(client, admin, WRONG)
            assert wrong.status_code == 422
            assert wrong.json()["error"]["message"] == "The current password is not correct."
        throttled = _change(client, admin, PASSWORD)
        assert throttled.status_code == 429
        assert throttled.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(throttled.headers["retry-after"]) <= 60

        clock.shift(timedelta(seconds=int(throttled.headers["retry-after"]) + 1))
        assert _change(client, admin, PASSWORD).status_code == 204
        assert login(client, "admin@example.com", NEW_PASSWORD)


def test_wrong_current_passwords_count_against_signing_in(client: TestClient) -> None:
    admin = setup_admin(client)
    with time_machine.travel(utcnow(), tick=False):
        for _ in range(5):
            assert _change(client, admin, WRONG).status_code == 422
        sign_in = client.post(
            "/api/v1/auth/login", json={"email": "admin@example.com", "password": PASSWORD}
        )
    assert sign_in.status_code == 429


def test_wrong_and_throttled_password_changes_are_audited_without_the_password(
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    client: TestClient = make_client(client_address="198.51.100.30")
    admin = setup_admin(client)
    with time_machine.travel(utcnow(), tick=False):
        for _ in range(6):
            _change(client, admin, WRONG)
        response = client.get("/api/v1/audit?page_size=100", headers=admin)
    assert response.status_code == 200
    events = response.json()["items"]
    failed = [e for e in events if e["action"] == "auth.password_change_failed"]
    throttled = [e for e in events if e["action"] == "auth.password_change_throttled"]
    assert len(failed) == 5
    assert len(throttled) == 1
    for event in failed + throttled:
        assert event["target"] == "admin@example.com"
        assert event["actor_email"] == "admin@example.com"
        assert event["client_address"] == "198.51.100.30"
    assert WRONG not in response.text
