"""Connect with GitHub: the state is random and bound to the admin's session, the token
is stored encrypted as the GitHub source's token, and every forged callback is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from tests.api.fake_github_oauth import FakeGitHubOAuth, running_fake
from tests.conftest import add_user, login, setup_admin
from veelocity.models import AuditEvent, StoredSecret

CLIENT_ID = "Iv1.fakeclient"
CLIENT_SECRET = "fake-client-secret-0123456789"
FRONTEND = "https://veelocity.example.com/settings"
ADMIN = "admin@example.com"


@pytest.fixture
def fake() -> Iterator[FakeGitHubOAuth]:
    with running_fake(CLIENT_ID, CLIENT_SECRET) as fake:
        yield fake


@pytest.fixture
def oauth_client(make_client: Callable[..., TestClient], fake: FakeGitHubOAuth) -> TestClient:
    return make_client(
        github_oauth_client_id=CLIENT_ID,
        github_oauth_client_secret=CLIENT_SECRET,
        github_oauth_base_url=fake.base_url,
        # the fake serves on loopback, which outbound calls refuse unless allowed
        outbound_host_allowlist=["127.0.0.1"],
        oauth_backend_base_url="http://testserver",
        oauth_frontend_redirect_url=FRONTEND,
    )


def _start(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    response = client.post("/api/v1/settings/sources/github/oauth", headers=headers)
    assert response.status_code == 200, response.text
    url = urlsplit(response.json()["authorize_url"])
    return {k: v[0] for k, v in parse_qs(url.query).items()} | {"_path": url.path}


def _callback(client: TestClient, **query: str) -> tuple[str, dict[str, str]]:
    response = client.get("/api/v1/auth/github/callback", params=query, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _stored_tokens(client: TestClient) -> list[str]:
    url = client.app.state.context.settings.sqlalchemy_url  # type: ignore[attr-defined]
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(StoredSecret.ciphertext).where(StoredSecret.source == "github")
        ).all()
    engine.dispose()
    return [row[0] for row in rows]


def test_settings_offer_it_only_when_configured(
    client: TestClient, oauth_client: TestClient
) -> None:
    plain = client.get("/api/v1/settings", headers=setup_admin(client)).json()
    assert plain["oauth_available"] is False
    configured = oauth_client.get("/api/v1/settings", headers=login(oauth_client, ADMIN)).json()
    assert configured["oauth_available"] is True


def test_unconfigured_server_refuses_to_start(client: TestClient) -> None:
    response = client.post("/api/v1/settings/sources/github/oauth", headers=setup_admin(client))
    assert response.status_code == 404
    _, query = _callback(client, code="x", state="y")
    assert query == {"github_oauth": "error", "reason": "not_configured"}


def test_only_admins_can_start(oauth_client: TestClient) -> None:
    admin = setup_admin(oauth_client)
    viewer = add_user(oauth_client, admin, "viewer@example.com")
    assert oauth_client.post("/api/v1/settings/sources/github/oauth").status_code == 401
    response = oauth_client.post("/api/v1/settings/sources/github/oauth", headers=viewer)
    assert response.status_code == 403


def test_connect_with_github_stores_the_token_encrypted(
    oauth_client: TestClient, fake: FakeGitHubOAuth
) -> None:
    admin = setup_admin(oauth_client)
    params = _start(oauth_client, admin)
    assert params["_path"] == "/login/oauth/authorize"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == "http://testserver/api/v1/auth/github/callback"
    assert params["scope"] == "repo read:org"
    assert len(params["state"]) >= 40
    cookie = next(c for c in oauth_client.cookies.jar if c.name == "veelocity_github_oauth")
    assert cookie.path == "/api/v1/auth/github"
    assert cookie.has_nonstandard_attr("HttpOnly")

    code = fake.authorize(params["redirect_uri"])
    location, query = _callback(oauth_client, code=code, state=params["state"])

    assert location.startswith(FRONTEND + "?")
    assert query == {"github_oauth": "connected"}
    (token,) = fake.issued_tokens
    (exchange,) = fake.exchanges
    assert exchange["client_secret"] == CLIENT_SECRET
    (ciphertext,) = _stored_tokens(oauth_client)
    assert ciphertext.startswith("gAAAAA")
    assert token not in ciphertext
    context = oauth_client.app.state.context  # type: ignore[attr-defined]
    assert context.cipher.decrypt(ciphertext) == token
    github = oauth_client.get("/api/v1/settings", headers=admin).json()["sources"]["github"]
    assert github["token"] == {"configured": True, "last4": token[-4:]}
    with context.session_factory() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "settings.github_oauth_connected" in actions
    # The state cookie is spent.
    assert not [c for c in oauth_client.cookies.jar if c.name == "veelocity_github_oauth"]


def test_a_different_state_is_refused_before_any_exchange(
    oauth_client: TestClient, fake: FakeGitHubOAuth
) -> None:
    params = _start(oauth_client, setup_admin(oauth_client))
    code = fake.authorize(params["redirect_uri"])
    _, query = _callback(oauth_client, code=code, state="attacker-chosen-state")
    assert query == {"github_oauth": "error", "reason": "state"}
    assert fake.exchanges == []
    assert _stored_tokens(oauth_client) == []


def test_a_callback_from_another_browser_is_refused(
    oauth_client: TestClient, fake: FakeGitHubOAuth
) -> None:
    """The attacker has a valid state of their own, but not the victim's cookie."""
    params = _start(oauth_client, setup_admin(oauth_client))
    oauth_client.cookies.clear()
    code = fake.authorize(params["redirect_uri"])
    _, query = _callback(oauth_client, code=code, state=params["state"])
    assert query == {"github_oauth": "error", "reason": "state"}
    assert fake.exchanges == []


