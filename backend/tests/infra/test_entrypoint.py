"""docker-entrypoint.sh run for real, as the container runs it: it waits for the database,
migrates an empty one, and starts uvicorn with two workers that answer healthy."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect

from tests.infra.conftest import DOCKER, VENV_BIN
from tests.server_process import free_port
from veelocity import schema


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_the_entrypoint_migrates_an_empty_database_and_serves_with_two_workers(
    empty_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = empty_database("entrypoint")
    port = free_port()
    env = {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": url,
        "VEELOCITY_DATA_DIR": str(tmp_path / "data"),
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": "entrypoint-test-" + "x" * 40,
        "WEB_CONCURRENCY": "2",
        "VEELOCITY_HOST": "127.0.0.1",
        "VEELOCITY_PORT": str(port),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "SCHEDULER_ENABLED": "false",
    }
    log_path = tmp_path / "entrypoint.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["/bin/sh", str(DOCKER / "docker-entrypoint.sh")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"the entrypoint exited: {log_path.read_text()}")
            try:
                response = httpx.get(f"{base}/api/v1/health", timeout=2)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"not healthy within 90 s: {log_path.read_text()}")
            time.sleep(0.3)

        assert response.json() == {"status": "healthy"}
        assert "server" not in response.headers
        # `exec` made uvicorn the entrypoint's own process, with two worker processes.
        assert "uvicorn" in _cmdline(process.pid)
        assert "--reload" not in _cmdline(process.pid)
        workers = _wait_for_workers(process.pid, 2)
        assert len(workers) == 2, log_path.read_text()
        engine = create_engine(url)
        assert schema.current_revision(engine) == schema.head_revision()
        assert "scheduled_job" in inspect(engine).get_table_names()
        engine.dispose()
        # Every worker answers: enough requests reach both.
        for _ in range(20):
            assert httpx.get(f"{base}/api/v1/health/live", timeout=5).status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
    assert process.returncode == 0, log_path.read_text()
    assert "Running upgrade  -> 0001" in log_path.read_text()


def _wait_for_workers(pid: int, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while True:
        workers = [c for c in _children(pid) if "spawn_main" in _cmdline(c)]
        if len(workers) >= count or time.monotonic() > deadline:
            return workers
        time.sleep(0.2)


def test_the_entrypoint_runs_a_given_command_instead(tmp_path: Path) -> None:
    """As Fly.io's release command and `docker compose run backend veelocity …` use it."""
    result = subprocess.run(
        ["/bin/sh", str(DOCKER / "docker-entrypoint.sh"), "veelocity", "--help"],
        env={"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("migrate", "backup", "restore", "worker"):
        assert command in result.stdout
