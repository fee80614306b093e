"""Backup then restore into an empty database loses nothing, on SQLite and on PostgreSQL.

Identical means: the same tables, the same row count in each, the same ordered checksum of
each table's content, the same migration revision, and every stored secret still decrypts
with the same key. The guide's plain `pg_dump … > backup.sql` / `psql … < backup.sql` is
checked the same way.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DB, add_user, setup_admin
from tests.infra.conftest import require_tool
from veelocity import schema
from veelocity.app import create_app
from veelocity.core.config import Settings
from veelocity.core.security.crypto import SecretCipher
from veelocity.core.time import utcnow
from veelocity.models import ScheduledJob, StoredSecret

BACKEND = Path(__file__).resolve().parents[2]
SECRETS = {
    ("github", "token"): "ghp_backupRestoreToken1234",
    ("linear", "api_key"): "lin_api_backupRestore5678",
    ("greptile", "api_key"): "greptile-backup-key-9012",
}


def _seed(make_client: Callable[..., TestClient]) -> None:
    """A realistic little installation: users, sessions, settings, secrets, audit, jobs."""
    client = make_client()
    admin = setup_admin(client)
    add_user(client, admin, "viewer@example.com")
    client.post("/api/v1/auth/login", json={"email": "viewer@example.com", "password": "wrong!"})
    response = client.put(
        "/api/v1/settings/sources/github",
        json={
            "token": SECRETS[("github", "token")],
            "organizations": ["acme"],
            "repositories": ["acme/api", "acme/web"],
        },
        headers=admin,
    )
    assert response.status_code == 200, response.text
    for source, name in (("linear", "api_key"), ("greptile", "api_key")):
        response = client.put(
            f"/api/v1/settings/sources/{source}",
            json={name: SECRETS[(source, name)]},
            headers=admin,
        )
        assert response.status_code == 200, response.text
    client.put(
        "/api/v1/settings/deployment-patterns", json={"patterns": ["ship", "deploy"]}, headers=admin
    )
    context = client.app.state.context  # type: ignore[attr-defined]
    with context.session_factory.begin() as session:
        now = utcnow()
        session.merge(
            ScheduledJob(
                name="github",
                last_slot_at=now,
                last_started_at=now,
                last_finished_at=now,
                last_status="succeeded",
                last_owner="host:1",
            )
        )


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table → (row count, sha256 of its rows in primary-key order)."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    result = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            result[table.name] = (len(rows), digest.hexdigest())
    engine.dispose()
    return result


def _decrypt_all(url: str, key: str) -> dict[tuple[str, str], str]:
    engine = create_engine(url)
    cipher = SecretCipher(SecretStr(key), [])
    with engine.connect() as connection:
        rows = connection.execute(
            select(StoredSecret.source, StoredSecret.name, StoredSecret.ciphertext)
        ).all()
    engine.dispose()
    return {(source, name): cipher.decrypt(ciphertext) for source, name, ciphertext in rows}


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    assert settings.veelocity_encryption_key is not None
    assert settings.jwt_secret_key is not None
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "VEELOCITY_DATA_DIR": str(settings.veelocity_data_dir),
        "VEELOCITY_ENCRYPTION_KEY": settings.veelocity_encryption_key.get_secret_value(),
        "JWT_SECRET_KEY": settings.jwt_secret_key.get_secret_value(),
    }
    return subprocess.run(
        [sys.executable, "-m", "veelocity", *args],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_identical(source_url: str, restored_url: str, key: str) -> None:
    before, after = fingerprint(source_url), fingerprint(restored_url)
    assert set(after) == set(before)
    for table, (count, digest) in before.items():
        assert after[table] == (count, digest), table
    assert before["app_user"][0] == 2
    assert before["stored_secret"][0] == len(SECRETS)
    assert before["audit_event"][0] > 0
    for url in (source_url, restored_url):
        engine = create_engine(url)
        assert schema.current_revision(engine) == schema.head_revision()
        engine.dispose()
    assert _decrypt_all(restored_url, key) == SECRETS


def _serves_the_restored_installation(settings: Settings) -> None:
    client = TestClient(create_app(settings))
    with client:
        response = client.post(
            "/api/v1/auth/login",
            json={"email": "admin@example.com", "password": "a long enough passphrase"},
        )
        assert response.status_code == 200, response.text
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        body = client.get("/api/v1/settings", headers=headers).json()
        assert body["unreadable_secrets"] == 0
        assert body["sources"]["github"]["token"] == {"configured": True, "last4": "1234"}
        assert body["sources"]["github"]["repositories"] == ["acme/api", "acme/web"]
        assert body["deployment_patterns"] == ["ship", "deploy"]
    client.app.state.context.engine.dispose()  # type: ignore[attr-defined]


def test_backup_then_restore_into_an_empty_database_loses_nothing(
    make_client: Callable[..., TestClient],
    make_settings: Callable[..., Settings],
    empty_database: Callable[[str], str],
    database_url: str,
    tmp_path: Path,
) -> None:
    if TEST_DB == "postgresql":
        require_tool("pg_dump", "PostgreSQL backups")
    _seed(make_client)
    source = make_settings()
    backup_file = tmp_path / "veelocity.backup"
    result = _cli(source, "backup", str(backup_file))
    assert result.returncode == 0, result.stderr
    assert backup_file.stat().st_mode & 0o077 == 0, "the backup must not be readable by others"
    magic = b"PGDMP" if TEST_DB == "postgresql" else b"SQLite format 3\x00"
    assert backup_file.read_bytes().startswith(magic)
    assert SECRETS[("github", "token")].encode() not in backup_file.read_bytes()

    target = make_settings(database_url=empty_database("restored"))
    result = _cli(target, "restore", str(backup_file))
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout

    assert source.veelocity_encryption_key is not None
    _assert_identical(
        database_url, target.database_url or "", source.veelocity_encryption_key.get_secret_value()
    )
    _serves_the_restored_installation(target)


def test_restore_refuses_to_overwrite_a_database_unless_asked(
    make_client: Callable[..., TestClient],
    make_settings: Callable[..., Settings],
    empty_database: Callable[[str], str],
    database_url: str,
    tmp_path: Path,
) -> None:
    if TEST_DB == "postgresql":
        require_tool("pg_dump", "PostgreSQL backups")
    _seed(make_client)
    source = make_settings()
    backup_file = tmp_path / "veelocity.backup"
    assert _cli(source, "backup", str(backup_file)).returncode == 0

    target = make_settings(database_url=empty_database("in_use"))
    assert _cli(target, "migrate").returncode == 0  # a fresh start created the tables
    refused = _cli(target, "restore", str(backup_file))
    assert refused.returncode == 2
    assert "--replace" in refused.stderr
    replaced = _cli(target, "restore", "--replace", str(backup_file))
    assert replaced.returncode == 0, replaced.stderr
    assert source.veelocity_encryption_key is not None
    _assert_identical(
        database_url, target.database_url or "", source.veelocity_encryption_key.get_secret_value()
    )


def test_restore_with_another_key_says_the_secrets_cannot_be_read(
    make_client: Callable[..., TestClient],
    make_settings: Callable[..., Settings],
    empty_database: Callable[[str], str],
    tmp_path: Path,
) -> None:
    if TEST_DB == "postgresql":
        require_tool("pg_dump", "PostgreSQL backups")
    from cryptography.fernet import Fernet

    _seed(make_client)
    backup_file = tmp_path / "veelocity.backup"
    assert _cli(make_settings(), "backup", str(backup_file)).returncode == 0
    target = make_settings(
        database_url=empty_database("wrong_key"),
        veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
    )
    result = _cli(target, "restore", str(backup_file))
    assert result.returncode == 2
    assert f"{len(SECRETS)} restored secrets cannot be decrypted" in result.stderr


@pytest.mark.skipif(TEST_DB != "postgresql", reason="the guide's pg_dump commands")
def test_the_guides_plain_pg_dump_and_psql_round_trip(
    make_client: Callable[..., TestClient],
    make_settings: Callable[..., Settings],
    empty_database: Callable[[str], str],
    database_url: str,
    tmp_path: Path,
) -> None:
    """`pg_dump -U veelocity veelocity > backup.sql`; `psql -U veelocity veelocity < backup.sql`."""
    pg_dump = require_tool("pg_dump", "the guide's backup command")
    psql = require_tool("psql", "the guide's restore command")
    _seed(make_client)
    source = make_url(database_url)
    connection = ["-h", source.host or "127.0.0.1", "-p", str(source.port or 5432)]
    dump = tmp_path / "backup.sql"
    with dump.open("w") as out:
        subprocess.run(
            [pg_dump, *connection, "-U", source.username or "", source.database or ""],
            stdout=out,
            check=True,
            timeout=60,
        )
    assert "CREATE TABLE public.stored_secret" in dump.read_text()
    assert SECRETS[("github", "token")] not in dump.read_text()

    restored_url = empty_database("plain")
    restored = make_url(restored_url)
    with dump.open() as dump_input:
        result = subprocess.run(
            [psql, *connection, "-U", restored.username or "", restored.database or ""],
            stdin=dump_input,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    assert "ERROR" not in result.stderr, result.stderr
    key = make_settings().veelocity_encryption_key
    assert key is not None
    _assert_identical(database_url, restored_url, key.get_secret_value())
    _serves_the_restored_installation(make_settings(database_url=restored_url))


def test_backup_of_postgres_refuses_a_sqlite_file(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    if TEST_DB != "postgresql":
        pytest.skip("checks the PostgreSQL restore's format check")
    bogus = tmp_path / "copy.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = _cli(make_settings(), "restore", "--replace", str(bogus))
    assert result.returncode == 2
    assert "is a SQLite backup" in result.stderr
    with create_engine(make_settings().database_url or "").connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM app_user")).scalar_one() == 0
