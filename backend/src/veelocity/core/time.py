"""One clock for the whole service, so tests can move it (time-machine patches it)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)
