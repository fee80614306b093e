"""Serving the fake Sentry on a loopback port from a background thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry.app import FakeSentry
from veelocity.fakes.serving import serve_in_thread


@contextmanager
def run_fake_sentry(
    org_or_fake: SentryOrganisation | FakeSentry, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the fake with uvicorn in a thread; yields its origin (e.g. http://127.0.0.1:53211).

    The API answers under `<origin>/api/0/` and under any path prefix before `/api/0/`. Pass a
    `FakeSentry` to keep hold of its `faults`, `stats` and `limits`; an organisation is wrapped
    in one accepting `DEMO_TOKEN`.
    """
    fake = org_or_fake if isinstance(org_or_fake, FakeSentry) else FakeSentry(org_or_fake)
    with serve_in_thread(fake, "fake Sentry", host, port) as origin:
        yield origin
