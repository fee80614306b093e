"""The deployment guide says what the contract promises, and the CI workflow is valid."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from tests.conftest import TEST_DB
from tests.infra.conftest import REPO

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")

GUIDE = REPO / "docs" / "deployment.md"
DOCS = [
    "docs/deployment.md",
    "docs/SECOPS_CHECKLIST.md",
    "docs/SECURITY_AUDIT_SECRETS.md",
    "docs/guides/github-oauth-setup.md",
]
#: What users type, word for word, as the contract gives it.
COMPOSE = "docker compose -f infra/docker/docker-compose.prod.yml"
CONTRACT_COMMANDS = [
    "cp infra/docker/.env.example infra/docker/.env",
    f"{COMPOSE} --env-file infra/docker/.env up -d --build",
    f"{COMPOSE} exec backend uv run alembic upgrade head",
    "pg_dump -U veelocity veelocity > backup.sql",
    "psql -U veelocity veelocity < backup.sql",
    "git pull",
    'python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"',
    "secrets.token_urlsafe(32)",
]


def test_every_document_of_the_contract_exists_and_the_readme_links_it() -> None:
    readme = (REPO / "README.md").read_text()
    for path in DOCS:
        assert (REPO / path).is_file(), path
        assert f"]({path})" in readme, f"README.md does not link {path}"


def test_the_guide_gives_the_contracts_commands() -> None:
    guide = " ".join(GUIDE.read_text().split())
    for command in CONTRACT_COMMANDS:
        assert command in guide, command


def test_the_guide_covers_every_deployment_path() -> None:
    guide = GUIDE.read_text()
    for heading in (
        "## Docker Compose (production)",
        "## HTTPS with Caddy",
        "## Kubernetes",
        "## Helm",
        "## Fly.io",
        "## Single process",
        "## Example runbook",
        "### Environment variables",
        "### Backups",
    ):
        assert heading in guide, heading
    for promise in ("postgres_data", "service_healthy", "/api/v1/health/live", "uv.lock"):
        assert promise in guide, promise


def test_the_ci_workflow_is_a_valid_github_workflow_running_make() -> None:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendor / "github-workflows.json").read_text())
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    # PyYAML reads YAML 1.1, where the key `on` means true; GitHub reads it as "on".
    workflow["on"] = workflow.pop(True)
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(workflow)] == []
    (job,) = workflow["jobs"].values()
    commands = [step.get("run") for step in job["steps"]]
    assert "make check" in commands
    assert "make test" in commands
    assert job["services"]["postgres"]["image"] == "postgres:15"
