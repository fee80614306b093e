"""Running a connector's job outside the orchestration: one run, no SyncRun row.

For benchmarks and tests that run a sync in a process of their own; the product runs jobs
through `veelocity.sync` (runs, progress, locks), which builds the same context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.security.crypto import SecretCipher
from veelocity.sync.context import ProgressReporter, SilentReporter, SourceRunContext


@contextmanager
def standalone_context(
    settings: Settings, reporter: ProgressReporter | None = None
) -> Iterator[SourceRunContext]:
    """A run context on the settings' database, with their encryption key (if any)."""
    engine = make_engine(settings)
    cipher = (
        SecretCipher(
            settings.veelocity_encryption_key, settings.veelocity_encryption_key_rotating_from
        )
        if settings.veelocity_encryption_key is not None
        else None
    )
    try:
        yield SourceRunContext(
            session_factory=make_session_factory(engine),
            settings=settings,
            cipher=cipher,
            reporter=reporter or SilentReporter(),
        )
    finally:
        engine.dispose()