def test_a_tampered_cookie_is_refused(oauth_client: TestClient, fake: FakeGitHubOAuth) -> None:
    params = _start(oauth_client, setup_admin(oauth_client))
    cookie = next(c for c in oauth_client.cookies.jar if c.name == "veelocity_github_oauth")
    oauth_client.cookies.set(
        "veelocity_github_oauth", (cookie.value or "")[:-3] + "abc", path=cookie.path
    )
    _, query = _callback(
        oauth_client, code=fake.authorize(params["redirect_uri"]), state=params["state"]
    )
    assert query["reason"] == "state"
    assert fake.exchanges == []


def test_the_flow_ends_with_the_admins_session(
    oauth_client: TestClient, fake: FakeGitHubOAuth
) -> None:
    admin = setup_admin(oauth_client)
    params = _start(oauth_client, admin)
    assert oauth_client.post("/api/v1/auth/logout", headers=admin).status_code == 204
    _, query = _callback(
        oauth_client, code=fake.authorize(params["redirect_uri"]), state=params["state"]
    )
    assert query == {"github_oauth": "error", "reason": "session"}
    assert _stored_tokens(oauth_client) == []


def test_a_code_github_refuses_stores_nothing(
    oauth_client: TestClient, fake: FakeGitHubOAuth
) -> None:
    params = _start(oauth_client, setup_admin(oauth_client))
    _, query = _callback(oauth_client, code="not-a-code-github-issued", state=params["state"])
    assert query == {"github_oauth": "error", "reason": "exchange"}
    assert len(fake.exchanges) == 1
    assert _stored_tokens(oauth_client) == []


def test_the_user_declining_on_github_comes_back_with_a_reason(oauth_client: TestClient) -> None:
    _, query = _callback(oauth_client, error="access_denied", state="whatever")
    assert query == {"github_oauth": "error", "reason": "denied"}


def test_an_oauth_host_on_loopback_is_refused_unless_allowed(
    make_client: Callable[..., TestClient], fake: FakeGitHubOAuth
) -> None:
    client = make_client(
        github_oauth_client_id=CLIENT_ID,
        github_oauth_client_secret=CLIENT_SECRET,
        github_oauth_base_url=fake.base_url,
        oauth_backend_base_url="http://testserver",
        oauth_frontend_redirect_url=FRONTEND,
    )
    params = _start(client, setup_admin(client))
    code = fake.authorize(params["redirect_uri"])
    _, query = _callback(client, code=code, state=params["state"])
    assert query == {"github_oauth": "error", "reason": "exchange"}
    # refused before connecting: the client secret never left
    assert fake.exchanges == []
    assert _stored_tokens(client) == []
