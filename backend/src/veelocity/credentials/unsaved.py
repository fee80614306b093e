"""Sessions that see a source's unsaved settings, for "test connection" to try them.

Each session writes the unsaved values in its own transaction at its start, and that
transaction is always rolled back when the session closes. So a check reads its
configuration the way a sync does, and holds a transaction only while it reads: never during
the upstream calls that follow (on SQLite the write lock would stop every sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from veelocity.core.security.crypto import SecretCipher
from veelocity.credentials import store
from veelocity.credentials.catalogue import SourceName


@dataclass(frozen=True)
class UnsavedSettings:
    source: SourceName
    cipher: SecretCipher | None
    options: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str | None] = field(default_factory=dict)


class _UnsavedSettingsSession(Session):
    def __init__(self, *, unsaved: UnsavedSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if unsaved.options or unsaved.secrets:
            assert unsaved.cipher is not None, "secrets cannot be tried without a key"
            store.update_source(
                self,
                unsaved.cipher,
                unsaved.source,
                options=dict(unsaved.options),
                secrets=dict(unsaved.secrets),
                actor_id=None,
            )
            self.flush()

    def commit(self) -> None:
        raise RuntimeError("a session with unsaved settings never saves them")


def sessions_with_unsaved(engine: Engine, unsaved: UnsavedSettings) -> sessionmaker[Session]:
    """A session factory whose sessions see `unsaved`; closing a session forgets them."""
    factory = sessionmaker(
        bind=engine,
        class_=_UnsavedSettingsSession,
        expire_on_commit=False,
        unsaved=unsaved,
    )
    return cast("sessionmaker[Session]", factory)
