"""Credentials, scopes, unknown organisations and the rate limits, as Sentry answers them."""

from __future__ import annotations

import base64
import time

import httpx
import pytest

from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, TokenSpec

LEGACY_KEY = "0123456789abcdef0123456789abcdef"  # pragma: allowlist secret


def _basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def test_a_bearer_token_and_a_legacy_key_as_basic_username_both_open_the_api(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.add_token(TokenSpec(LEGACY_KEY, api_key=True))
    url = f"/organizations/{org.slug}/projects/"
    assert client.get(url).status_code == 200
    assert client.get(url, headers={"Authorization": _basic(LEGACY_KEY)}).status_code == 200
    # Each form only for its own kind of credential.
    as_bearer = client.get(url, headers={"Authorization": f"Bearer {LEGACY_KEY}"})
    assert as_bearer.status_code == 401
    token_as_basic = client.get(url, headers={"Authorization": _basic(DEMO_TOKEN)})
    assert token_as_basic.status_code == 401


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("", "Authentication credentials were not provided."),
        ("Bearer sntrys_not_a_real_one", "Invalid token"),
        (_basic("not-a-key"), "API key is not valid"),
        ("Token abc", "Authentication credentials were not provided."),
    ],
)
def test_missing_and_wrong_credentials_are_401_with_a_detail(
    client: httpx.Client, org: SentryOrganisation, authorization: str, message: str
) -> None:
    answer = client.get(
        f"/organizations/{org.slug}/issues/", headers={"Authorization": authorization}
    )
    assert (answer.status_code, answer.json()) == (401, {"detail": message})


@pytest.mark.parametrize(
    ("scopes", "path", "status"),
    [
        ({"org:read"}, "/organizations/{org}/projects/", 200),
        ({"org:read"}, "/organizations/{org}/issues/", 403),
        ({"event:read"}, "/organizations/{org}/issues/", 200),
        ({"event:read"}, "/organizations/{org}/stats_v2/", 403),
        ({"project:read"}, "/organizations/{org}/releases/", 200),
        ({"project:releases"}, "/organizations/{org}/releases/", 200),
        ({"event:read"}, "/organizations/{org}/releases/", 403),
        ({"org:read", "event:read"}, "/organizations/{org}/releases/", 403),
    ],
)
def test_each_endpoint_needs_its_scope(
    fake: FakeSentry,
    client: httpx.Client,
    org: SentryOrganisation,
    scopes: set[str],
    path: str,
    status: int,
) -> None:
    fake.add_token(TokenSpec("sntrys_scoped", frozenset(scopes)))
    answer = client.get(
        path.format(org=org.slug) + "?groupBy=project&field=sum(quantity)&statsPeriod=1d",
        headers={"Authorization": "Bearer sntrys_scoped"},
    )
    assert answer.status_code == status
    if status == 403:
        assert answer.json() == {"detail": "You do not have permission to perform this action."}


def test_an_unknown_organisation_is_404_and_the_org_answers_by_slug_or_id(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    missing = client.get("/organizations/someone-else/issues/")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "The requested resource does not exist"},
    )
    assert client.get(f"/organizations/{org.slug}/").json()["slug"] == org.slug
    assert client.get(f"/organizations/{org.id}/").status_code == 200


def test_every_answer_carries_the_rate_limit_headers(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    answer = client.get(f"/organizations/{org.slug}/projects/")
    headers = answer.headers
    assert headers["x-sentry-rate-limit-limit"] == "10000"
    assert int(headers["x-sentry-rate-limit-remaining"]) == 9_999
    reset = int(headers["x-sentry-rate-limit-reset"])
    assert time.time() - 1 <= reset <= time.time() + 2  # epoch seconds: the window's end
    assert headers["x-sentry-rate-limit-concurrentlimit"] == "25"
    assert int(headers["x-sentry-rate-limit-concurrentremaining"]) >= 0


def test_a_spent_window_is_429_with_retry_after_and_sentrys_body(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.limits.window = 30.0
    fake.limits.exhaust(DEMO_TOKEN, "/organizations/{org}/issues/")
    answer = client.get(f"/organizations/{org.slug}/issues/")
    assert answer.status_code == 429
    retry = int(answer.headers["retry-after"])
    assert 1 <= retry <= 30
    assert answer.json() == {
        "detail": f"Request was throttled. Expected available in {retry} seconds."
    }
    assert answer.headers["x-sentry-rate-limit-remaining"] == "0"
    # Limits are per endpoint: another endpoint still answers.
    assert client.get(f"/organizations/{org.slug}/projects/").status_code == 200
    assert fake.stats.rate_limited == 1


def test_the_window_refills_when_it_resets(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.limits.limit = 3
    fake.limits.window = 1.0
    url = f"/organizations/{org.slug}/projects/"
    statuses = [client.get(url).status_code for _ in range(4)]
    if statuses != [200, 200, 200, 429]:
        # The four requests straddled a window boundary; all that matters is no 429 before 3.
        assert statuses[:3] == [200, 200, 200]
    time.sleep(1.05)
    assert client.get(url).status_code == 200


def test_statistics_count_requests_per_endpoint(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    client.get(f"/organizations/{org.slug}/issues/")
    client.get(f"/organizations/{org.slug}/issues/?query=")
    client.get(f"/organizations/{org.slug}/releases/")
    client.get("/organizations/other/releases/")
    assert fake.stats.by_path["/organizations/{org}/issues/"] == 2
    assert fake.stats.by_path["/organizations/{org}/releases/"] == 2
    assert fake.stats.snapshot() == {"requests": 4, "errors": 1, "rate_limited": 0}
