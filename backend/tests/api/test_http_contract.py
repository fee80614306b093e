"""The HTTP contract: public and protected paths, error shape, headers, CORS, limits."""

import json
import re
import uuid

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tests.conftest import setup_admin

PUBLIC_API_PATHS = {"/api/v1/health", "/api/v1/health/live"}


def _api_routes(client: TestClient) -> list[tuple[str, str]]:
    """(path, method) of every API route, read from the router itself."""
    routes = iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
    return sorted(
        (route.path, method)
        for route in routes
        if route.path and route.path.startswith("/api/")
        for method in route.methods or ()
    )


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_api_route_outside_auth_and_health_needs_a_token(client: TestClient) -> None:
    setup_admin(client)
    expired_or_garbage = [None, "Bearer garbage", "Bearer " + "e30." * 2 + "x", "Basic YTpi"]
    checked = 0
    for path, method in _api_routes(client):
        if path in PUBLIC_API_PATHS or path.startswith("/api/v1/auth/"):
            continue
        for authorization in expired_or_garbage:
            headers = {"Authorization": authorization} if authorization else {}
            response = client.request(method, _concrete(path), headers=headers, json={})
            assert response.status_code == 401, (method, path, authorization)
            assert response.json()["error"]["code"] == "not_authenticated"
        checked += 1
    assert checked >= 10


def test_the_openapi_document_lists_exactly_the_routes_served(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    documented = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    served = set(_api_routes(client))
    assert documented == served
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            if path not in PUBLIC_API_PATHS and not path.startswith("/api/v1/auth/"):
                assert "401" in operation["responses"], (method, path)


def test_settings_without_a_token_is_401_and_me_with_one_is_the_user(client: TestClient) -> None:
    headers = setup_admin(client)
    response = client.get("/api/v1/settings")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/auth/me", headers=headers).json()["email"] == "admin@example.com"


def test_status_reports_version_database_and_migrations(client: TestClient) -> None:
    headers = setup_admin(client)
    assert client.get("/api/v1/status").status_code == 401
    status = client.get("/api/v1/status", headers=headers).json()
    assert status["version"]
    assert status["uptime_seconds"] >= 0
    assert status["database"]["reachable"] is True
    assert status["database"]["migration"]["up_to_date"] is True
    assert status["database"]["migration"]["current"] == status["database"]["migration"]["head"]
    assert [s["source"] for s in status["sources"]] == [
        "github",
        "linear",
        "sentry",
        "cursor",
        "greptile",
    ]


def test_docs_and_redoc_are_served_with_local_assets(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "text/html" in page.headers["content-type"]
        assert "cdn." not in page.text
        assert "/docs-assets/" in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/redoc.standalone.js").status_code == 200


def test_prometheus_metrics_count_requests(client: TestClient) -> None:
    client.get("/api/v1/health")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert (
        'veelocity_http_requests_total{method="GET",route="/api/v1/health",status="200"}'
        in response.text
    )


def test_metrics_can_be_turned_off(make_client) -> None:  # type: ignore[no-untyped-def]
    assert make_client(metrics_enabled=False).get("/metrics").status_code == 404


def test_frontend_health_is_ok_in_single_process_mode(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.text == "ok"


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    generated = response.headers["x-request-id"]
    assert uuid.UUID(generated)
    given = str(uuid.uuid4())
    assert (
        client.get("/api/v1/health", headers={"X-Request-ID": given}).headers["x-request-id"]
        == given
    )
    # A forged id (not a UUID) is replaced, so it cannot inject text into logs.
    forged = client.get("/api/v1/health", headers={"X-Request-ID": "evil\nline"})
    assert forged.headers["x-request-id"] != "evil\nline"
    error = client.get("/api/v1/settings")
    assert error.json()["error"]["request_id"] == error.headers["x-request-id"]


def test_security_headers_on_api_responses(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers
    assert "x-powered-by" not in response.headers
    assert "strict-transport-security" not in response.headers


def test_hsts_only_over_https_from_a_trusted_proxy(make_client) -> None:  # type: ignore[no-untyped-def]
    trusted = make_client(client_address="127.0.0.1")
    assert (
        "strict-transport-security"
        in trusted.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"}).headers
    )
    untrusted = make_client(client_address="203.0.113.5")
    assert (
        "strict-transport-security"
        not in untrusted.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"}).headers
    )


def test_html_pages_get_a_strict_content_security_policy(client: TestClient) -> None:
    csp = client.get("/docs").headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert client.get("/docs").headers["cross-origin-opener-policy"] == "same-origin"


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "https://app.example.evil.example"]
)
def test_cors_refuses_other_origins(make_client, origin: str) -> None:  # type: ignore[no-untyped-def]
    client = make_client(cors_allowed_origins=["https://app.example"])
    preflight = client.options(
        "/api/v1/auth/login",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    simple = client.get("/api/v1/health", headers={"Origin": origin})
    assert "access-control-allow-origin" not in simple.headers


def test_cors_echoes_the_allowed_origin_with_credentials(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(cors_allowed_origins=["https://app.example"])
    response = client.get("/api/v1/health", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "Origin" in response.headers["vary"]


def test_cors_wildcard_never_allows_credentials(client: TestClient) -> None:
    response = client.get(
        "/api/v1/health",
        headers={"Origin": "https://evil.example", "Cookie": "veelocity_refresh=x"},
    )
    assert response.headers.get("access-control-allow-credentials") != "true"


def test_unused_methods_get_405(client: TestClient) -> None:
    for method in ("TRACE", "DELETE", "PATCH"):
        response = client.request(method, "/api/v1/health")
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_json_gets_a_clear_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        content=b'{"email": "a@b.c", "password": ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert body["request_id"]


def test_wrong_types_name_the_field(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"email": ["x"], "password": 5})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("email:")


def test_a_body_over_the_limit_gets_413(client: TestClient) -> None:
    big = json.dumps({"email": "a@b.co", "password": "x" * (6 * 1024 * 1024)})
    response = client.post(
        "/api/v1/auth/login", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_gets_413(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(7):
            yield b"x" * (1024 * 1024)

    response = client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_deeply_nested_json_is_refused_without_a_crash(client: TestClient) -> None:
    nested = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/v1/auth/login", content=nested.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_unknown_api_paths_are_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unexpected_error_is_generic_json_without_a_trace(client: TestClient) -> None:
    @client.app.get("/api/v1/test-only-crash")  # type: ignore[attr-defined]
    def crash() -> None:
        raise RuntimeError("secret internals: SELECT * FROM app_user")

    client.app.router.routes.insert(0, client.app.router.routes.pop())  # type: ignore[attr-defined]
    response = client.get("/api/v1/test-only-crash")
    assert response.status_code == 500
    body = response.json()["error"]
    assert body == {
        "code": "internal_error",
        "message": "Something went wrong on the server.",
        "request_id": body["request_id"],
    }
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
