"""Serving the fake Linear on a loopback port from a background thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.demo.linear_model import LinearWorkspace
from veelocity.fakes.linear.app import FakeLinear
from veelocity.fakes.linear.schema import linear_schema
from veelocity.fakes.serving import serve_in_thread


@contextmanager
def run_fake_linear(
    workspace_or_fake: LinearWorkspace | FakeLinear, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the fake with uvicorn in a thread; yields its base URL (e.g. http://127.0.0.1:53211).

    GraphQL answers at the base URL and at `/graphql`. Pass a `FakeLinear` to keep hold of its
    `faults` and `stats`; a `LinearWorkspace` is wrapped in one accepting `DEMO_KEY`.
    """
    fake = (
        workspace_or_fake
        if isinstance(workspace_or_fake, FakeLinear)
        else FakeLinear(workspace_or_fake)
    )
    linear_schema()  # built once per process, before the first client waits on it
    with serve_in_thread(fake, "fake Linear", host, port) as base_url:
        yield base_url
