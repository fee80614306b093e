"""Fixtures for the sync tests: an app whose catalogue holds the test-only sources."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.sync.sources import PagedSource, token_check
from veelocity.app import create_app
from veelocity.core.config import Settings
from veelocity.sync.catalogue import SyncCatalogue, SyncJob

GITHUB_TOKEN = "ghp_testTOKEN0123456789abcdefok"


@pytest.fixture
def source() -> PagedSource:
    return PagedSource()


@pytest.fixture
def catalogue(source: PagedSource) -> SyncCatalogue:
    return SyncCatalogue.of([SyncJob("github", "github", source)], {"github": token_check})


@pytest.fixture
def make_sync_client(
    make_settings: Callable[..., Settings],
) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def build(catalogue: SyncCatalogue, **overrides: Any) -> TestClient:
        overrides.setdefault("scheduler_enabled", False)
        app = create_app(make_settings(**overrides), sync_catalogue=catalogue)
        client = TestClient(app, client=("127.0.0.1", 50000), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
        client.app.state.context.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def sync_client(
    make_sync_client: Callable[..., TestClient], catalogue: SyncCatalogue
) -> TestClient:
    return make_sync_client(catalogue)


def configure_github(client: TestClient, admin: dict[str, str]) -> None:
    response = client.put(
        "/api/v1/settings/sources/github",
        json={"token": GITHUB_TOKEN, "organizations": ["acme"]},
        headers=admin,
    )
    assert response.status_code == 200, response.text


def wait_for_run(
    client: TestClient,
    headers: dict[str, str],
    run_id: int,
    until: Callable[[dict[str, Any]], bool],
    timeout: float = 20.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = client.get(f"/api/v1/sync/runs/{run_id}", headers=headers).json()
        if until(run):
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} never got there: {run}")
        time.sleep(0.05)


def finished(run: dict[str, Any]) -> bool:
    return run["status"] not in ("queued", "running")
