"""Settings and Status say which sources Veelocity reads: every source it takes settings for."""

from fastapi.testclient import TestClient


def test_status_and_settings_say_which_sources_sync(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    saved = client.put(
        "/api/v1/settings/sources/greptile",
        json={"api_key": "greptile_key_abcd"},
        headers=admin_headers,
    )
    assert saved.status_code == 200, saved.text

    settings = client.get("/api/v1/settings", headers=admin_headers).json()
    assert settings["synced_sources"] == ["github", "linear", "sentry", "cursor", "greptile"]
    assert settings["sources"]["greptile"]["api_key"] == {"configured": True, "last4": "abcd"}
    assert settings["sources"]["linear"]["api_url"] == "https://api.linear.app/graphql"
    assert settings["sources"]["cursor"]["base_url"] == "https://api.cursor.com"

    status = client.get("/api/v1/status", headers=admin_headers).json()
    by_source = {source["source"]: source for source in status["sources"]}
    assert {name: source["syncs"] for name, source in by_source.items()} == {
        "github": True,
        "linear": True,
        "sentry": True,
        "cursor": True,
        "greptile": True,
    }
    # Greptile's GitHub token is optional: the API key alone configures it; not synced yet.
    assert by_source["greptile"]["configured"] is True
    assert by_source["greptile"]["last_sync_at"] is None
    assert by_source["greptile"]["last_error"] is None
    assert by_source["cursor"]["configured"] is False
