"""Serving the fake on a loopback port from a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github.app import FakeGitHub
from veelocity.fakes.github.schema import github_schema


@contextmanager
def run_fake_github(
    org_or_fake: DemoOrganisation | FakeGitHub, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the fake with uvicorn in a thread; yields its base URL (e.g. http://127.0.0.1:53211).

    Pass a `FakeGitHub` to keep hold of its `faults` and `stats`; a `DemoOrganisation` is
    wrapped in one with the default token (`DEMO_TOKEN`).
    """
    fake = org_or_fake if isinstance(org_or_fake, FakeGitHub) else FakeGitHub(org_or_fake)
    github_schema()  # built once per process (about 2 s), before the first client waits on it
    config = uvicorn.Config(
        fake,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-github", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the fake GitHub did not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
