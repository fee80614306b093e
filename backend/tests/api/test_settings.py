"""Source settings: saved encrypted, shown masked, never returned or stored in clear."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from veelocity.core.config import Settings

GITHUB_TOKEN = "ghp_canaryTOKEN0123456789abcdefghijklmnWXYZ"


def _raw_dump(database_url: str) -> str:
    """Every row of every table as text, as a database dump would show it."""
    engine = create_engine(database_url)
    lines = []
    with engine.connect() as connection:
        from veelocity.models import Base

        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                lines.append(repr(tuple(row)))
    engine.dispose()
    return "\n".join(lines)


def test_github_token_is_saved_encrypted_and_shown_masked(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    response = client.put(
        "/api/v1/settings/sources/github",
        json={"token": GITHUB_TOKEN, "organizations": ["acme"], "repositories": ["acme/api"]},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "token": {"configured": True, "last4": "WXYZ"},
        "organizations": ["acme"],
        "repositories": ["acme/api"],
        "api_base_url": "https://api.github.com",
    }
    settings = client.get("/api/v1/settings", headers=admin_headers)
    assert settings.json()["sources"]["github"]["token"] == {"configured": True, "last4": "WXYZ"}
    assert GITHUB_TOKEN not in settings.text

    dump = _raw_dump(database_url)
    assert GITHUB_TOKEN not in dump
    engine = create_engine(database_url)
    with engine.connect() as connection:
        ciphertext = connection.execute(
            text("SELECT ciphertext FROM stored_secret WHERE source='github' AND name='token'")
        ).scalar_one()
    engine.dispose()
    assert ciphertext.startswith("gAAAAA")


def test_omitting_a_secret_keeps_it_and_null_clears_it(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    client.put(
        "/api/v1/settings/sources/greptile",
        json={"api_key": "greptile-key-0001", "github_token": "ghp_greptile_0002"},
        headers=admin_headers,
    )
    kept = client.put(
        "/api/v1/settings/sources/greptile",
        json={"github_token": "ghp_greptile_9999"},
        headers=admin_headers,
    )
    assert kept.json() == {
        "api_key": {"configured": True, "last4": "0001"},
        "github_token": {"configured": True, "last4": "9999"},
        "base_url": "https://api.greptile.com",
    }
    cleared = client.put(
        "/api/v1/settings/sources/greptile", json={"api_key": None}, headers=admin_headers
    )
    assert cleared.json()["api_key"] == {"configured": False, "last4": None}


def test_every_source_can_be_configured(client: TestClient, admin_headers: dict[str, str]) -> None:
    bodies = {
        "linear": {"api_key": "lin_api_0123456789abcd"},
        "sentry": {
            "token": "sntrys_0123456789abcd",
            "organization": "acme",
            "base_url": "https://sentry.example.com/",
        },
        "cursor": {"api_key": "key_cursor_0123456789"},
    }
    for source, body in bodies.items():
        response = client.put(
            f"/api/v1/settings/sources/{source}", json=body, headers=admin_headers
        )
        assert response.status_code == 200, response.text
    sources = client.get("/api/v1/settings", headers=admin_headers).json()["sources"]
    assert sources["linear"]["api_key"] == {"configured": True, "last4": "abcd"}
    assert sources["sentry"]["organization"] == "acme"
    assert sources["sentry"]["base_url"] == "https://sentry.example.com"
    assert sources["cursor"]["api_key"]["configured"] is True
    status = client.get("/api/v1/status", headers=admin_headers).json()
    configured = {s["source"]: s["configured"] for s in status["sources"]}
    assert configured == {
        "github": False,
        "linear": True,
        "sentry": True,
        "cursor": True,
        "greptile": False,
    }


def test_linears_api_url_defaults_to_linear_and_can_point_elsewhere(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    linear = client.get("/api/v1/settings", headers=admin_headers).json()["sources"]["linear"]
    assert linear["api_url"] == "https://api.linear.app/graphql"
    saved = client.put(
        "/api/v1/settings/sources/linear",
        json={"api_key": "lin_api_0123456789abcd", "api_url": "https://linear.example.com/graphql"},
        headers=admin_headers,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "api_key": {"configured": True, "last4": "abcd"},
        "api_url": "https://linear.example.com/graphql",
    }


def test_unknown_fields_are_refused_and_nothing_changes(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    before = client.get("/api/v1/settings", headers=admin_headers).json()
    for body in (
        {"ciphertext": "gAAAAAxyz"},
        {"token": "ghp_x" * 3, "encrypted_key": "x"},
        {"is_admin": True},
    ):
        response = client.put("/api/v1/settings/sources/github", json=body, headers=admin_headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "validation_error"
    assert client.get("/api/v1/settings", headers=admin_headers).json() == before


def test_a_bad_repository_name_is_refused(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    response = client.put(
        "/api/v1/settings/sources/github",
        json={"repositories": ["not a repo"]},
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert "owner/name" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
        "http://127.0.0.1:5432",
        "http://localhost",
        "http://[::1]",
        "http://0.0.0.0",
        "http://2130706433",
        "http://0x7f.1",
        "http://[::ffff:127.0.0.1]",
        "http://10.0.0.5/api/v3",
        "file:///etc/passwd",
        "gopher://example.com/",
        "ftp://example.com/",
        "http://user:pass@github.example.com",
    ],
)
def test_base_urls_that_reach_inside_the_network_are_refused(
    client: TestClient, admin_headers: dict[str, str], url: str
) -> None:
    response = client.put(
        "/api/v1/settings/sources/github", json={"api_base_url": url}, headers=admin_headers
    )
    assert response.status_code == 422, url
    assert response.json()["error"]["message"].startswith("api_base_url:")


def test_an_allowlisted_private_host_is_accepted_but_metadata_never(make_client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import setup_admin

    client = make_client(outbound_host_allowlist=["10.0.0.5", "169.254.169.254"])
    headers = setup_admin(client)
    ok = client.put(
        "/api/v1/settings/sources/github",
        json={"api_base_url": "https://10.0.0.5/api/v3"},
        headers=headers,
    )
    assert ok.status_code == 200
    assert ok.json()["api_base_url"] == "https://10.0.0.5/api/v3"
    metadata = client.put(
        "/api/v1/settings/sources/github",
        json={"api_base_url": "http://169.254.169.254"},
        headers=headers,
    )
    assert metadata.status_code == 422


def test_deployment_patterns_default_and_change(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    assert client.get("/api/v1/settings", headers=admin_headers).json()["deployment_patterns"] == [
        "deploy",
        "release",
        "publish",
    ]
    response = client.put(
        "/api/v1/settings/deployment-patterns",
        json={"patterns": ["ship", "Deploy to production"]},
        headers=admin_headers,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/settings", headers=admin_headers).json()["deployment_patterns"] == [
        "ship",
        "Deploy to production",
    ]


def test_deployment_patterns_follow_the_environment_default(make_client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import setup_admin

    client = make_client(deployment_patterns=["ship-it"])
    headers = setup_admin(client)
    assert client.get("/api/v1/settings", headers=headers).json()["deployment_patterns"] == [
        "ship-it"
    ]


def test_incident_patterns_default_and_change(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    assert client.get("/api/v1/settings", headers=admin_headers).json()["incident_patterns"] == [
        "incident"
    ]
    response = client.put(
        "/api/v1/settings/incident-patterns",
        json={"patterns": ["incident", " Outage ", "sev1"]},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"patterns": ["incident", "Outage", "sev1"]}
    settings = client.get("/api/v1/settings", headers=admin_headers).json()
    assert settings["incident_patterns"] == ["incident", "Outage", "sev1"]
    assert settings["deployment_patterns"] == ["deploy", "release", "publish"]

    events = client.get("/api/v1/audit?page_size=100", headers=admin_headers).json()["items"]
    changes = [e for e in events if e["action"] == "settings.incident_patterns_updated"]
    assert len(changes) == 1
    assert changes[0]["actor_email"] == "admin@example.com"
    assert changes[0]["details"] == {"from": ["incident"], "to": ["incident", "Outage", "sev1"]}

    again = client.put(
        "/api/v1/settings/incident-patterns",
        json={"patterns": ["incident", "Outage", "sev1"]},
        headers=admin_headers,
    )
    assert again.status_code == 200
    events = client.get("/api/v1/audit?page_size=100", headers=admin_headers).json()["items"]
    assert [e["action"] for e in events].count("settings.incident_patterns_updated") == 1


def test_incident_patterns_follow_the_environment_default(make_client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import setup_admin

    client = make_client(incident_patterns=["outage", "sev1"])
    headers = setup_admin(client)
    assert client.get("/api/v1/settings", headers=headers).json()["incident_patterns"] == [
        "outage",
        "sev1",
    ]


def test_only_admins_change_incident_patterns(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    from tests.conftest import add_user

    viewer = add_user(client, admin_headers, "viewer@example.com")
    assert client.get("/api/v1/settings", headers=viewer).json()["incident_patterns"] == [
        "incident"
    ]
    refused = client.put(
        "/api/v1/settings/incident-patterns", json={"patterns": ["outage"]}, headers=viewer
    )
    assert refused.status_code == 403
    anonymous = client.put("/api/v1/settings/incident-patterns", json={"patterns": ["outage"]})
    assert anonymous.status_code == 401
    assert client.get("/api/v1/settings", headers=admin_headers).json()["incident_patterns"] == [
        "incident"
    ]
    events = client.get("/api/v1/audit?page_size=100", headers=admin_headers).json()["items"]
    assert "settings.incident_patterns_updated" not in [e["action"] for e in events]


@pytest.mark.parametrize(
    "body",
    [
        {"patterns": [""]},
        {"patterns": ["   "]},
        {"patterns": ["x" * 101]},
        {"patterns": [f"label-{n}" for n in range(51)]},
        {"patterns": "incident"},
        {"patterns": ["incident"], "extra": True},
    ],
)
def test_invalid_incident_patterns_are_refused(
    client: TestClient, admin_headers: dict[str, str], body: object
) -> None:
    response = client.put("/api/v1/settings/incident-patterns", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert client.get("/api/v1/settings", headers=admin_headers).json()["incident_patterns"] == [
        "incident"
    ]


def test_derive_recognises_a_label_from_newly_stored_incident_patterns(
    client: TestClient, admin_headers: dict[str, str], settings: Settings
) -> None:
    from veelocity.core.db import make_engine, make_session_factory
    from veelocity.credentials.store import deployment_patterns, incident_patterns
    from veelocity.derive import DeriveConfig

    def derive_config() -> DeriveConfig:
        engine = make_engine(settings)
        with make_session_factory(engine)() as session:
            config = DeriveConfig.from_settings(
                settings,
                deployment_patterns(session, settings.deployment_patterns),
                incident_patterns(session, settings.incident_patterns),
            )
        engine.dispose()
        return config

    assert derive_config().is_incident_label(["Incident"])
    assert not derive_config().is_incident_label(["bug", "Outage"])

    client.put(
        "/api/v1/settings/incident-patterns",
        json={"patterns": ["outage"]},
        headers=admin_headers,
    )

    config = derive_config()
    assert config.is_incident_label(["bug", "Outage"])
    assert not config.is_incident_label(["incident"])
    assert config.is_deployment_workflow("Deploy to production")


def test_saving_incident_patterns_turns_matching_issues_into_incidents(
    client: TestClient, admin_headers: dict[str, str], database_url: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy.orm import Session

    from veelocity.models import Issue, Repository

    opened = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        repository = Repository(full_name="acme/shop", default_branch="main", created_at=opened)
        session.add(repository)
        session.flush()
        session.add(
            Issue(
                source="github",
                external_id="acme/shop#7",
                repository_id=repository.id,
                number=7,
                title="Payments time out",
                state="open",
                labels=["sev1"],
                created_at=opened,
                updated_at=opened,
            )
        )
    engine.dispose()

    def incident_titles() -> list[str]:
        listed = client.get("/api/v1/incidents", headers=admin_headers)
        assert listed.status_code == 200, listed.text
        return [item["title"] for item in listed.json()["items"]]

    assert incident_titles() == []
    response = client.put(
        "/api/v1/settings/incident-patterns",
        json={"patterns": ["incident", "sev1"]},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert incident_titles() == ["Payments time out"]
    client.put(
        "/api/v1/settings/incident-patterns", json={"patterns": ["incident"]}, headers=admin_headers
    )
    assert incident_titles() == []
