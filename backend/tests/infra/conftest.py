"""Fixtures for the deployment tests: empty databases, the repository's paths, tools."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import IN_CI

REPO = Path(__file__).resolve().parents[3]
INFRA = REPO / "infra"
DOCKER = INFRA / "docker"
VENV_BIN = REPO / "backend" / ".venv" / "bin"


def require_tool(name: str, why: str) -> str:
    """The tool's path; a missing tool fails in CI and skips elsewhere."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        message = f"{name} is not installed ({why}); `make test` installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def empty_database(database_template: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make empty databases (no tables) of the dialect under test; dropped afterwards."""
    created: list[str] = []
    template = make_url(database_template)

    def admin_run(statement: str) -> None:
        engine = create_engine(
            template.set(database="postgres"),
            isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 5},
        )
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def make(suffix: str) -> str:
        if template.get_backend_name() == "postgresql":
            name = f"{template.database}_{suffix}"
            admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin_run(f'CREATE DATABASE "{name}"')
            created.append(name)
            return template.set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{tmp_path / f'{suffix}.db'}"

    yield make
    for name in created:
        admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
