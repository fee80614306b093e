"""The migration history: one head, empty → head on both databases, no drift from the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from veelocity import schema
from veelocity.core.config import Settings
from veelocity.core.db import make_engine
from veelocity.models import Base


def test_there_is_one_head() -> None:
    script = ScriptDirectory(str(schema.MIGRATIONS_DIR))
    assert len(script.get_heads()) == 1


def test_migrations_build_every_table_of_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    engine = make_engine(Settings(database_url=database_url, veelocity_data_dir=tmp_path))
    config = schema._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    schema.upgrade_to_head(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()


def test_migrations_import_no_application_code() -> None:
    for path in (schema.MIGRATIONS_DIR / "versions").glob("*.py"):
        assert "veelocity" not in path.read_text(), path.name


def test_upgrade_runs_through_the_alembic_command(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`cd backend && alembic upgrade head` uses the service's database settings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    engine.dispose()
    backend = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DATABASE_URL": database_url, "VEELOCITY_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "stamp", "head"],
        cwd=backend,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=backend,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    engine = create_engine(database_url)
    assert schema.current_revision(engine) == schema.head_revision()
    engine.dispose()
