"""`python -m veelocity.fakes.linear` serves a generated workspace from its own process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

from veelocity.fakes.linear import DEMO_KEY


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_command_serves_the_workspace_it_generates() -> None:
    port = _free_port()
    command = [sys.executable, "-m", "veelocity.fakes.linear", "--seed", "3", "--teams", "2"]
    command += ["--issues", "40", "--months", "1", "--port", str(port)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    query = {"query": "{ teams { nodes { key } } issues(first: 100) { nodes { id } } }"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json=query,
                    headers={"Authorization": DEMO_KEY},
                )
                break
            except httpx.TransportError:
                assert process.poll() is None, "the command exited"
                assert time.monotonic() < deadline, "the fake did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        data = response.json()["data"]
        assert len(data["teams"]["nodes"]) == 2
        assert 0 < len(data["issues"]["nodes"]) <= 40  # archived issues are left out
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stderr is not None
    assert f"at http://127.0.0.1:{port}/graphql" in process.stderr.read()
