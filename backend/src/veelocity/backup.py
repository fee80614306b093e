"""Backing up and restoring the whole database.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the PostgreSQL client tools, of the
server's major version or newer). SQLite: the online backup API, which copies a consistent
snapshot even while the service writes (never copy a live WAL database file by hand).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, inspect, select
from sqlalchemy.engine import URL, make_url

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why in one line."""


@dataclass(frozen=True)
class TableCounts:
    tables: int
    rows: int


def _is_postgres(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _pg_command(tool: str, url: URL) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for a client tool; the password goes in the environment."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} is not installed; install the PostgreSQL client tools "
            "(Debian/Ubuntu: apt-get install postgresql-client)"
        )
    args = [executable, "--no-password", "--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        value = url.query.get(option)
        if isinstance(value, str):
            env[variable] = value
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {detail[-1] if detail else 'no output'}")


def backup(database_url: str, target: Path) -> None:
    """Write a consistent snapshot of the whole database to TARGET (replaced atomically)."""
    url = make_url(database_url)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if _is_postgres(url):
            args, env = _pg_command("pg_dump", url)
            _run(
                [*args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)],
                env,
            )
        else:
            source = sqlite3.connect(_sqlite_path(url))
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
        partial.chmod(0o600)  # it holds password hashes and encrypted secrets
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _check_format(url: URL, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    with source.open("rb") as handle:
        head = handle.read(16)
    if _is_postgres(url) and not head.startswith(PG_MAGIC):
        kind = "a SQLite backup" if head == SQLITE_MAGIC else "not a pg_dump custom-format file"
        raise BackupError(
            f"{source} is {kind}; a PostgreSQL database restores from `veelocity backup` "
            "or `pg_dump --format=custom` output (a plain .sql dump restores with psql)"
        )
    if not _is_postgres(url) and head != SQLITE_MAGIC:
        raise BackupError(f"{source} is not a SQLite backup; SQLite restores from one")


def user_tables(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def count_rows(engine: Engine) -> TableCounts:
    metadata = MetaData()
    metadata.reflect(engine)
    rows = 0
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows += connection.execute(select(func.count()).select_from(table)).scalar_one()
    return TableCounts(tables=len(metadata.tables), rows=rows)


def _drop_every_table(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def restore(engine: Engine, source: Path, *, replace: bool) -> None:
    """Load SOURCE into the database. A database that has tables is only replaced when asked."""
    url = engine.url
    source = source.resolve()
    _check_format(url, source)
    existing = user_tables(engine)
    if existing and not replace:
        raise BackupError(
            f"the database already has {len(existing)} tables; pass --replace to drop them "
            "and restore the backup in their place"
        )
    if existing:
        _drop_every_table(engine)
    if _is_postgres(url):
        args, env = _pg_command("pg_restore", url)
        _run(
            [
                *args,
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            ],
            env,
        )
        return
    engine.dispose()  # no connection of ours may hold the file while pages are replaced
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    destination = sqlite3.connect(_sqlite_path(url), timeout=30)
    try:
        backup_file.backup(destination)
    finally:
        destination.close()
        backup_file.close()
