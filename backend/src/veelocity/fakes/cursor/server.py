"""Serving the fake Cursor on a loopback port from a background thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor.app import FakeCursor
from veelocity.fakes.serving import serve_in_thread


@contextmanager
def run_fake_cursor(
    team_or_fake: CursorTeam | FakeCursor, host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve the fake with uvicorn in a thread; yields its base URL (http://127.0.0.1:53211),
    which stands for `https://api.cursor.com`. Pass a `FakeCursor` to keep hold of its
    `faults`, `stats` and `limits`; a team is wrapped in one accepting `DEMO_KEY`."""
    fake = team_or_fake if isinstance(team_or_fake, FakeCursor) else FakeCursor(team_or_fake)
    with serve_in_thread(fake, "fake Cursor", host, port) as origin:
        yield origin
