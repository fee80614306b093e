"""`veelocity demo` as a real process: a fake GitHub and a fake Linear, a first sync at once,
Veelocity teams matching the Linear teams, labelled demo data."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, TEST_DB
from tests.server_process import free_port

BACKEND = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(TEST_DB != "sqlite", reason="the demo always runs on its own SQLite file")
def test_the_demo_syncs_a_generated_organisation_and_shows_its_figures(tmp_path: Path) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("POSTGRES_", "DATABASE", "VEELOCITY_", "JWT"))
    }
    log_path = tmp_path / "demo.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "veelocity",
                "demo",
                "--port",
                str(port),
                "--seed",
                "3",
                "--data-dir",
                str(tmp_path / "demo"),
                "--admin",
                "lead@example.com",
            ],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdin is not None
        process.stdin.write(PASSWORD + "\n")
        process.stdin.close()
        try:
            headers = _sign_in(process, base, log_path)
            run = _first_sync(process, base, headers, log_path)
            assert run["trigger"] == "startup"
            # Linear's scheduled slot comes minutes later: start its sync now.
            started = httpx.post(f"{base}/api/v1/sync", json={"source": "linear"}, headers=headers)
            assert started.status_code == 202, started.text
            linear_run = _finished(process, base, headers, log_path, started.json()["runs"][0])
            issues = httpx.get(f"{base}/api/v1/issues?page_size=100", headers=headers).json()
            teams = httpx.get(f"{base}/api/v1/teams", headers=headers).json()["items"]
            status = httpx.get(f"{base}/api/v1/sync/status", headers=headers).json()
            prs = httpx.get(f"{base}/api/v1/github/prs?page_size=5", headers=headers).json()
            dora = httpx.get(f"{base}/api/v1/metrics/dora", headers=headers).json()
            sources = httpx.get(f"{base}/api/v1/settings", headers=headers).json()["sources"]
            github, linear = sources["github"], sources["linear"]
        finally:
            process.terminate()
            process.wait(timeout=20)

    assert status["demo"] is True
    assert run["items"] > 100
    assert len(prs["items"]) == 5
    keys = {key["slug"]: key for key in dora["keys"]}
    assert keys["deployment-frequency"]["value"] > 0
    assert keys["lead-time"]["sample_size"] > 0
    assert github["api_base_url"].startswith("http://127.0.0.1:")
    assert github["organizations"] == ["acme"]
    assert github["token"]["configured"] is True
    assert (tmp_path / "demo" / "veelocity.db").exists()
    assert "fake GitHub" in log_path.read_text()
    assert "fake Linear" in log_path.read_text()
    assert linear["api_key"]["configured"] is True
    assert linear_run["status"] == "succeeded", linear_run
    assert len(issues["items"]) == 100
    assert any(issue["linked_pull_requests"] for issue in issues["items"])
    assert {team["name"] for team in teams} >= {"Engineering", "Payments"}
    assert all(team["members"] and team["repositories"] for team in teams)


def _sign_in(process: subprocess.Popen[str], base: str, log_path: Path) -> dict[str, str]:
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, log_path.read_text()
        try:
            response = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"email": "lead@example.com", "password": PASSWORD},
                timeout=5,
            )
            if response.status_code == 200:
                return {"Authorization": f"Bearer {response.json()['access_token']}"}
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.5)


def _finished(
    process: subprocess.Popen[str],
    base: str,
    headers: dict[str, str],
    log_path: Path,
    run: dict[str, Any],
) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while run["status"] in ("queued", "running"):
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(1)
        run = httpx.get(f"{base}/api/v1/sync/runs/{run['id']}", headers=headers, timeout=10).json()
    return run


def _first_sync(
    process: subprocess.Popen[str], base: str, headers: dict[str, str], log_path: Path
) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while True:
        assert process.poll() is None, log_path.read_text()
        status = httpx.get(f"{base}/api/v1/sync/status", headers=headers, timeout=10).json()
        last = status["sources"][0]["last_run"]
        if last is not None:
            assert last["status"] == "succeeded", last
            return dict(last)
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(1)
