"""Start the real service as a separate process, the way `make run` does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

SPA_DIR = Path(__file__).resolve().parents[2] / "frontend" / "dist"
_CLEARED = (
    "DATABASE_URL",
    "POSTGRES_PASSWORD",
    "POSTGRES_HOST",
    "VEELOCITY_ENCRYPTION_KEY",
    "JWT_SECRET_KEY",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(tmp_path: Path, env_overrides: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """Yield the base URL and the log file of a healthy server; stop it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update({"VEELOCITY_DATA_DIR": str(tmp_path / "data")})
    env.update(env_overrides)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "veelocity", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            # Migrations and start-up take well over 30 s on a loaded two-core machine.
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    pytest.fail(f"server exited: {log_path.read_text()}")
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not become healthy in 90 s: {log_path.read_text()}")
                time.sleep(0.2)
            yield base, log_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
