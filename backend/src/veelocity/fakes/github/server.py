"""Serving the fake GitHub on a loopback port from a background thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github.app import FakeGitHub
from veelocity.fakes.github.schema import github_schema
from veelocity.fakes.serving import serve_in_thread


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
    with serve_in_thread(fake, "fake GitHub", host, port) as base_url:
        yield base_url
