"""What a source's sync gets from the orchestration, and how it says how it is going.

The seam between the two halves of sync: connectors (`veelocity.connectors.*`) implement a
`SourceSync`; the orchestration (`veelocity.sync.runs`) creates the `SyncRun` row, builds the
context, calls the sync and records how it ended. Connectors never touch `SyncRun` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.config import Settings
from veelocity.core.security.crypto import SecretCipher


class SyncError(Exception):
    """A failure to show users as is: a code for machines and a sentence for people.

    Codes: bad_credentials, missing_scopes, not_found, not_configured, budget_exhausted,
    rate_limited, upstream_unavailable, upstream_invalid.
    """

    def __init__(self, code: str, message: str, *, resets_at: datetime | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        #: when the limit or budget that stopped the run frees up again, if known
        self.resets_at = resets_at


class BudgetExhausted(SyncError):
    """The run used its request budget; it stops cleanly and the next run continues."""

    def __init__(self, message: str, *, resets_at: datetime | None = None) -> None:
        super().__init__("budget_exhausted", message, resets_at=resets_at)


class SyncCancelled(Exception):
    """Someone cancelled the run, or this process lost the job's lock."""


class ProgressReporter(Protocol):
    def progress(
        self,
        *,
        stream: str | None = None,
        items: int = 0,
        requests: int = 0,
        rate_limit_remaining: int | None = None,
        rate_limit_reset_at: datetime | None = None,
        stream_done: bool = False,
    ) -> None:
        """Add `items` and `requests` to the run (and to `stream`'s share of it)."""

    def cancel_requested(self) -> bool:
        """True once someone asked this run to stop."""


@dataclass
class SilentReporter:
    """A reporter that only adds up; for tests and for runs outside the orchestration."""

    items: int = 0
    requests: int = 0
    rate_limit_remaining: int | None = None
    streams: dict[str, int] = field(default_factory=dict)

    def progress(
        self,
        *,
        stream: str | None = None,
        items: int = 0,
        requests: int = 0,
        rate_limit_remaining: int | None = None,
        rate_limit_reset_at: datetime | None = None,
        stream_done: bool = False,
    ) -> None:
        self.items += items
        self.requests += requests
        if rate_limit_remaining is not None:
            self.rate_limit_remaining = rate_limit_remaining
        if stream is not None:
            self.streams[stream] = self.streams.get(stream, 0) + items

    def cancel_requested(self) -> bool:
        return False


@dataclass(frozen=True)
class SourceRunContext:
    """Everything one run of one source's sync needs."""

    session_factory: sessionmaker[Session]
    settings: Settings
    #: None when no encryption key is configured: the source's secrets cannot be read
    cipher: SecretCipher | None
    reporter: ProgressReporter
    #: the SyncRun row this run reports to, if any
    run_id: int | None = None
    #: False once this process lost the job's lock (another replica may take over)
    still_leader: Callable[[], bool] = lambda: True

    def check_continue(self) -> None:
        """Call between pages: stops the run when it was cancelled or lost its lock."""
        if self.reporter.cancel_requested():
            raise SyncCancelled("cancelled on request")
        if not self.still_leader():
            raise SyncCancelled("this process lost the job's lock")


#: A source's sync (or one of its jobs, such as filling PR details).
SourceSync = Callable[[SourceRunContext], None]


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to Settings' "test connection": one sentence, and what was found."""

    ok: bool
    message: str
    #: e.g. {"login": "octocat", "scopes": ["repo", "read:org"], "repositories": 12}
    details: dict[str, object] = field(default_factory=dict)


#: Tries a source's configuration with one or two cheap upstream calls.
ConnectionTest = Callable[[SourceRunContext], ConnectionCheck]
