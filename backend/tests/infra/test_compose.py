"""The compose files: valid against the Compose specification, every variable documented,
the three required ones refused when missing, and the guide's promises in the structure."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import TEST_DB
from tests.infra.conftest import DOCKER, REPO
from veelocity.core.config import Settings

PROD = DOCKER / "docker-compose.prod.yml"
DEV = DOCKER / "docker-compose.yml"
ENV_EXAMPLE = DOCKER / ".env.example"
REQUIRED = ("POSTGRES_PASSWORD", "VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY")
#: The environment variables of the public contract (its table, its required list and its
#: "beyond" paragraph).
CONTRACT_VARIABLES = {
    *REQUIRED,
    "POSTGRES_USER",
    "POSTGRES_DB",
    "POSTGRES_PORT",
    "DEBUG",
    "DEPLOYMENT_PATTERNS",
    "VITE_API_BASE_URL",
    "CORS_ALLOWED_ORIGINS",
    "GITHUB_OAUTH_CLIENT_ID",
    "GITHUB_OAUTH_CLIENT_SECRET",
    "OAUTH_BACKEND_BASE_URL",
    "OAUTH_FRONTEND_REDIRECT_URL",
    "RATE_LIMIT_MAX_PER_SYNC",
    "RATE_LIMIT_MAX_PER_HOUR",
    "RATE_LIMIT_DELAY_MS",
    "DATABASE_URL",
    "VEELOCITY_DATA_DIR",
    "VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "FORWARDED_ALLOW_IPS",
    "WEB_CONCURRENCY",
    "METRICS_ENABLED",
}
SETTINGS_VARIABLES = {name.upper() for name in Settings.model_fields}
# ${NAME}, ${NAME:-default}, ${NAME:?message}; "$${NAME}" is an escaped literal for the shell.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")

# Nothing here depends on the database: run once, in the SQLite pass.
pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")


def _compose_schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads((vendor / "compose-spec.json").read_text())
    return schema


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    return document


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.mark.parametrize("path", [PROD, DEV], ids=lambda p: p.name)
def test_the_compose_file_follows_the_compose_specification(path: Path) -> None:
    schema = _compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(_load(path)), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


@pytest.mark.parametrize("path", [PROD, DEV], ids=lambda p: p.name)
def test_every_variable_the_compose_file_uses_is_documented(path: Path) -> None:
    documented = set(_env_example()) | {
        name for name in CONTRACT_VARIABLES if f"# {name}:" in ENV_EXAMPLE.read_text()
    }
    used = {match.group(1) for match in INTERPOLATION.finditer(path.read_text())}
    assert used, "no variables found"
    assert used - documented == set(), "missing from .env.example"
    assert used - (CONTRACT_VARIABLES | SETTINGS_VARIABLES) == set(), (
        "neither in the contract nor in docs/configuration.md"
    )


def test_env_example_documents_every_contract_variable() -> None:
    text = ENV_EXAMPLE.read_text()
    for name in CONTRACT_VARIABLES:
        assert re.search(rf"^(# )?{name}[=:]", text, re.MULTILINE), name


def test_env_example_matches_the_shared_contract_when_it_is_beside_the_repository() -> None:
    contract = REPO.parent / "shared" / "contract.md"
    if not contract.is_file():
        pytest.skip("the contract is not beside this checkout")
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{2,})`", contract.read_text()))
    assert named - CONTRACT_VARIABLES - {"PUT", "GET"} <= SETTINGS_VARIABLES
    assert named >= CONTRACT_VARIABLES


def test_the_three_required_variables_stop_compose_naming_them() -> None:
    text = PROD.read_text()
    for match in INTERPOLATION.finditer(text):
        name, operator, message = match.groups()
        if name in REQUIRED:
            assert operator == ":?", f"{match.group(0)} must be ${{{name}:?message}}"
            assert name in message
        else:
            assert operator != ":?", f"{name} is optional"
    for name in REQUIRED:
        assert f"${{{name}:?" in text
        # Copying .env.example without filling it in must fail, not start with blanks.
        assert _env_example()[name] == ""


def test_production_compose_keeps_the_guides_promises() -> None:
    compose = _load(PROD)
    services = compose["services"]
    assert set(services) == {"postgres", "backend", "frontend"}
    assert services["postgres"]["image"] == "postgres:15"
    assert "postgres_data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "postgres_data" in compose["volumes"]
    for name, service in services.items():
        assert "test" in service["healthcheck"], f"{name} has no health check"
    assert services["backend"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["frontend"]["depends_on"] == {"backend": {"condition": "service_healthy"}}
    assert services["backend"]["ports"] == ["8000:8000"]
    assert services["frontend"]["ports"] == ["80:8080"]
    assert "/api/v1/health" in " ".join(services["backend"]["healthcheck"]["test"])
    assert "/health" in " ".join(services["frontend"]["healthcheck"]["test"])
    assert "VITE_API_BASE_URL" in services["frontend"]["build"]["args"]
    assert services["backend"]["build"]["target"] == "runtime"
    for service in ("backend", "frontend"):
        assert services[service]["read_only"] is True
        assert services[service]["cap_drop"] == ["ALL"]


def test_production_backend_reads_only_real_settings() -> None:
    backend = _load(PROD)["services"]["backend"]["environment"]
    assert set(backend) - SETTINGS_VARIABLES == set()
    # Inside the compose network the database is always postgres:5432.
    assert backend["POSTGRES_HOST"] == "postgres"
    assert backend["POSTGRES_PORT"] == "5432"


def test_development_compose_reloads_and_publishes_postgres_on_5433() -> None:
    compose = _load(DEV)
    services = compose["services"]
    assert services["postgres"]["ports"] == ["127.0.0.1:${POSTGRES_PORT:-5433}:5432"]
    assert services["backend"]["build"]["target"] == "dev"
    assert "../../backend/src:/app/src:ro" in services["backend"]["volumes"]
    dockerfile = (DOCKER / "Dockerfile.backend").read_text()
    dev_stage = dockerfile.split("AS dev")[1].split("\nFROM ")[0]
    assert '"--reload"' in dev_stage


def test_the_caddyfile_serves_https_with_hsts_and_splits_api_from_app() -> None:
    caddyfile = (DOCKER / "Caddyfile").read_text()
    assert re.search(r'Strict-Transport-Security "max-age=(\d+); includeSubDomains"', caddyfile)
    max_age = int(re.search(r"max-age=(\d+)", caddyfile).group(1))  # type: ignore[union-attr]
    assert max_age >= 31536000
    assert "@backend path /api/*" in caddyfile
    backend = caddyfile.split("handle @backend {")[1].split("\n\t}")[0]
    assert "reverse_proxy {$VEELOCITY_BACKEND:127.0.0.1:8000}" in backend
    app = caddyfile.split("\thandle {")[1].split("\n\t}")[0]
    assert "reverse_proxy {$VEELOCITY_FRONTEND:127.0.0.1:80}" in app
    assert "-Server" in caddyfile


def test_optional_variables_left_empty_in_env_mean_their_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Compose passes `${VAR:-}` through as an empty string; the backend reads a default."""
    backend = _load(PROD)["services"]["backend"]["environment"]
    passed_empty = [name for name, value in backend.items() if str(value).endswith(":-}")]
    assert "WEB_CONCURRENCY" in passed_empty
    for name in passed_empty:
        monkeypatch.setenv(name, "")
    settings = Settings()
    for name in passed_empty:
        field = name.lower()
        if field == "log_format":  # its default depends on DEBUG: json in production
            assert settings.log_format == "json"
            continue
        expected = Settings.model_fields[field].get_default(call_default_factory=True)
        assert getattr(settings, field) == expected, name
