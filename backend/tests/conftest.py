"""Shared fixtures. The database under test is chosen with VEELOCITY_TEST_DB (sqlite or
postgresql); PostgreSQL comes from TEST_DATABASE_URL or 127.0.0.1:5432. Each session creates
its own database there (the name with the process id appended) and drops it at the end, so
suites can run side by side.

In CI (CI=true) a missing PostgreSQL server fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from veelocity import schema
from veelocity.app import create_app
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.models import Base

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_DB = os.environ.get("VEELOCITY_TEST_DB", "sqlite")
PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_test"
)
PASSWORD = "a long enough passphrase"


def _session_database_url(url: str) -> str:
    """This test session's own database, so suites running side by side never share one."""
    target = make_url(url).set(drivername="postgresql+psycopg")
    return target.set(database=f"{target.database}_{os.getpid()}").render_as_string(False)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _admin_engine(url: str) -> Engine:
    admin = make_url(url).set(database="postgres")
    return create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def _postgres_available(url: str) -> str | None:
    """None when usable (the database is created afresh), else the reason."""
    name = make_url(url).database
    base = make_url(PG_URL).database
    try:
        engine = _admin_engine(url)
        with engine.connect() as connection:
            # Databases left by sessions that were killed before they could drop their own.
            for (leftover,) in connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                {"prefix": f"{base}\\_%"},
            ):
                suffix = leftover.removeprefix(f"{base}_")
                if suffix.isdigit() and not _pid_alive(int(suffix)):
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{leftover}" WITH (FORCE)'))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    except Exception as exc:  # any failure means the server cannot be used
        admin = make_url(url).set(database="postgres")
        return f"PostgreSQL at {admin.render_as_string(hide_password=True)}: {exc}"
    return None


def _drop_database(url: str) -> None:
    engine = _admin_engine(url)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the session: a SQLite file to copy, or a PostgreSQL URL."""
    if TEST_DB == "postgresql":
        url = _session_database_url(PG_URL)
        problem = _postgres_available(url)
        if problem:
            if IN_CI:
                pytest.fail(f"PostgreSQL tests are mandatory in CI: {problem}")
            pytest.skip(f"PostgreSQL not available: {problem}")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.db'}"
    settings = Settings(database_url=url, veelocity_data_dir=tmp_path_factory.mktemp("data"))
    engine = make_engine(settings)
    schema.upgrade_to_head(engine)
    engine.dispose()
    yield url
    if TEST_DB == "postgresql":
        _drop_database(url)


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A clean, migrated database for one test."""
    if database_template.startswith("sqlite"):
        source = Path(database_template.removeprefix("sqlite:///"))
        target = tmp_path / "veelocity.db"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
    else:
        _truncate_all(database_template)
        yield database_template


@pytest.fixture
def make_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    encryption_key = Fernet.generate_key().decode()
    jwt_secret = secrets.token_urlsafe(32)

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "debug": False,
            "database_url": database_url,
            "veelocity_data_dir": tmp_path / "data",
            "veelocity_encryption_key": SecretStr(encryption_key),
            "jwt_secret_key": SecretStr(jwt_secret),
            "veelocity_spa_dir": tmp_path / "no-spa",
            "log_format": "json",
            # A loaded test machine can leave a probe unanswered for seconds (a full PostgreSQL
            # run saw more than five); only the outage tests (which set their own) should see
            # the database declared unavailable.
            "database_unresponsive_seconds": 30.0,
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def make_client(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def build(*, client_address: str = "127.0.0.1", **overrides: Any) -> TestClient:
        app = create_app(make_settings(**overrides))
        client = TestClient(app, client=(client_address, 50000), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
        client.app.state.context.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def setup_admin(client: TestClient, email: str = "admin@example.com") -> dict[str, str]:
    """Create the first admin through the API; return the Authorization header."""
    response = client.post("/api/v1/auth/setup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def add_user(
    client: TestClient, admin: dict[str, str], email: str, role: str = "viewer"
) -> dict[str, str]:
    response = client.post(
        "/api/v1/users", json={"email": email, "password": PASSWORD, "role": role}, headers=admin
    )
    assert response.status_code == 201, response.text
    return login(client, email)


@pytest.fixture
def admin_headers(client: TestClient) -> dict[str, str]:
    return setup_admin(client)


@pytest.fixture
def db_session(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """A session on a clean database; the test commits or not as it needs."""
    from veelocity.core.db import make_engine, make_session_factory

    engine = make_engine(Settings(database_url=database_url, veelocity_data_dir=tmp_path))
    session = make_session_factory(engine)()
    yield session
    session.close()
    engine.dispose()
