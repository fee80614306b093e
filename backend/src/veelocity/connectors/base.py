"""What every connector shares: its errors and the registry entry it provides.

Failures people must act on are `SyncError`s (from the sync seam) with a stable code; the
classes here are the few a stream catches to decide what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass

from veelocity.sync.context import ConnectionTest, SourceSync, SyncError


class ConnectorError(SyncError):
    """The upstream answered something we cannot use, after every retry."""

    def __init__(self, message: str) -> None:
        super().__init__("upstream_invalid", message)


class UpstreamNotFound(Exception):
    """A 404 (or GraphQL NOT_FOUND): the caller knows what was missing and says so."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class QueryTooHeavy(Exception):
    """GitHub gave up on a GraphQL query in time (502/504): ask again with smaller pages."""


@dataclass(frozen=True)
class SourceJobs:
    """What one source gives the orchestration: its sync, its detail filler, its check."""

    sync: SourceSync
    fill_details: SourceSync | None
    check_connection: ConnectionTest
