"""Bad input gets a 4xx that says what is wrong, never a 500, and changes nothing."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, add_user

PAST_POSTGRES_INTEGER = 2**31
PAST_SQLITE_INTEGER = 2**63


_INTEGER_ID_ROUTES = [
    ("PATCH", "/api/v1/users/{id}"),
    ("GET", "/api/v1/teams/{id}"),
    ("PUT", "/api/v1/teams/{id}"),
    ("DELETE", "/api/v1/teams/{id}"),
    ("GET", "/api/v1/sync/runs/{id}"),
    ("POST", "/api/v1/sync/runs/{id}/cancel"),
    ("DELETE", "/api/v1/settings/ingest-tokens/{id}"),
    ("GET", "/api/v1/github/prs?team_id={id}"),
    ("GET", "/api/v1/github/prs?repo_id={id}"),
    ("GET", "/api/v1/metrics/development?team_id={id}"),
    ("GET", "/api/v1/metrics/development?repo_id=1&repo_id={id}"),
    ("GET", "/api/v1/deployments?team_id={id}"),
]
#: Pull requests and deployments have BIGINT keys on PostgreSQL.
_BIGINT_ID_ROUTES = [
    ("GET", "/api/v1/github/prs/{id}"),
    ("GET", "/api/v1/github/prs?deployment_id={id}"),
]


@pytest.mark.parametrize(
    ("method", "path", "too_big"),
    [(m, p, n) for m, p in _INTEGER_ID_ROUTES for n in (PAST_POSTGRES_INTEGER, PAST_SQLITE_INTEGER)]
    + [(m, p, PAST_SQLITE_INTEGER) for m, p in _BIGINT_ID_ROUTES],
)
def test_ids_past_the_column_range_are_refused_not_500(
    client: TestClient, admin_headers: dict[str, str], method: str, path: str, too_big: int
) -> None:
    body = {"name": "team", "members": [], "repositories": []} if method == "PUT" else None
    if method == "PATCH":
        body = {"is_active": False}
    response = client.request(method, path.format(id=too_big), headers=admin_headers, json=body)
    assert response.status_code in (404, 422), response.text
    assert response.json()["error"]["code"] in ("not_found", "validation_error")


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/auth/login", {"email": "a\x00@example.com", "password": "x"}, "email"),
        (
            "POST",
            "/api/v1/auth/setup",
            {"email": "admin@example.com", "password": "p\x00" * 8},
            "password",
        ),
        ("GET", "/api/v1/github/prs?author=octo%00cat", None, "query.author"),
        ("GET", "/api/v1/metrics/developers/octo%00cat", None, "path.login"),
        ("POST", "/api/v1/teams", {"name": "t\x00eam", "members": [], "repositories": []}, "name"),
        (
            "POST",
            "/api/v1/teams",
            {"name": "team", "members": ["a", "b\x00"], "repositories": []},
            "members.1",
        ),
    ],
)
def test_nul_characters_are_refused_in_paths_queries_and_bodies(
    client: TestClient,
    admin_headers: dict[str, str],
    method: str,
    path: str,
    body: dict[str, object] | None,
    field: str,
) -> None:
    response = client.request(method, path, headers=admin_headers, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"] == f"{field}: Value must not contain NUL characters"
    assert "\x00" not in response.text


def test_a_nul_in_an_unknown_json_key_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/teams",
        content=b'{"name": "team", "members": [], "repositories": [], "x\\u0000": 1}',
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "x\\u0000: Value must not contain NUL characters"


def test_an_escaped_backslash_before_u0000_is_not_a_nul(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/teams",
        content=b'{"name": "team \\\\u0000", "members": [], "repositories": []}',
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "team \\u0000"


@pytest.fixture
def spa_client(make_client, tmp_path: Path) -> TestClient:  # type: ignore[no-untyped-def]
    spa_dir = tmp_path / "spa"
    spa_dir.mkdir()
    (spa_dir / "index.html").write_text("<!doctype html><title>Veelocity</title>")
    client: TestClient = make_client(veelocity_spa_dir=spa_dir)
    return client


def test_a_nul_in_a_web_app_path_is_refused_not_500(spa_client: TestClient) -> None:
    assert spa_client.get("/dashboard").status_code == 200
    response = spa_client.get("/%00")
    assert response.status_code in (404, 422)
    assert spa_client.get("/teams/%00/edit").status_code in (404, 422)


@pytest.mark.parametrize("with_web_app", [True, False])
def test_get_on_a_post_only_route_is_405_naming_the_allowed_methods(
    make_client,
    spa_client: TestClient,
    with_web_app: bool,  # type: ignore[no-untyped-def]
) -> None:
    client = spa_client if with_web_app else make_client()
    response = client.get("/api/v1/auth/login")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
    teams = client.request("PATCH", "/api/v1/teams/1")
    assert teams.status_code == 405
    assert set(teams.headers["allow"].split(", ")) >= {"GET", "PUT", "DELETE"}
    assert client.get("/api/v1/no-such-route").status_code == 404


@pytest.mark.parametrize("not_a_boolean", [0, 1, "false", "yes", None])
def test_is_active_takes_only_true_or_false(
    client: TestClient, admin_headers: dict[str, str], not_a_boolean: object
) -> None:
    add_user(client, admin_headers, "viewer@example.com")
    viewer = next(
        u
        for u in client.get("/api/v1/users", headers=admin_headers).json()["items"]
        if u["email"] == "viewer@example.com"
    )
    body = {"is_active": not_a_boolean}
    response = client.patch(f"/api/v1/users/{viewer['id']}", json=body, headers=admin_headers)
    if not_a_boolean is None:
        assert response.status_code == 200  # null means "leave it as it is"
    else:
        assert response.status_code == 422, response.text
        assert response.json()["error"]["message"] == "is_active: Input should be a valid boolean"
    after = client.get("/api/v1/users", headers=admin_headers).json()["items"]
    assert next(u for u in after if u["id"] == viewer["id"])["is_active"] is True


@pytest.mark.parametrize("blank", [" " * 12, "\t" * 12, " \u3000\n" * 5])
def test_a_blank_password_is_refused_with_a_clear_message(client: TestClient, blank: str) -> None:
    response = client.post(
        "/api/v1/auth/setup", json={"email": "admin@example.com", "password": blank}
    )
    assert response.status_code == 422
    assert (
        response.json()["error"]["message"]
        == "Password cannot be only spaces or other blank characters."
    )
    assert client.get("/api/v1/auth/setup").json() == {"needs_setup": True}


def test_a_password_with_spaces_inside_is_still_accepted(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/setup", json={"email": "admin@example.com", "password": f"  {PASSWORD}  "}
    )
    assert response.status_code == 201


def _integer_schemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if schema.get("type") == "integer":
        yield schema
    for option in schema.get("anyOf", []):
        yield from _integer_schemas(option)
    if "items" in schema:
        yield from _integer_schemas(schema["items"])


def test_every_integer_in_a_path_or_query_has_a_maximum(client: TestClient) -> None:
    """A new id parameter must use the bounded id types of `veelocity.api.ids`."""
    unbounded = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        for schema in _integer_schemas(parameter["schema"])
        if "maximum" not in schema
    ]
    assert unbounded == []


@pytest.mark.parametrize("body", [b"[null, null]", b"7", b'"event"'])
def test_a_cloudevent_that_is_not_a_json_object_is_refused(
    client: TestClient, admin_headers: dict[str, str], body: bytes
) -> None:
    token = client.post(
        "/api/v1/settings/ingest-tokens", json={"name": "pipeline"}, headers=admin_headers
    ).json()["token"]
    response = client.post(
        "/api/v1/ingest/cdevents?source=cdevents",
        content=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/cloudevents+json",
        },
    )
    assert response.status_code == 422, response.text
    assert "the body is not a JSON object" in response.json()["error"]["message"]


def test_a_nul_in_a_cloudevent_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    token = client.post(
        "/api/v1/settings/ingest-tokens", json={"name": "pipeline"}, headers=admin_headers
    ).json()["token"]
    response = client.post(
        "/api/v1/ingest/cdevents?source=cdevents",
        content=b'{"specversion": "1.0", "id": "a\\u0000", "source": "ci\\u0000", "type": "x"}',
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/cloudevents+json; charset=utf-8",
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == "id: Value must not contain NUL characters"


def test_a_failed_sign_in_with_a_very_long_email_is_a_401_and_audited(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    email = f"{'a' * 300}@example.com"
    response = client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"})
    assert response.status_code == 401, response.text
    events = client.get("/api/v1/audit?action=auth.login_failed", headers=admin_headers).json()
    assert events["items"][0]["target"] == email[:200]
