"""A "test connection" waiting on a slow upstream holds no database transaction: people can
still sign in meanwhile (on SQLite a held write lock would answer every sign-in 503)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, setup_admin
from tests.core.local_upstream import http_answer, local_upstream


def test_signing_in_works_while_a_connection_test_waits_on_a_slow_upstream(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(outbound_host_allowlist=["127.0.0.1"], scheduler_enabled=False)
    admin = setup_admin(client)
    arrived, release = threading.Event(), threading.Event()

    def slow_upstream(connection: socket.socket, _head: bytes) -> None:
        arrived.set()
        release.wait(timeout=15)
        connection.sendall(http_answer("200 OK", b'{"login": "octocat"}', "X-OAuth-Scopes: repo"))

    with local_upstream(slow_upstream) as port, ThreadPoolExecutor(1) as pool:
        # unsaved values: the check writes them where it reads its configuration
        checking = pool.submit(
            client.post,
            "/api/v1/settings/sources/github/test",
            json={
                "api_base_url": f"http://127.0.0.1:{port}",
                "token": "ghp_" + "x" * 36,
                "repositories": ["acme/api"],
            },
            headers=admin,
        )
        try:
            assert arrived.wait(timeout=10), "the check never called the upstream"
            started = time.monotonic()
            signed_in = client.post(
                "/api/v1/auth/login", json={"email": "admin@example.com", "password": PASSWORD}
            )
            took = time.monotonic() - started
        finally:
            release.set()
        checked = checking.result(timeout=30)

    assert signed_in.status_code == 200, signed_in.text
    assert took < 3
    assert checked.status_code == 200, checked.text
    saved = client.get("/api/v1/settings", headers=admin).json()["sources"]["github"]
    assert saved["token"]["configured"] is False
    assert saved["repositories"] == []
