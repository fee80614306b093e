"""`python -m veelocity.fakes.github` serves a generated organisation from its own process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

from veelocity.fakes.github import DEMO_TOKEN


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_command_serves_the_organisation_it_generates() -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "veelocity.fakes.github",
        "--seed",
        "3",
        "--repositories",
        "2",
        "--developers",
        "4",
        "--months",
        "1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        headers = {"Authorization": f"token {DEMO_TOKEN}"}
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/orgs/acme/repos", headers=headers)
                break
            except httpx.TransportError:
                assert process.poll() is None, "the command exited"
                assert time.monotonic() < deadline, "the fake did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert len(response.json()) == 2
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stderr is not None
    assert f"at http://127.0.0.1:{port}" in process.stderr.read()
