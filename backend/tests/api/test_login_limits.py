"""Login throttling: 5 failed attempts a minute per client address and per account."""

from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, setup_admin
from veelocity.core.time import utcnow


def _attempt(
    client: TestClient,
    password: str,
    *,
    email: str = "admin@example.com",
    forwarded_for: str | None = None,
):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )


def test_sixth_failure_in_a_minute_is_throttled_even_with_the_right_password(
    client: TestClient,
) -> None:
    setup_admin(client)
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            assert _attempt(client, "wrong password!").status_code == 401
        throttled = _attempt(client, "wrong password!")
        assert throttled.status_code == 429
        assert throttled.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(throttled.headers["retry-after"]) <= 60
        assert _attempt(client, PASSWORD).status_code == 429

        clock.shift(timedelta(seconds=int(throttled.headers["retry-after"]) + 1))
        assert _attempt(client, PASSWORD).status_code == 200


def test_the_account_limit_holds_when_the_client_address_changes(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(client_address="127.0.0.1")  # a trusted proxy
    setup_admin(client)
    with time_machine.travel(utcnow(), tick=False):
        for index in range(5):
            response = _attempt(client, "wrong password!", forwarded_for=f"198.51.100.{index}")
            assert response.status_code == 401
        assert _attempt(client, PASSWORD, forwarded_for="198.51.100.77").status_code == 429


def test_one_client_spraying_accounts_is_throttled(client: TestClient) -> None:
    setup_admin(client)
    with time_machine.travel(utcnow(), tick=False):
        for index in range(5):
            assert (
                _attempt(client, "wrong password!", email=f"user{index}@example.com").status_code
                == 401
            )
        assert _attempt(client, PASSWORD).status_code == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(client_address="203.0.113.9")  # not in FORWARDED_ALLOW_IPS
    setup_admin(client)
    with time_machine.travel(utcnow(), tick=False):
        for index in range(5):
            _attempt(
                client,
                "wrong password!",
                email=f"u{index}@example.com",
                forwarded_for=f"10.0.0.{index}",
            )
        # Every attempt counted against the real peer, whatever it claimed.
        assert _attempt(client, PASSWORD, forwarded_for="10.9.9.9").status_code == 429
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
        response = _attempt(client, PASSWORD)
        assert response.status_code == 200
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        audit = client.get("/api/v1/audit", headers=headers).json()["items"]
    failed = {e["client_address"] for e in audit if e["action"] == "auth.login_failed"}
    assert failed == {"203.0.113.9"}


def test_a_slow_guesser_is_capped_at_one_hundred_failures_an_hour(client: TestClient) -> None:
    setup_admin(client)
    start = utcnow()
    failures = 0
    with time_machine.travel(start, tick=False) as clock:
        for minute in range(60):
            for _ in range(5):
                if _attempt(client, "wrong password!").status_code == 401:
                    failures += 1
            clock.move_to(start + timedelta(minutes=minute + 1, seconds=1))
    assert failures == 100
