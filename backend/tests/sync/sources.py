"""Test-only sources: real syncs that write rows, report progress and fail like connectors do.

Each page upserts a checkpoint (the row a connector writes with every page) in its own
transaction, reports its items and requests, then calls `check_continue()`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from veelocity.core.time import utcnow
from veelocity.models import SyncCheckpoint
from veelocity.sync.context import (
    BudgetExhausted,
    ConnectionCheck,
    SourceRunContext,
    SyncError,
)

STREAMS = ("pull_requests", "deployments")


@dataclass
class PagedSource:
    """Syncs `pages` pages of `per_page` items in each stream."""

    pages: int = 3
    per_page: int = 100
    #: seconds to spend on each page
    page_seconds: float = 0.0
    #: stop before this page (counted across streams) until `release` is set
    hold_at_page: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    reached_hold: threading.Event = field(default_factory=threading.Event)
    fail_at_page: int | None = None
    error: SyncError | None = None
    calls: int = 0

    def __call__(self, context: SourceRunContext) -> None:
        self.calls += 1
        page_number = 0
        for stream in STREAMS:
            for page in range(1, self.pages + 1):
                page_number += 1
                if self.hold_at_page == page_number:
                    self.reached_hold.set()
                    while not self.release.wait(0.05):
                        context.check_continue()
                if self.fail_at_page == page_number and self.error is not None:
                    raise self.error
                if self.page_seconds:
                    time.sleep(self.page_seconds)
                with context.session_factory.begin() as session:
                    session.merge(
                        SyncCheckpoint(
                            source="github",
                            stream=stream,
                            scope="acme",
                            cursor={"page": page},
                            updated_at=utcnow(),
                        )
                    )
                context.reporter.progress(
                    stream=stream,
                    items=self.per_page,
                    requests=1,
                    rate_limit_remaining=5000 - page_number,
                    stream_done=page == self.pages,
                )
                context.check_continue()


def bad_credentials() -> SyncError:
    return SyncError("bad_credentials", "GitHub rejected the token (401). Enter a new token.")


def budget_exhausted(resets_at: datetime) -> BudgetExhausted:
    return BudgetExhausted(
        "This sync used its 500 requests (RATE_LIMIT_MAX_PER_SYNC).", resets_at=resets_at
    )


def token_check(context: SourceRunContext) -> ConnectionCheck:
    """Reads the GitHub settings the way a connector does and 'accepts' tokens ending in ok."""
    from veelocity.credentials import store
    from veelocity.credentials.catalogue import SourceName

    assert context.cipher is not None
    with context.session_factory() as session:
        token = store.read_secret(session, context.cipher, SourceName.GITHUB, "token")
        view = store.source_view(session, context.cipher, SourceName.GITHUB)
    if token is None:
        return ConnectionCheck(False, "No GitHub token is stored.")
    if not token.endswith("ok"):
        return ConnectionCheck(False, "GitHub rejected the token (401).")
    return ConnectionCheck(
        True,
        "Connected as octocat.",
        {"login": "octocat", "organizations": view["organizations"]},
    )
