"""Engine and session set-up, and the few places where SQLite and PostgreSQL differ."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import DateTime, Engine, bindparam, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from veelocity.core.config import Settings


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which stores no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _prepare_private_sqlite_file(data_dir: Path, url: str) -> None:
    """The data directory (0700) and the database file (0600) are for this service's user only.

    SQLite gives its -wal and -shm files the database file's mode, so they follow.
    """
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = make_url(url).database
    if not database:
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    if path.stat().st_uid == os.getuid():
        path.chmod(0o600)  # tightens a file an older version created 0644


#: TCP gives up on a connection whose sent bytes stay unacknowledged this long (a dropped
#: route), and keepalives find a silent peer within about as long, also in processes that
#: run no DatabaseMonitor (the CLI).
_TCP_GIVE_UP_SECONDS = 10


def postgres_connect_args(
    settings: Settings, *, statement_timeout_seconds: int | None, application_name: str
) -> dict[str, Any]:
    """libpq options for a connection that never waits on a dead peer for long."""
    args: dict[str, Any] = {
        "connect_timeout": settings.database_connect_timeout_seconds,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": _TCP_GIVE_UP_SECONDS * 1000,
        "application_name": application_name,
    }
    if statement_timeout_seconds is not None:
        args["options"] = f"-c statement_timeout={statement_timeout_seconds * 1000}"
    return args


def make_engine(
    settings: Settings, url: str | None = None, *, purpose: Literal["api", "sync"] = "api"
) -> Engine:
    """An engine with timeouts, so a database that goes away never hangs a request.

    Sync work gets an engine of its own (PURPOSE "sync"): its statements may run longer than
    an API request's, and its connections never take a request's place in the pool."""
    url = url or settings.sqlalchemy_url
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            _prepare_private_sqlite_file(settings.veelocity_data_dir, url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 5},
            # One connection per checkout keeps SQLite's file locks short-lived.
            poolclass=NullPool,
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if purpose == "sync":
        return create_engine(
            url,
            pool_pre_ping=True,
            # Two kept open (progress, bookkeeping); the writers of the repositories fetched
            # at once connect as they need, so idle processes hold no more than two.
            pool_size=2,
            max_overflow=settings.github_sync_workers + 2,
            pool_timeout=10,
            pool_recycle=1800,
            connect_args=postgres_connect_args(
                settings,
                statement_timeout_seconds=settings.database_sync_statement_timeout_seconds,
                application_name="veelocity-sync",
            ),
        )
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=settings.database_pool_timeout_seconds,
        pool_recycle=1800,
        connect_args=postgres_connect_args(
            settings,
            statement_timeout_seconds=settings.database_statement_timeout_seconds,
            application_name="veelocity",
        ),
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on error (for CLI and jobs)."""
    with factory() as session, session.begin():
        yield session


def upsert_rows(
    session: Session,
    table: Any,
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
) -> None:
    """Insert rows, or update every given column of the row with the same natural key."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql_insert(table)
    elif dialect == "sqlite":
        statement = sqlite_insert(table)
    else:
        raise ValueError(f"upsert is not available for {dialect}")
    updated = {name: statement.excluded[name] for name in rows[0] if name not in key}
    session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=updated), rows)


def insert_ignoring_conflicts(dialect: Dialect, table: Any, key: tuple[str, ...]) -> Any:
    """`INSERT … ON CONFLICT (key) DO NOTHING`: rows whose natural key already exists are
    skipped instead of failing the transaction (also when a concurrent writer just inserted
    them). Add `.returning(...)` to learn which rows went in."""
    if dialect.name == "postgresql":
        return postgresql_insert(table).on_conflict_do_nothing(index_elements=list(key))
    if dialect.name == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing(index_elements=list(key))
    raise ValueError(f"insert-or-skip is not available for {dialect.name}")


def insert_rows(
    session: Session, table: Any, rows: list[dict[str, Any]], batch: int = 5000
) -> None:
    """INSERT many rows: one statement per batch of unnested arrays on PostgreSQL (a
    statement per row costs a round trip each), executemany on SQLite."""
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), batch):
            connection.execute(table.insert(), rows[start : start + batch])
        return
    types = {name: table.c[name].type.compile(dialect=connection.dialect) for name in columns}
    values = ", ".join(f"unnest(CAST(:{name} AS {types[name]}[]))" for name in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    statement = text(f'INSERT INTO "{table.name}" ({names}) SELECT {values}')
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        connection.execute(statement, {name: [row[name] for row in chunk] for name in columns})


def update_by_id(
    session: Session, table: Any, rows: list[dict[str, Any]], batch: int = 5000
) -> None:
    """UPDATE many rows by primary key `id` (derived columns, which never need the identity
    map). PostgreSQL gets one statement per batch joining unnested arrays, because a
    statement per row costs a round trip each; SQLite, in process, uses executemany."""
    if not rows:
        return
    columns = [name for name in rows[0] if name != "id"]
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        types = {name: table.c[name].type.compile(dialect=connection.dialect) for name in columns}
        values = ", ".join(
            ["unnest(CAST(:id AS BIGINT[])) AS id"]
            + [f'unnest(CAST(:{name} AS {types[name]}[])) AS "{name}"' for name in columns]
        )
        assignments = ", ".join(f'"{name}" = v."{name}"' for name in columns)
        statement: Any = text(
            f'UPDATE "{table.name}" AS t SET {assignments} FROM (SELECT {values}) AS v '  # noqa: S608
            "WHERE t.id = v.id"
        )
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            connection.execute(
                statement, {name: [row[name] for row in chunk] for name in ["id", *columns]}
            )
        return
    statement = (
        table.update()
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(f"_{name}") for name in columns})
    )
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        connection.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in chunk])


def database_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure to reach the database means "unreachable"
        return False


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
