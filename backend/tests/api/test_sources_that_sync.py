"""Settings and Status say which sources Veelocity reads; the others' settings are kept."""

from fastapi.testclient import TestClient


def test_status_and_settings_say_only_github_syncs(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    saved = client.put(
        "/api/v1/settings/sources/linear", json={"api_key": "lin_api_abcd"}, headers=admin_headers
    )
    assert saved.status_code == 200, saved.text

    settings = client.get("/api/v1/settings", headers=admin_headers).json()
    assert settings["synced_sources"] == ["github"]
    assert settings["sources"]["linear"]["api_key"] == {"configured": True, "last4": "abcd"}

    status = client.get("/api/v1/status", headers=admin_headers).json()
    by_source = {source["source"]: source for source in status["sources"]}
    assert {name: source["syncs"] for name, source in by_source.items()} == {
        "github": True,
        "linear": False,
        "sentry": False,
        "cursor": False,
        "greptile": False,
    }
    # A saved key for a source nothing reads is stored, with no sync time or error.
    assert by_source["linear"]["configured"] is True
    assert by_source["linear"]["last_sync_at"] is None
    assert by_source["linear"]["last_error"] is None
