"""The data version: a token that changes with every commit that may change what metrics read.

Computed metrics are cached per data version (`veelocity.metrics.cache`). The token lives in
the database, in the `app_setting` row `data_version`, so every worker and replica sees a
change the moment it is committed, whichever process wrote it.

Every engine of the process watches its statements: a transaction that inserted,
updated or deleted rows of a table metrics may read gets a new random token written just
before its COMMIT, in the same transaction. So a reader that sees the new token also sees
the new rows (it reads the token first), and the write that sets it comes last, which keeps
concurrent writers from waiting on each other for more than a commit. Writes to tables no
metric reads (sign-ins, audit, sync bookkeeping) leave the token alone.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import Connection, Engine, event

DATA_VERSION_KEY = "data_version"

#: Tables whose writes never change a metric: sessions and sign-ins, the audit log, users,
#: secrets and the sync's own bookkeeping (its figures, checkpoints and schedule).
UNRELATED_TABLES = frozenset(
    {
        "alembic_version",
        "app_user",
        "audit_event",
        "auth_session",
        "first_run_setup",
        "ingest_token",
        "login_attempt",
        "refresh_token",
        "scheduled_job",
        "stored_secret",
        "sync_checkpoint",
        "sync_run",
    }
)
_READ_ONLY = re.compile(
    r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|EXPLAIN)\b", re.I
)
_WRITE_TARGET = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_]\w*)"?', re.I
)
_CHANGED = "veelocity_data_changed"


def changes_data(statement: str) -> bool:
    """Whether a statement may change what metrics read (anything unknown counts)."""
    if _READ_ONLY.match(statement):
        return False
    target = _WRITE_TARGET.match(statement)
    return target is None or target.group(1).lower() not in UNRELATED_TABLES


def _bump_statement(dialect: str, token: str) -> str:
    # The token is ours (hex digits), so it is safe inline; the table check keeps a migration
    # that runs before `app_setting` exists from failing its commit.
    upsert = (
        "INSERT INTO app_setting (key, value, updated_at) "  # noqa: S608 - no outside input
        f"VALUES ('{DATA_VERSION_KEY}', '\"{token}\"', {{now}}) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    )
    if dialect == "postgresql":
        return (
            "DO $$ BEGIN IF to_regclass('app_setting') IS NOT NULL THEN "
            + upsert.format(now="now()")
            + "; END IF; END $$"
        )
    return upsert.format(now="strftime('%Y-%m-%d %H:%M:%f', 'now')")


def _note_write(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    if changes_data(statement):
        connection.info[_CHANGED] = True


def _forget(connection: Connection) -> None:
    connection.info.pop(_CHANGED, None)


def _bump_before_commit(connection: Connection) -> None:
    if not connection.info.pop(_CHANGED, False):
        return
    dialect = connection.dialect.name
    dbapi_connection: Any = connection.connection.dbapi_connection
    if dialect == "sqlite":
        exists = dbapi_connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_setting'"
        ).fetchone()
        if exists is None:
            return
    elif dialect == "postgresql":
        from psycopg.pq import TransactionStatus

        if dbapi_connection.info.transaction_status != TransactionStatus.INTRANS:
            return  # nothing open, or failed: this commit rolls back and changes nothing
    else:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_bump_statement(dialect, secrets.token_hex(8)))
    finally:
        cursor.close()


def track_data_changes() -> None:
    """Give every transaction that changes metric data a new data version, on every engine
    of this process (listening on the Engine class; calling it again changes nothing)."""
    if event.contains(Engine, "commit", _bump_before_commit):
        return
    event.listen(Engine, "before_cursor_execute", _note_write)
    event.listen(Engine, "commit", _bump_before_commit)
    event.listen(Engine, "rollback", _forget)
