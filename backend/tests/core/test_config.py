"""Settings are validated at startup; a wrong value stops the process with one clear line."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from veelocity.core.config import Settings, SettingsError, load_settings
from veelocity.core.keys import resolve_keys


def _clean_env(**values: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("VEELOCITY_", "POSTGRES_", "DATABASE_URL", "JWT_", "DEBUG", "LOG_", "CORS_")
        )
    }
    return {**keep, **values}


def _serve(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "veelocity", "serve", "--port", "1"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LOG_LEVEL", "LOUD", "invalid setting LOG_LEVEL"),
        ("POSTGRES_PORT", "seventy", "invalid setting POSTGRES_PORT"),
        ("DEBUG", "perhaps", "invalid setting DEBUG"),
        ("CORS_ALLOWED_ORIGINS", "app.example.com", "invalid setting CORS_ALLOWED_ORIGINS"),
        ("FORWARDED_ALLOW_IPS", "proxy.local", "invalid setting FORWARDED_ALLOW_IPS"),
        (
            "VEELOCITY_ENCRYPTION_KEY",
            "not-a-fernet-key",
            "invalid setting VEELOCITY_ENCRYPTION_KEY",
        ),
        ("JWT_SECRET_KEY", "short", "invalid setting JWT_SECRET_KEY"),
    ],
)
def test_a_wrong_value_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    env = _clean_env(
        VEELOCITY_DATA_DIR=str(tmp_path),
        VEELOCITY_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        JWT_SECRET_KEY="j" * 40,
    )
    env[variable] = value
    result = _serve(env, tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("veelocity:")]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    if "KEY" in variable:
        assert value not in result.stderr  # never echo a secret, even a wrong one


@pytest.mark.parametrize("missing", ["VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY"])
def test_production_start_without_a_key_names_the_variable(tmp_path: Path, missing: str) -> None:
    env = _clean_env(
        VEELOCITY_DATA_DIR=str(tmp_path),
        VEELOCITY_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        JWT_SECRET_KEY="j" * 40,
        DEBUG="false",
    )
    del env[missing]
    result = _serve(env, tmp_path)
    assert result.returncode == 2
    assert f"missing setting {missing}" in result.stderr


def test_development_start_generates_keys_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(debug=True, veelocity_data_dir=tmp_path)
    resolved, generated = resolve_keys(settings)
    assert {g.variable for g in generated} == {"VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY"}
    assert all(g.created for g in generated)
    for key in generated:
        assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    again, second = resolve_keys(Settings(debug=True, veelocity_data_dir=tmp_path))
    assert not any(g.created for g in second)
    assert again.veelocity_encryption_key == resolved.veelocity_encryption_key
    assert again.jwt_secret_key == resolved.jwt_secret_key


def test_database_url_wins_over_postgres_parts() -> None:
    settings = load_settings(
        database_url="postgres://u:p@db.example:5433/x",
        postgres_password="other",
        postgres_host="h",
    )
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db.example:5433/x"


def test_postgres_parts_build_a_url() -> None:
    settings = load_settings(postgres_password="s3cret", postgres_host="db", postgres_port=5433)
    assert settings.sqlalchemy_url == "postgresql+psycopg://veelocity:s3cret@db:5433/veelocity"


def test_with_neither_the_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(veelocity_data_dir=tmp_path)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve()}/veelocity.db"


def test_comma_separated_lists() -> None:
    settings = load_settings(
        cors_allowed_origins="https://a.example, https://b.example/",
        deployment_patterns="ship,deploy",
    )
    assert settings.cors_allowed_origins == ["https://a.example", "https://b.example"]
    assert settings.deployment_patterns == ["ship", "deploy"]


def test_contract_defaults() -> None:
    settings = Settings()
    assert settings.debug is False
    assert settings.postgres_user == "veelocity"
    assert settings.postgres_db == "veelocity"
    assert settings.postgres_port == 5432
    assert settings.deployment_patterns == ["deploy", "release", "publish"]
    assert settings.cors_allowed_origins == []
    assert settings.rate_limit_max_per_sync == 500
    assert settings.rate_limit_max_per_hour == 4000
    assert settings.rate_limit_delay_ms == 100
    assert settings.access_token_minutes == 15
    assert settings.veelocity_data_dir == Path("data")


def test_load_settings_raises_a_named_error() -> None:
    with pytest.raises(SettingsError, match="invalid setting WEB_CONCURRENCY"):
        load_settings(web_concurrency=0)
