"""`veelocity sync` in a real process, against the fake GitHub and the fake Linear: progress,
final line, exit code."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import func, select

from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.security.crypto import SecretCipher
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import DemoConfig, generate
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear
from veelocity.models import LinearIssue, PullRequest, SyncRun

BACKEND = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_base_url() -> Iterator[tuple[str, int]]:
    org = generate(
        DemoConfig(
            seed=7, repositories=2, developers=4, months=1, now=datetime(2026, 11, 1, tzinfo=UTC)
        )
    )
    with run_fake_github(FakeGitHub(org)) as base_url:
        yield base_url, len(org.repositories)


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("POSTGRES_", "DATABASE", "VEELOCITY_", "JWT"))
        },
        "DATABASE_URL": database_url,
        "VEELOCITY_DATA_DIR": str(tmp_path / "data"),
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "OUTBOUND_HOST_ALLOWLIST": "127.0.0.1",
        "RATE_LIMIT_DELAY_MS": "0",
        "LOG_LEVEL": "WARNING",
        "COLUMNS": "120",
    }


def _configure(env: dict[str, str], base_url: str, token: str) -> Settings:
    settings = Settings(
        database_url=env["DATABASE_URL"], veelocity_data_dir=Path(env["VEELOCITY_DATA_DIR"])
    )
    engine = make_engine(settings)
    with make_session_factory(engine).begin() as session:
        update_source(
            session,
            SecretCipher(SecretStr(env["VEELOCITY_ENCRYPTION_KEY"])),
            SourceName.GITHUB,
            options={"api_base_url": base_url, "organizations": ["acme"]},
            secrets={"token": token},
            actor_id=None,
        )
    engine.dispose()
    return settings


def _sync(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veelocity", "sync", *args],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_sync_runs_in_the_foreground_and_ends_with_a_clear_line(
    env: dict[str, str], fake_base_url: tuple[str, int]
) -> None:
    base_url, _ = fake_base_url
    settings = _configure(env, base_url, DEMO_TOKEN)

    result = _sync(env, "--source", "github")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "GitHub: synced " in result.stdout
    assert " items with " in result.stdout
    engine = make_engine(settings)
    with make_session_factory(engine)() as session:
        runs = session.scalars(select(SyncRun)).all()
        pull_requests = session.scalar(select(func.count()).select_from(PullRequest))
    engine.dispose()
    assert [(r.trigger, r.status) for r in runs] == [("cli", "succeeded")]
    assert runs[0].items > 0
    assert pull_requests
    assert pull_requests > 0


def test_a_rejected_token_fails_with_the_reason_in_plain_words(
    env: dict[str, str], fake_base_url: tuple[str, int]
) -> None:
    base_url, _ = fake_base_url
    _configure(env, base_url, "ghp_" + "x" * 36)

    result = _sync(env)

    assert result.returncode == 1, result.stdout + result.stderr
    [last_line] = result.stdout.strip().splitlines()[-1:]
    assert last_line.startswith("GitHub: failed — ")
    assert "401" in last_line or "token" in last_line.lower()


def test_a_sync_that_cannot_start_says_what_to_set(env: dict[str, str]) -> None:
    nothing = _sync(env)
    unknown = _sync(env, "--source", "gitlab")

    assert nothing.returncode == 2
    assert "No source is configured to sync yet" in nothing.stderr
    assert unknown.returncode == 2
    assert "no source named 'gitlab'" in unknown.stderr


LINEAR_WORKSPACE = LinearConfig(
    seed=4, teams=2, issues=200, months=1, now=datetime(2026, 11, 1, tzinfo=UTC)
)


@pytest.fixture
def linear_url() -> Iterator[str]:
    with run_fake_linear(FakeLinear(generate_workspace(LINEAR_WORKSPACE))) as base_url:
        yield base_url


def _configure_linear(env: dict[str, str], api_url: str, key: str) -> Settings:
    settings = Settings(
        database_url=env["DATABASE_URL"], veelocity_data_dir=Path(env["VEELOCITY_DATA_DIR"])
    )
    engine = make_engine(settings)
    with make_session_factory(engine).begin() as session:
        update_source(
            session,
            SecretCipher(SecretStr(env["VEELOCITY_ENCRYPTION_KEY"])),
            SourceName.LINEAR,
            options={"api_url": api_url},
            secrets={"api_key": key},
            actor_id=None,
        )
    engine.dispose()
    return settings


def test_sync_source_linear_runs_in_the_foreground_and_ends_with_a_clear_line(
    env: dict[str, str],
    linear_url: str,
) -> None:
    settings = _configure_linear(env, f"{linear_url}/graphql", DEMO_KEY)

    result = _sync(env, "--source", "linear")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Linear: synced " in result.stdout
    engine = make_engine(settings)
    with make_session_factory(engine)() as session:
        runs = session.scalars(select(SyncRun)).all()
        issues = session.scalar(select(func.count()).select_from(LinearIssue))
    engine.dispose()
    assert [(r.source, r.trigger, r.status) for r in runs] == [("linear", "cli", "succeeded")]
    assert issues == LINEAR_WORKSPACE.issues


def test_a_rejected_key_fails_naming_settings(
    env: dict[str, str],
    linear_url: str,
) -> None:
    _configure_linear(env, f"{linear_url}/graphql", "lin_api_wrong")

    result = _sync(env, "--source", "linear")

    assert result.returncode == 1, result.stdout + result.stderr
    [last_line] = result.stdout.strip().splitlines()[-1:]
    assert last_line.startswith("Linear: failed — ")
    assert "Settings → Linear" in result.stdout
