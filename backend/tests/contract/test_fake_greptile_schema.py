"""The fake Greptile's REST answers fit Greptile's API description (greptile/openapi.yaml).

The description has schemas for the REST API only; the MCP tools' answers are checked against
the documented examples' fields in tests/fakes/greptile.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml
from jsonschema import Draft4Validator, ValidationError

from veelocity.demo import DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import DEMO_KEY, FakeGreptile, run_fake_greptile

DESCRIPTION = Path(__file__).with_name("greptile") / "openapi.yaml"
REPOSITORY = "/repositories/{repositoryId}"


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(DESCRIPTION.read_text())
    return document


def validator(path: str, status: str) -> Draft4Validator:
    response = _document()["paths"][path]["get"]["responses"][status]
    schema = dict(response["content"]["application/json"]["schema"])
    # Resolve `$ref`s against the description's components.
    schema["components"] = _document()["components"]
    return Draft4Validator(_strict(schema))


def _strict(schema: Any) -> Any:
    """`$ref: '#/components/...'` as JSON schema refs; objects refuse unknown properties, so a
    field the description does not have is caught."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: _strict(v) for k, v in schema.items() if k not in ("example", "examples")}
    if converted.get("type") == "object" and "properties" in converted:
        converted["additionalProperties"] = False
    return converted


@pytest.fixture(scope="module")
def account() -> GreptileAccount:
    org = generate(DemoConfig(seed=11, repositories=4, developers=8, months=2))
    return DemoAi(org, seed=11).greptile


@pytest.fixture(scope="module")
def greptile(account: GreptileAccount) -> Iterator[httpx.Client]:
    with (
        run_fake_greptile(FakeGreptile(account)) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {DEMO_KEY}"}, timeout=30
        ) as client,
    ):
        yield client


def _get(client: httpx.Client, repository_id: str) -> httpx.Response:
    return client.get("/v2/repositories/" + quote(repository_id, safe=""))


def test_every_repository_fits_repository_info(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    check = validator(REPOSITORY, "200")
    statuses = set()
    for repository in account.repositories:
        answer = _get(greptile, repository.id)
        assert answer.status_code == 200
        check.validate(answer.json())
        statuses.add(answer.json()["status"])

    assert statuses == {"completed", "processing"}


def test_not_found_fits_the_error_response(greptile: httpx.Client) -> None:
    answer = _get(greptile, "github:main:acme/missing")

    assert answer.status_code == 404
    validator(REPOSITORY, "404").validate(answer.json())


def test_unauthorised_fits_the_error_response(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    answer = greptile.get(
        "/v2/repositories/" + quote(account.repositories[0].id, safe=""),
        headers={"Authorization": "Bearer wrong"},
    )

    assert answer.status_code == 401
    validator(REPOSITORY, "401").validate(answer.json())


def test_the_check_refuses_a_field_the_description_lacks() -> None:
    with pytest.raises(ValidationError, match="Additional properties"):
        validator(REPOSITORY, "200").validate({"repository": "a/b", "indexedAt": "now"})
