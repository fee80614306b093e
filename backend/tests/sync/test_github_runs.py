"""The real GitHub connector through the sync API, against the fake GitHub."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.conftest import setup_admin
from tests.sync.conftest import finished, wait_for_run
from veelocity.demo import DemoConfig, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github


@pytest.fixture
def fake() -> Iterator[tuple[FakeGitHub, str]]:
    org = generate(
        DemoConfig(
            seed=11, repositories=3, developers=6, months=2, now=datetime(2026, 11, 1, tzinfo=UTC)
        )
    )
    github = FakeGitHub(org)
    with run_fake_github(github) as base_url:
        yield github, base_url


@pytest.fixture
def github_client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(
        outbound_host_allowlist=["127.0.0.1"], rate_limit_delay_ms=0, scheduler_enabled=False
    )


def test_testing_the_github_connection_with_unsaved_values(
    github_client: TestClient, fake: tuple[FakeGitHub, str]
) -> None:
    _, base_url = fake
    admin = setup_admin(github_client)
    url = "/api/v1/settings/sources/github/test"
    values = {"api_base_url": base_url, "organizations": ["acme"]}

    good = github_client.post(url, json={**values, "token": DEMO_TOKEN}, headers=admin)
    bad = github_client.post(url, json={**values, "token": "ghp_" + "y" * 36}, headers=admin)

    assert good.status_code == 200, good.text
    assert good.json()["ok"] is True, good.json()
    assert good.json()["details"]["repositories"] == 3
    assert bad.json()["ok"] is False
    assert "401" in bad.json()["message"] or "token" in bad.json()["message"].lower()
    saved = github_client.get("/api/v1/settings", headers=admin).json()["sources"]["github"]
    assert saved["token"]["configured"] is False
    assert saved["organizations"] == []


def test_a_github_sync_shows_progress_and_stops_when_cancelled(
    github_client: TestClient, fake: tuple[FakeGitHub, str]
) -> None:
    github, base_url = fake
    github.faults.latency = 0.3  # slow enough that the run is still paging when cancelled
    admin = setup_admin(github_client)
    github_client.put(
        "/api/v1/settings/sources/github",
        json={"api_base_url": base_url, "organizations": ["acme"], "token": DEMO_TOKEN},
        headers=admin,
    )
    [run] = github_client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]

    live = wait_for_run(github_client, admin, run["id"], lambda r: r["items"] > 0, timeout=60)
    github_client.post(f"/api/v1/sync/runs/{run['id']}/cancel", headers=admin)
    ended = wait_for_run(github_client, admin, run["id"], finished, timeout=60)

    assert live["requests_used"] > 0
    assert live["rate_limit_remaining"] is not None
    assert live["streams"]
    assert ended["status"] == "cancelled", ended
    assert ended["finished_at"] is not None

    github.faults.latency = 0
    [again] = github_client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]
    resumed = wait_for_run(github_client, admin, again["id"], finished, timeout=120)
    assert resumed["status"] == "succeeded", resumed
    prs = github_client.get("/api/v1/github/prs?page_size=100", headers=admin).json()
    assert prs["items"]


def test_a_github_run_waiting_out_a_rate_limit_is_cancelled_within_two_seconds(
    github_client: TestClient, fake: tuple[FakeGitHub, str]
) -> None:
    github, base_url = fake
    # every GraphQL answer asks to come back in 30 s: the run waits
    github.faults.add("secondary_rate_limit", path="/graphql", count=None, status=429, seconds=30)
    admin = setup_admin(github_client)
    github_client.put(
        "/api/v1/settings/sources/github",
        json={"api_base_url": base_url, "organizations": ["acme"], "token": DEMO_TOKEN},
        headers=admin,
    )
    [run] = github_client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]
    deadline = time.monotonic() + 30
    while github.stats.graphql == 0:
        assert time.monotonic() < deadline, "the run sent no GraphQL request in 30 s"
        time.sleep(0.05)
    time.sleep(0.5)

    asked = time.monotonic()
    github_client.post(f"/api/v1/sync/runs/{run['id']}/cancel", headers=admin)
    ended = wait_for_run(github_client, admin, run["id"], finished, timeout=30)
    latency = time.monotonic() - asked

    assert ended["status"] == "cancelled", ended
    assert latency < 2, f"the run took {latency:.1f} s to stop after the cancel"
    # one request per repository worker, each waiting: none was sent again
    assert github.stats.graphql <= 4
