"""Several replicas starting at once on one empty PostgreSQL database migrate it once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import TEST_DB
from veelocity import schema
from veelocity.models import Base

BACKEND = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(TEST_DB != "postgresql", reason="replicas share PostgreSQL")
def test_three_processes_migrating_an_empty_database_at_once_all_succeed(
    empty_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = empty_database("race")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VEELOCITY_DATA_DIR": str(tmp_path),
        "DEBUG": "true",
        "LOG_FORMAT": "json",
    }
    # Each waits for the database first, so they reach the migration together.
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "veelocity", "migrate", "--wait", "30"],
            cwd=BACKEND,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert f"database at revision {schema.head_revision()}" in output
    # Exactly one of them applied the migrations; the others found the database at head.
    applied = [output for output in outputs if "Running upgrade  -> 0001" in output]
    assert len(applied) == 1
    engine = create_engine(url)
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert [v[0] for v in versions] == [schema.head_revision()]
