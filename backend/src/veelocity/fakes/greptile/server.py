"""Serving the fake Greptile on a loopback port from a background thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile.app import FakeGreptile
from veelocity.fakes.serving import serve_in_thread


@contextmanager
def run_fake_greptile(
    account_or_fake: GreptileAccount | FakeGreptile, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the fake with uvicorn in a thread; yields its origin (http://127.0.0.1:53211),
    which stands for `https://api.greptile.com` (REST under `/v2/`, MCP at `/mcp`). Pass a
    `FakeGreptile` to keep hold of its `faults` and `stats`; an account is wrapped in one
    accepting `DEMO_KEY`."""
    fake = (
        account_or_fake
        if isinstance(account_or_fake, FakeGreptile)
        else FakeGreptile(account_or_fake)
    )
    with serve_in_thread(fake, "fake Greptile", host, port) as origin:
        yield origin
