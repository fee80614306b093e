"""Every answer the fake Sentry gives fits Sentry's published response schemas.

The schemas come from Sentry's own OpenAPI description (sentry/openapi-subset.json, see
sentry/SOURCE.md). OpenAPI 3.0's `nullable` becomes a JSON-schema `null` type; everything else
is validated as written, with the jsonschema package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from jsonschema import Draft4Validator

from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, TokenSpec, run_fake_sentry

SUBSET = Path(__file__).with_name("sentry") / "openapi-subset.json"
ORG = "{organization_id_or_slug}"
NO_SCOPES = "sntrys_noscopes"  # pragma: allowlist secret


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SUBSET.read_text())
    return document


def _json_schema(schema: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON schema: `nullable: true` admits null."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {
        key: _json_schema(value)
        for key, value in schema.items()
        if key not in ("nullable", "example", "examples")
    }
    if schema.get("nullable"):
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def validator(path: str, status: str = "200") -> Draft4Validator:
    response = _document()["paths"][path]["get"]["responses"][status]
    schema = response["content"]["application/json"]["schema"]
    return Draft4Validator(_json_schema(schema))


def problems(path: str, body: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(path).iter_errors(body)
    ]


@pytest.fixture(scope="module")
def org() -> SentryOrganisation:
    return generate_sentry(SentryConfig(seed=3, projects=3, issues=400, releases=40))


@pytest.fixture(scope="module")
def client(org: SentryOrganisation) -> Iterator[httpx.Client]:
    fake = FakeSentry(org, tokens=[TokenSpec(DEMO_TOKEN), TokenSpec(NO_SCOPES, frozenset())])
    fake.limits.limit = 10_000
    with (
        run_fake_sentry(fake) as origin,
        httpx.Client(
            base_url=origin + "/api/0", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
        ) as http,
    ):
        yield http


def _requests(org: SentryOrganisation) -> list[tuple[str, str]]:
    """(OpenAPI path, the URL the fake is asked) for every GET the fake serves."""
    slug = org.slug
    incident = next(i for i in org.issues if i.events)
    quiet = next(i for i in org.issues if not i.events and i.first_release)
    released = next(r for r in org.releases if r.commits and r.deploys)
    unreleased = next(r for r in org.releases if not r.commits)
    project = org.projects[0]
    return [
        (f"/api/0/organizations/{ORG}/projects/", f"/organizations/{slug}/projects/"),
        (f"/api/0/organizations/{ORG}/releases/", f"/organizations/{slug}/releases/"),
        (
            f"/api/0/organizations/{ORG}/releases/",
            f"/organizations/{slug}/releases/?project={project.id}&per_page=5",
        ),
        *[
            (f"/api/0/organizations/{ORG}/releases/{{version}}/", url)
            for url in (
                f"/organizations/{slug}/releases/{quote(released.version, safe='')}/",
                f"/organizations/{slug}/releases/{quote(unreleased.version, safe='')}/",
            )
        ],
        (
            f"/api/0/organizations/{ORG}/releases/{{version}}/deploys/",
            f"/organizations/{slug}/releases/{quote(released.version, safe='')}/deploys/",
        ),
        (
            f"/api/0/organizations/{ORG}/releases/{{version}}/commits/",
            f"/organizations/{slug}/releases/{quote(released.version, safe='')}/commits/",
        ),
        (
            f"/api/0/organizations/{ORG}/stats_v2/",
            f"/organizations/{slug}/stats_v2/?groupBy=project&field=sum(quantity)"
            "&interval=1d&statsPeriod=30d&category=error",
        ),
        (
            f"/api/0/organizations/{ORG}/stats_v2/",
            f"/organizations/{slug}/stats_v2/?groupBy=outcome&groupBy=project"
            "&field=sum(times_seen)&interval=1h&statsPeriod=2d",
        ),
        (
            f"/api/0/projects/{ORG}/{{project_id_or_slug}}/issues/",
            f"/projects/{slug}/{project.slug}/issues/?query=&statsPeriod=90d",
        ),
        # The organisation's issue list has no entry in the subset; its items are the same.
        (
            f"/api/0/projects/{ORG}/{{project_id_or_slug}}/issues/",
            f"/organizations/{slug}/issues/?query=&sort=date&limit=100",
        ),
        (
            f"/api/0/projects/{ORG}/{{project_id_or_slug}}/issues/",
            f"/organizations/{slug}/issues/?query=is:resolved&groupStatsPeriod=14d",
        ),
        (
            f"/api/0/projects/{ORG}/{{project_id_or_slug}}/environments/",
            f"/projects/{slug}/{project.slug}/environments/",
        ),
        *[
            (f"/api/0/organizations/{ORG}/issues/{{issue_id}}/", url)
            for url in (
                f"/organizations/{slug}/issues/{incident.id}/",
                f"/organizations/{slug}/issues/{quiet.id}/",
            )
        ],
        *[
            ("/api/0/issues/{issue_id}/events/", url)
            for url in (
                f"/organizations/{slug}/issues/{incident.id}/events/",
                f"/organizations/{slug}/issues/{quiet.id}/events/?full=true",
                f"/issues/{incident.id}/events/?environment=production",
            )
        ],
    ]


def test_every_answer_fits_sentrys_response_schema(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    checked = 0
    for openapi_path, url in _requests(org):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        body = response.json()
        assert body, f"{url} answered nothing to check"
        assert problems(openapi_path, body) == [], url
        checked += 1
    assert checked == len(_requests(org))


def test_every_page_of_issues_fits_the_schema(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    url: str | None = f"/organizations/{org.slug}/issues/?query=&limit=100"
    pages = 0
    while url:
        response = client.get(url)
        assert not problems(
            f"/api/0/projects/{ORG}/{{project_id_or_slug}}/issues/", response.json()
        )
        pages += 1
        found = re.search(r'<([^>]+)>; rel="next"; results="true"', response.headers["link"])
        url = found.group(1) if found else None
    assert pages == 4


def test_errors_are_sentrys_detail_bodies(client: httpx.Client, org: SentryOrganisation) -> None:
    anonymous = client.get(f"/organizations/{org.slug}/issues/", headers={"Authorization": ""})
    no_scope = client.get(
        f"/organizations/{org.slug}/issues/", headers={"Authorization": f"Bearer {NO_SCOPES}"}
    )
    unknown = client.get("/organizations/no-such-org/projects/")
    for response, status in ((anonymous, 401), (no_scope, 403), (unknown, 404)):
        assert response.status_code == status
        assert set(response.json()) == {"detail"}
        assert isinstance(response.json()["detail"], str)


def test_sentrys_own_examples_fit_the_converted_schemas() -> None:
    """The conversion is sound: every example Sentry publishes passes its own schema."""
    checked = 0
    for path, operations in _document()["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        content = get["responses"]["200"].get("content", {}).get("application/json", {})
        examples = [e["value"] for e in (content.get("examples") or {}).values()]
        if "example" in content:
            examples.append(content["example"])
        for example in examples:
            assert problems(path, example) == [], path
            checked += 1
    assert checked == 12
