"""`veelocity demo` as a real process: the fake GitHub, the demo organisation, a startup sync."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.workspace import ADMIN_EMAIL, PASSWORD
from tests.server_process import SPA_DIR, free_port


@contextmanager
def running_demo(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield the demo's base URL and an admin's headers once its first sync has succeeded."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("POSTGRES_", "DATABASE", "VEELOCITY_", "JWT"))
    }
    env["VEELOCITY_SPA_DIR"] = str(SPA_DIR)
    log_path = tmp_path / "demo.log"
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "veelocity", "demo", "--port", str(port), "--seed", "3"]
    command += ["--data-dir", str(tmp_path / "demo"), "--admin", ADMIN_EMAIL]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
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
            _wait_for_first_sync(process, base, headers, log_path)
            yield base, headers
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _sign_in(process: subprocess.Popen[str], base: str, log_path: Path) -> dict[str, str]:
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"the demo exited: {log_path.read_text()[-3000:]}")
        try:
            response = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"email": ADMIN_EMAIL, "password": PASSWORD},
                timeout=5,
            )
            if response.status_code == 200:
                return {"Authorization": f"Bearer {response.json()['access_token']}"}
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the demo did not start in 90 s: {log_path.read_text()[-3000:]}")
        time.sleep(0.5)


def _wait_for_first_sync(
    process: subprocess.Popen[str], base: str, headers: dict[str, str], log_path: Path
) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while True:
        if process.poll() is not None:
            pytest.fail(f"the demo exited: {log_path.read_text()[-3000:]}")
        status = httpx.get(f"{base}/api/v1/sync/status", headers=headers, timeout=10).json()
        last = status["sources"][0]["last_run"]
        if last is not None and status["sources"][0]["state"] == "idle":
            assert last["status"] == "succeeded", last
            return dict(last)
        if time.monotonic() > deadline:
            pytest.fail(f"the first demo sync took over 240 s: {log_path.read_text()[-3000:]}")
        time.sleep(1)
