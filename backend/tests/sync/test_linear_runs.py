"""The real Linear connector through the settings and sync API, against the fake Linear:
test connection with unsaved values, a run with progress per stream, Status showing it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.conftest import setup_admin
from tests.sync.conftest import finished, wait_for_run
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear


@pytest.fixture
def workspace() -> LinearWorkspace:
    return generate_workspace(
        LinearConfig(seed=5, teams=2, issues=150, months=1, now=datetime(2026, 11, 1, tzinfo=UTC))
    )


@pytest.fixture
def api_url(workspace: LinearWorkspace) -> Iterator[str]:
    with run_fake_linear(FakeLinear(workspace)) as base_url:
        yield f"{base_url}/graphql"


@pytest.fixture
def linear_client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(outbound_host_allowlist=["127.0.0.1"], scheduler_enabled=False)


def test_testing_the_linear_connection_with_unsaved_values(
    linear_client: TestClient, api_url: str, workspace: LinearWorkspace
) -> None:
    admin = setup_admin(linear_client)
    url = "/api/v1/settings/sources/linear/test"

    good = linear_client.post(url, json={"api_url": api_url, "api_key": DEMO_KEY}, headers=admin)
    bad = linear_client.post(
        url, json={"api_url": api_url, "api_key": "lin_api_not_a_key"}, headers=admin
    )

    assert good.status_code == 200, good.text
    assert good.json()["ok"] is True, good.json()
    assert good.json()["details"]["teams"] == sorted(team.key for team in workspace.teams)
    assert bad.json()["ok"] is False
    assert "Settings → Linear" in bad.json()["message"]
    saved = linear_client.get("/api/v1/settings", headers=admin).json()["sources"]["linear"]
    assert saved["api_key"]["configured"] is False


def test_a_linear_sync_shows_progress_per_stream_and_status_shows_it(
    linear_client: TestClient, api_url: str, workspace: LinearWorkspace
) -> None:
    admin = setup_admin(linear_client)
    linear_client.put(
        "/api/v1/settings/sources/linear",
        json={"api_url": api_url, "api_key": DEMO_KEY},
        headers=admin,
    )

    answer = linear_client.post("/api/v1/sync", json={"source": "linear"}, headers=admin)
    [run] = answer.json()["runs"]
    ended = wait_for_run(linear_client, admin, run["id"], finished, timeout=120)

    assert ended["status"] == "succeeded", ended
    assert ended["source"] == "linear"
    assert ended["items"] >= len(workspace.issues)
    assert ended["requests_used"] >= 1
    streams = {stream["name"]: stream for stream in ended["streams"]}
    assert {"issues", "workflow_states", "users", "cycles", "issue_more"} <= set(streams)
    assert streams["issues"]["items"] == len(workspace.issues)
    assert all(stream["done"] for stream in streams.values())
    status = linear_client.get("/api/v1/status", headers=admin).json()
    [linear] = [source for source in status["sources"] if source["source"] == "linear"]
    assert linear["syncs"] is True
    assert linear["last_sync_at"] is not None
    assert linear["last_error"] is None
