"""The sync API: start a sync, follow its progress, cancel it, see how it ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import add_user, setup_admin
from tests.sync.conftest import GITHUB_TOKEN, configure_github, finished, wait_for_run
from tests.sync.sources import PagedSource, bad_credentials, budget_exhausted
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.models import SyncCheckpoint
from veelocity.sync.catalogue import SyncCatalogue


def test_a_manual_sync_runs_in_the_background_and_reports_what_it_did(
    sync_client: TestClient, settings: Settings
) -> None:
    admin = setup_admin(sync_client, "lead@example.com")
    configure_github(sync_client, admin)

    response = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin)

    assert response.status_code == 202, response.text
    [queued] = response.json()["runs"]
    assert queued["source"] == "github"
    assert queued["job"] == "github"
    assert queued["trigger"] == "api"
    assert queued["requested_by"] == "lead@example.com"
    assert queued["status"] in ("queued", "running", "succeeded")
    run = wait_for_run(sync_client, admin, queued["id"], finished)
    assert run["status"] == "succeeded"
    assert run["error"] is None
    assert run["items"] == 600
    assert run["requests_used"] == 6
    assert run["rate_limit_remaining"] == 5000 - 6
    assert run["current_stream"] is None
    assert run["streams"] == [
        {"name": "pull_requests", "items": 300, "requests": 3, "done": True},
        {"name": "deployments", "items": 300, "requests": 3, "done": True},
    ]
    assert run["started_at"] is not None
    assert run["finished_at"] >= run["started_at"] >= run["created_at"]
    engine = make_engine(settings)
    with make_session_factory(engine)() as session:
        checkpoints = session.scalars(select(SyncCheckpoint.stream)).all()
    engine.dispose()
    assert sorted(checkpoints) == ["deployments", "pull_requests"]


def test_progress_is_visible_while_the_run_goes(
    sync_client: TestClient, source: PagedSource
) -> None:
    source.hold_at_page = 3
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    [run] = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin).json()[
        "runs"
    ]
    assert source.reached_hold.wait(10)

    live = wait_for_run(sync_client, admin, run["id"], lambda r: r["items"] == 200)

    assert live["status"] == "running"
    assert live["current_stream"] == "pull_requests"
    assert live["streams"] == [
        {"name": "pull_requests", "items": 200, "requests": 2, "done": False}
    ]
    status = sync_client.get("/api/v1/sync/status", headers=admin).json()
    [github] = status["sources"]
    assert github["state"] == "running"
    assert github["current_run"]["id"] == run["id"]
    source.release.set()
    assert wait_for_run(sync_client, admin, run["id"], finished)["status"] == "succeeded"


def test_asking_again_while_a_run_is_going_returns_that_run(
    sync_client: TestClient, source: PagedSource
) -> None:
    source.hold_at_page = 1
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    first = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin).json()
    assert source.reached_hold.wait(10)

    again = sync_client.post("/api/v1/sync", json={}, headers=admin)

    assert again.status_code == 202
    assert [r["id"] for r in again.json()["runs"]] == [first["runs"][0]["id"]]
    source.release.set()
    wait_for_run(sync_client, admin, first["runs"][0]["id"], finished)
    assert source.calls == 1
    audit = sync_client.get("/api/v1/audit?action=sync.triggered", headers=admin).json()
    assert [(e["target"], e["details"]["new_run"]) for e in audit["items"]] == [
        ("github", False),
        ("github", True),
    ]
    assert audit["items"][1]["actor_email"] == "admin@example.com"
    assert audit["items"][1]["client_address"] == "127.0.0.1"


def test_cancelling_a_running_sync_stops_it_at_the_next_page(
    sync_client: TestClient, source: PagedSource
) -> None:
    source.hold_at_page = 2
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    [run] = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin).json()[
        "runs"
    ]
    assert source.reached_hold.wait(10)

    response = sync_client.post(f"/api/v1/sync/runs/{run['id']}/cancel", headers=admin)

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "running"
    ended = wait_for_run(sync_client, admin, run["id"], finished)
    assert ended["status"] == "cancelled"
    assert ended["error"] is None
    assert ended["items"] == 100  # the page written before the cancel is kept
    again = sync_client.post(f"/api/v1/sync/runs/{run['id']}/cancel", headers=admin)
    assert again.status_code == 409
    assert "already ended (cancelled)" in again.json()["error"]["message"]
    audit = sync_client.get("/api/v1/audit?action=sync.cancelled", headers=admin).json()
    assert [(e["target"], e["details"]["run_id"]) for e in audit["items"]] == [
        ("github", run["id"])
    ]


def test_a_rejected_token_fails_the_run_with_the_upstreams_words(
    sync_client: TestClient, source: PagedSource
) -> None:
    source.fail_at_page = 2
    source.error = bad_credentials()
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    [run] = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin).json()[
        "runs"
    ]

    ended = wait_for_run(sync_client, admin, run["id"], finished)

    assert ended["status"] == "failed"
    assert ended["error"] == {
        "code": "bad_credentials",
        "message": "GitHub rejected the token (401). Enter a new token.",
        "resets_at": None,
    }
    assert ended["items"] == 100
    status = sync_client.get("/api/v1/status", headers=admin).json()
    github = next(s for s in status["sources"] if s["source"] == "github")
    assert github["last_error"] == "GitHub rejected the token (401). Enter a new token."
    assert github["last_sync_at"] is None
    sync_status = sync_client.get("/api/v1/sync/status", headers=admin).json()
    assert sync_status["sources"][0]["last_run"]["id"] == run["id"]
    assert sync_status["sources"][0]["state"] == "idle"


def test_a_sync_that_spends_its_budget_stops_and_says_when_it_resets(
    sync_client: TestClient, source: PagedSource
) -> None:
    resets_at = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    source.fail_at_page = 4
    source.error = budget_exhausted(resets_at)
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    [run] = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin).json()[
        "runs"
    ]

    ended = wait_for_run(sync_client, admin, run["id"], finished)

    assert ended["status"] == "budget_exhausted"
    assert ended["error"]["code"] == "budget_exhausted"
    assert "RATE_LIMIT_MAX_PER_SYNC" in ended["error"]["message"]
    assert datetime.fromisoformat(ended["error"]["resets_at"]) == resets_at
    assert ended["items"] == 300


def test_status_shows_the_last_success_and_the_demo_flag(
    make_sync_client: Callable[..., TestClient], catalogue: SyncCatalogue
) -> None:
    client = make_sync_client(catalogue, veelocity_demo=True)
    admin = setup_admin(client)
    before = client.get("/api/v1/sync/status", headers=admin).json()
    assert before == {
        "demo": True,
        "sources": [
            {
                "source": "github",
                "configured": False,
                "state": "idle",
                "current_run": None,
                "last_run": None,
                "last_success_at": None,
                "next_run_at": None,
            }
        ],
    }
    configure_github(client, admin)
    [run] = client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]
    ended = wait_for_run(client, admin, run["id"], finished)

    after = client.get("/api/v1/sync/status", headers=admin).json()["sources"][0]

    assert after["configured"] is True
    assert after["last_success_at"] == ended["finished_at"]
    status = client.get("/api/v1/status", headers=admin).json()
    github = next(s for s in status["sources"] if s["source"] == "github")
    assert github["last_sync_at"] == ended["finished_at"]
    assert github["last_error"] is None


def test_unknown_and_unconfigured_sources_are_refused_clearly(sync_client: TestClient) -> None:
    admin = setup_admin(sync_client)

    unknown = sync_client.post("/api/v1/sync", json={"source": "gitlab"}, headers=admin)
    not_yet = sync_client.post("/api/v1/sync", json={"source": "linear"}, headers=admin)
    unconfigured = sync_client.post("/api/v1/sync", json={"source": "github"}, headers=admin)
    nothing = sync_client.post("/api/v1/sync", json={}, headers=admin)
    extra = sync_client.post("/api/v1/sync", json={"sources": ["github"]}, headers=admin)

    assert unknown.status_code == 404
    assert "no source named 'gitlab'" in unknown.json()["error"]["message"]
    assert not_yet.status_code == 404
    assert not_yet.json()["error"]["message"] == "Veelocity cannot sync Linear yet."
    assert unconfigured.status_code == 409
    message = unconfigured.json()["error"]["message"]
    assert "token, organizations or repositories" in message
    assert "Settings → GitHub" in message
    assert nothing.status_code == 409
    assert extra.status_code == 422
    assert sync_client.get("/api/v1/sync/runs", headers=admin).json()["total"] == 0


def test_viewers_follow_syncs_but_only_admins_start_or_cancel_them(
    sync_client: TestClient, source: PagedSource
) -> None:
    source.hold_at_page = 1
    admin = setup_admin(sync_client)
    viewer = add_user(sync_client, admin, "viewer@example.com")
    configure_github(sync_client, admin)
    assert sync_client.post("/api/v1/sync", json={}, headers=viewer).status_code == 403
    [run] = sync_client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]

    assert sync_client.get("/api/v1/sync/status", headers=viewer).status_code == 200
    assert sync_client.get(f"/api/v1/sync/runs/{run['id']}", headers=viewer).status_code == 200
    assert sync_client.get("/api/v1/sync/runs", headers=viewer).json()["total"] == 1
    refused = sync_client.post(f"/api/v1/sync/runs/{run['id']}/cancel", headers=viewer)
    assert refused.status_code == 403
    source.release.set()
    wait_for_run(sync_client, admin, run["id"], finished)


def test_runs_are_listed_newest_first_a_page_at_a_time(sync_client: TestClient) -> None:
    admin = setup_admin(sync_client)
    configure_github(sync_client, admin)
    ids = []
    for _ in range(3):
        [run] = sync_client.post("/api/v1/sync", json={}, headers=admin).json()["runs"]
        wait_for_run(sync_client, admin, run["id"], finished)
        ids.append(run["id"])

    first = sync_client.get("/api/v1/sync/runs?page_size=2", headers=admin).json()
    second = sync_client.get("/api/v1/sync/runs?page=2&page_size=2", headers=admin).json()
    other = sync_client.get("/api/v1/sync/runs?source=linear", headers=admin).json()

    assert [r["id"] for r in first["items"]] == [ids[2], ids[1]]
    assert [r["id"] for r in second["items"]] == [ids[0]]
    assert (first["total"], first["page"], first["page_size"]) == (3, 1, 2)
    assert other == {"items": [], "page": 1, "page_size": 50, "total": 0}
    missing = sync_client.get("/api/v1/sync/runs/999999", headers=admin)
    assert missing.status_code == 404
    assert sync_client.get("/api/v1/sync/runs?page_size=500", headers=admin).status_code == 422


def test_testing_a_connection_uses_stored_or_unsaved_settings_and_saves_nothing(
    sync_client: TestClient,
) -> None:
    admin = setup_admin(sync_client)
    viewer = add_user(sync_client, admin, "viewer@example.com")
    url = "/api/v1/settings/sources/github/test"

    nothing_stored = sync_client.post(url, headers=admin)
    configure_github(sync_client, admin)
    stored = sync_client.post(url, headers=admin)
    unsaved = sync_client.post(
        url,
        json={"token": "ghp_an_unsaved_token_that_fails", "organizations": ["x"]},
        headers=admin,
    )

    assert nothing_stored.json() == {
        "ok": False,
        "message": "No GitHub token is stored.",
        "details": {},
    }
    assert stored.json() == {
        "ok": True,
        "message": "Connected as octocat.",
        "details": {"login": "octocat", "organizations": ["acme"]},
    }
    assert unsaved.json()["ok"] is False
    settings = sync_client.get("/api/v1/settings", headers=admin).json()["sources"]["github"]
    assert settings["organizations"] == ["acme"]
    assert settings["token"]["last4"] == GITHUB_TOKEN[-4:]
    assert sync_client.post(url, headers=viewer).status_code == 403
    assert (
        sync_client.post("/api/v1/settings/sources/gitlab/test", headers=admin).status_code == 404
    )
    linear = sync_client.post("/api/v1/settings/sources/linear/test", headers=admin)
    assert linear.status_code == 200
    assert linear.json()["ok"] is False
    assert "not supported yet" in linear.json()["message"]
    bad = sync_client.post(url, json={"repositories": ["not a repo"]}, headers=admin)
    assert bad.status_code == 422
