"""Release security checks that no feature's own tests cover (ids from docs/security.md)."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import time_machine
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD, login, setup_admin
from tests.server_process import running_server
from veelocity.core.time import utcnow

PUBLIC_API_PATHS = {"/api/v1/health", "/api/v1/health/live"}


def _me(client: TestClient, token: str) -> int:
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    return int(response.status_code)


def _jwt_secret(client: TestClient) -> str:
    settings = client.app.state.context.settings  # type: ignore[attr-defined]
    return str(settings.jwt_secret_key.get_secret_value())


def _claims(headers: dict[str, str]) -> dict[str, Any]:
    token = headers["Authorization"].removeprefix("Bearer ")
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _signed(client: TestClient, claims: dict[str, Any], **header: object) -> str:
    """A token signed with the server's own key, so only the claim or header under test is off."""
    return jwt.encode(claims, _jwt_secret(client), algorithm="HS256", headers=header or None)


def _connections_made_to(listener: socket.socket) -> int:
    """Connections the kernel completed on a listening socket (accepted here, then closed)."""
    count = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_a_missing_account_costs_the_same_password_verification_as_a_wrong_password(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A-08: the cost of an answer does not tell whether the account exists."""
    setup_admin(client)
    verified: list[str] = []
    original = PasswordHasher.verify

    def counting_verify(self: PasswordHasher, stored_hash: str | bytes, password: str) -> bool:
        verified.append(re.sub(r"\$[^$]*\$[^$]*$", "", str(stored_hash)))  # parameters only
        return original(self, stored_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    answers = []
    for email in ("admin@example.com", "nobody@example.com"):
        verified.clear()
        response = client.post(
            "/api/v1/auth/login", json={"email": email, "password": "not the password"}
        )
        answers.append((response.status_code, response.json()["error"], list(verified)))
    (wrong_status, wrong_error, wrong_hashes), (missing_status, missing_error, missing_hashes) = (
        answers
    )
    assert wrong_status == missing_status == 401
    assert {k: v for k, v in wrong_error.items() if k != "request_id"} == {
        k: v for k, v in missing_error.items() if k != "request_id"
    }
    assert len(wrong_hashes) == len(missing_hashes) == 1
    assert wrong_hashes == missing_hashes  # the same argon2id parameters, so the same work


def test_key_hints_in_the_token_header_are_ignored_and_nothing_is_fetched(
    client: TestClient,
) -> None:
    """J-03: `jku`, `x5u`, `jwk` and `kid` never make the server fetch a key."""
    headers = setup_admin(client)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    elsewhere = f"http://127.0.0.1:{listener.getsockname()[1]}/keys"
    try:
        claims = _claims(headers)
        for hint in (
            {"jku": elsewhere},
            {"x5u": elsewhere},
            {"jwk": {"kty": "oct", "k": "c2VjcmV0", "jku": elsewhere}},
            {"kid": elsewhere},
        ):
            assert _me(client, _signed(client, claims, **hint)) in {200, 401}, hint
            foreign = jwt.encode(claims, "k" * 40, algorithm="HS256", headers=hint)
            assert _me(client, foreign) == 401, hint
        # Decoding is synchronous: a fetch would have connected before the answer came back.
        assert _connections_made_to(listener) == 0
    finally:
        listener.close()


def test_tokens_not_yet_valid_expired_beyond_the_leeway_or_without_expiry_are_refused(
    client: TestClient,
) -> None:
    """J-04: `exp` is required, 10 s of leeway at most, and `nbf` is honoured."""
    claims = _claims(setup_admin(client))
    now = int(utcnow().timestamp())
    assert _me(client, _signed(client, {**claims, "exp": now - 1})) == 200  # within the leeway
    assert _me(client, _signed(client, {**claims, "exp": now - 11})) == 401
    assert _me(client, _signed(client, {**claims, "nbf": now + 60})) == 401
    without_expiry = {k: v for k, v in claims.items() if k != "exp"}
    assert _me(client, _signed(client, without_expiry)) == 401


def test_tokens_of_another_kind_issuer_or_audience_are_refused(client: TestClient) -> None:
    """J-05: `typ`, `iss` and `aud` are checked; refresh and access tokens never swap roles."""
    claims = _claims(setup_admin(client))
    assert _me(client, _signed(client, claims)) == 200  # the forgery itself is sound
    for changed in ({"typ": "refresh"}, {"iss": "elsewhere"}, {"aud": "another-api"}):
        assert _me(client, _signed(client, {**claims, **changed})) == 401, changed

    access = login(client, "admin@example.com")["Authorization"].removeprefix("Bearer ")
    refresh = client.cookies.get("veelocity_refresh")
    assert refresh
    assert _me(client, refresh) == 401
    client.cookies.clear()
    client.cookies.set("veelocity_refresh", access, path="/api/v1/auth")
    assert client.post("/api/v1/auth/refresh").status_code == 401


def test_each_sign_in_gets_new_tokens_and_refresh_tokens_are_stored_only_as_digests(
    client: TestClient, database_url: str
) -> None:
    """J-06 and C-07: fresh tokens per sign-in; 256-bit refresh tokens, kept as SHA-256."""
    setup_admin(client)
    issued = []
    for _ in range(2):
        access = login(client, "admin@example.com")["Authorization"]
        refresh = client.cookies.get("veelocity_refresh")
        assert refresh
        assert len(refresh) >= 43  # token_urlsafe(32): 256 bits, at least the 128 asked for
        issued.append((access, refresh))
    assert issued[0][0] != issued[1][0]
    assert issued[0][1] != issued[1][1]

    engine = create_engine(database_url)
    with engine.connect() as connection:
        digests = set(connection.execute(text("SELECT token_digest FROM refresh_token")).scalars())
        sessions = connection.execute(text("SELECT * FROM auth_session")).all()
    engine.dispose()
    for _, refresh in issued:
        assert refresh not in digests
        assert refresh not in str(sessions)
        assert any(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in digests)


def _protected_routes(client: TestClient) -> list[tuple[str, str]]:
    routes = iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
    return sorted(
        (route.path, method)
        for route in routes
        if route.path
        and route.path.startswith("/api/")
        and route.path not in PUBLIC_API_PATHS
        and not route.path.startswith("/api/v1/auth/")
        for method in route.methods or ()
    )


def test_every_protected_route_refuses_an_expired_token(client: TestClient) -> None:
    """Z-01 with a token that was genuine: signed by the server, just too old."""
    headers = setup_admin(client)
    routes = _protected_routes(client)
    assert len(routes) >= 10
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        for path, method in routes:
            response = client.request(
                method, re.sub(r"\{[^}]+\}", "1", path), headers=headers, json={}
            )
            assert response.status_code == 401, (method, path)
            assert response.json()["error"]["code"] == "not_authenticated"


def test_a_production_start_with_cors_left_open_warns(
    make_client: Callable[..., TestClient],
    capfd: pytest.CaptureFixture[str],
) -> None:
    """H-06: left empty, CORS allows any origin (without credentials) and says so."""
    capfd.readouterr()
    make_client(debug=False, cors_allowed_origins=[])
    assert "CORS_ALLOWED_ORIGINS is empty" in capfd.readouterr().err
    make_client(debug=False, cors_allowed_origins=["https://app.example"])
    assert "CORS_ALLOWED_ORIGINS is empty" not in capfd.readouterr().err


def test_every_authenticated_api_answer_is_marked_no_store(client: TestClient) -> None:
    """H-04: a browser or proxy keeps no copy of what a signed-in user was shown."""
    headers = setup_admin(client)
    readable = [
        path for path, method in _protected_routes(client) if method == "GET" and "{" not in path
    ]
    assert len(readable) >= 10
    for path in [*readable, "/api/v1/auth/me"]:
        response = client.get(path, headers=headers)
        assert response.status_code != 401, path
        assert response.headers["cache-control"] == "no-store", path


def test_prometheus_metrics_name_route_templates_never_what_a_request_carried(
    client: TestClient,
) -> None:
    """H-12 for /metrics: paths and query strings with secrets in them leave no trace."""
    headers = setup_admin(client)
    canary = "ghp_metricsCanary0123456789abcdefghijklMTRC"
    client.put("/api/v1/settings/sources/github", json={"token": canary}, headers=headers)
    client.get(f"/api/v1/teams/{canary}?token={canary}", headers=headers)
    client.get(f"/api/v1/no-such-route/{canary}?api_key={canary}")
    client.post("/api/v1/auth/login", json={"email": canary, "password": canary})

    exposed = client.get("/metrics").text
    assert 'route="/api/v1/teams/{team_id}"' in exposed
    for secret in (canary, headers["Authorization"].removeprefix("Bearer "), PASSWORD):
        assert secret not in exposed


@dataclass
class _SettingsReader:
    """Reads the settings 20 times a second from whichever server is up, noting every answer."""

    headers: dict[str, str]
    base: str | None = None
    phase: str = "starting"
    answers: dict[str, list[str]] = field(default_factory=dict)
    refused: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(timeout=5) as client:
            while not self.stop.wait(0.05):
                base, phase = self.base, self.phase
                if base is None:
                    self.refused += 1
                    continue
                try:
                    response = client.get(f"{base}/api/v1/settings", headers=self.headers)
                except httpx.TransportError:
                    self.refused += 1  # the process is stopping or not listening yet
                    continue
                self.answers.setdefault(phase, []).append(self._verdict(response))

    @staticmethod
    def _verdict(response: httpx.Response) -> str:
        if response.status_code != 200:
            return f"status {response.status_code}"
        body = response.json()
        token = body["sources"]["github"]["token"]
        if body["unreadable_secrets"] or token != {"configured": True, "last4": "LAST"}:
            return f"secret not read: {token}, {body['unreadable_secrets']} unreadable"
        return "ok"


def test_a_key_rotation_through_restarts_under_load_fails_no_answered_request(
    make_client: Callable[..., TestClient], database_url: str, tmp_path: Path
) -> None:
    """C-03: secrets under K1; serve with K2 and K1 rotating from; `keys rotate`; K2 only."""
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    jwt_secret = "r" * 40  # sessions outlive the restarts
    under_k1 = make_client(
        veelocity_encryption_key=SecretStr(k1), jwt_secret_key=SecretStr(jwt_secret)
    )
    headers = setup_admin(under_k1)
    saved = under_k1.put(
        "/api/v1/settings/sources/github",
        json={"token": "ghp_rotationUnderLoad0123456789abcdefLAST"},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text

    common = {
        "DATABASE_URL": database_url,
        "JWT_SECRET_KEY": jwt_secret,
        "SCHEDULER_ENABLED": "false",
        "WEB_CONCURRENCY": "1",
    }
    k2_from_k1 = {
        **common,
        "VEELOCITY_ENCRYPTION_KEY": k2,
        "VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM": k1,
    }
    k2_only = {**common, "VEELOCITY_ENCRYPTION_KEY": k2}
    for run in ("k2-from-k1", "k2-only"):
        (tmp_path / run).mkdir()

    reader = _SettingsReader(headers)
    thread = threading.Thread(target=reader.run, daemon=True)
    thread.start()
    try:
        with running_server(tmp_path / "k2-from-k1", k2_from_k1) as (base, _log):
            reader.base, reader.phase = base, "K2 rotating from K1"
            time.sleep(1)
            reader.phase = "during keys rotate"
            rotated = subprocess.run(
                [sys.executable, "-m", "veelocity", "keys", "rotate"],
                env={**os.environ, **k2_from_k1, "VEELOCITY_DATA_DIR": str(tmp_path)},
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert rotated.returncode == 0, rotated.stderr
            assert "re-encrypted 1 secrets" in rotated.stdout
            reader.phase = "after keys rotate"
            time.sleep(1)
            reader.base = None
        with running_server(tmp_path / "k2-only", k2_only) as (base, _log):
            reader.base, reader.phase = base, "K2 only"
            time.sleep(1)
    finally:
        reader.stop.set()
        thread.join(timeout=10)

    phases = ["K2 rotating from K1", "during keys rotate", "after keys rotate", "K2 only"]
    assert list(reader.answers) == phases
    for phase in phases:
        verdicts = reader.answers[phase]
        assert len(verdicts) >= 3, (phase, verdicts)
        assert set(verdicts) == {"ok"}, (phase, [v for v in verdicts if v != "ok"])
