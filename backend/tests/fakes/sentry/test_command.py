"""`python -m veelocity.fakes.sentry` serves a generated organisation from its own process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

from veelocity.fakes.sentry import DEMO_TOKEN


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_command_serves_the_organisation_it_generates() -> None:
    port = _free_port()
    command = [sys.executable, "-m", "veelocity.fakes.sentry", "--seed", "3", "--projects", "2"]
    command += ["--issues", "50", "--releases", "5", "--org", "initech", "--port", str(port)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/api/0/organizations/initech/issues/?query="
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(url, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
                break
            except httpx.TransportError:
                assert process.poll() is None, "the command exited"
                assert time.monotonic() < deadline, "the fake did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert len(response.json()) == 50
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert DEMO_TOKEN in stderr
