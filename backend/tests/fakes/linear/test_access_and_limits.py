"""Credentials, team access and the rate-limit budgets, as Linear reports them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.linear.builders import make_workspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, KeySpec, RateLimits, run_fake_linear

OAUTH_TOKEN = "lin_oauth_test_token"  # pragma: allowlist secret
ENG_ONLY_KEY = "lin_api_eng_only"  # pragma: allowlist secret


@pytest.fixture
def limited() -> FakeLinear:
    workspace = make_workspace()
    eng = workspace.teams[0].id
    return FakeLinear(
        workspace,
        keys=[
            KeySpec(DEMO_KEY),
            KeySpec(OAUTH_TOKEN, oauth=True),
            KeySpec(ENG_ONLY_KEY, team_ids=frozenset({eng})),
        ],
        limits=RateLimits(requests_per_hour=3, complexity_per_hour=10_000),
    )


@pytest.fixture
def limited_url(limited: FakeLinear) -> Iterator[str]:
    with run_fake_linear(limited) as url:
        yield url


def ask(url: str, authorization: str, query: str = "{ viewer { id } }") -> httpx.Response:
    return httpx.post(
        f"{url}/graphql", json={"query": query}, headers={"Authorization": authorization}
    )


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (DEMO_KEY, 200),  # an API key is the whole header
        (f"Bearer {DEMO_KEY}", 401),  # ... not a bearer token
        (f"Bearer {OAUTH_TOKEN}", 200),  # an OAuth token is
        (OAUTH_TOKEN, 401),
        ("lin_api_unknown", 401),
        ("", 401),
    ],
)
def test_api_keys_go_bare_and_oauth_tokens_as_bearer(
    limited_url: str, authorization: str, status: int
) -> None:
    response = ask(limited_url, authorization)
    assert response.status_code == status
    if status == 401:
        extensions = response.json()["errors"][0]["extensions"]
        assert extensions["code"] == "AUTHENTICATION_ERROR"
        assert extensions["type"] == "authentication error"
        assert extensions["userPresentableMessage"]


def test_a_key_limited_to_a_team_sees_only_that_team(limited_url: str, limited: FakeLinear) -> None:
    limited.limits.requests_per_hour = 100
    eng, ops = limited.workspace.teams
    query = """{ teams { nodes { key } }
        issues(first: 50, includeArchived: true) { nodes { identifier } } }"""
    data = ask(limited_url, ENG_ONLY_KEY, query).json()["data"]
    assert data["teams"]["nodes"] == [{"key": "ENG"}]
    assert {n["identifier"].split("-")[0] for n in data["issues"]["nodes"]} == {"ENG"}
    forbidden = ask(limited_url, ENG_ONLY_KEY, f'{{ team(id: "{ops.id}") {{ key }} }}')
    error = forbidden.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert forbidden.json()["data"] is None
    allowed = ask(limited_url, ENG_ONLY_KEY, f'{{ team(id: "{eng.id}") {{ key }} }}')
    assert allowed.json() == {"data": {"team": {"key": "ENG"}}}
    hidden_issue = ask(limited_url, ENG_ONLY_KEY, '{ issue(id: "OPS-1") { id } }')
    assert hidden_issue.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_every_answer_carries_both_budgets_with_resets_in_epoch_milliseconds(
    limited_url: str,
) -> None:
    before_ms = time.time() * 1000
    response = ask(limited_url, DEMO_KEY, "{ viewer { id name } }")
    headers = response.headers
    assert headers["x-complexity"] == "2"
    assert headers["x-ratelimit-requests-limit"] == "3"
    assert headers["x-ratelimit-requests-remaining"] == "2"
    assert headers["x-ratelimit-complexity-limit"] == "10000"
    assert headers["x-ratelimit-complexity-remaining"] == "9998"
    for name in ("x-ratelimit-requests-reset", "x-ratelimit-complexity-reset"):
        reset = int(headers[name])
        # refilling one request of three an hour takes 20 minutes
        assert before_ms < reset < before_ms + 3_600_000 + 5_000


def test_spent_requests_answer_ratelimited_as_http_400_with_status_429_inside(
    limited_url: str,
) -> None:
    for _ in range(3):
        assert ask(limited_url, DEMO_KEY).status_code == 200
    response = ask(limited_url, DEMO_KEY)
    assert response.status_code == 400
    extensions = response.json()["errors"][0]["extensions"]
    assert extensions["code"] == "RATELIMITED"
    assert extensions["statusCode"] == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["x-ratelimit-requests-remaining"] == "0"


def test_the_429_form_is_a_switch_away(limited_url: str, limited: FakeLinear) -> None:
    limited.rate_limited_status = 429
    limited.limits.exhaust(DEMO_KEY, "requests")
    response = ask(limited_url, DEMO_KEY)
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "RATELIMITED"
    assert "retry-after" in response.headers


def test_spent_complexity_refuses_a_query_costing_more_than_is_left(
    limited_url: str, limited: FakeLinear
) -> None:
    limited.limits.requests_per_hour = 1_000
    limited.limits.complexity_per_hour = 100
    limited.limits.budgets.clear()
    cheap = ask(limited_url, DEMO_KEY, "{ issues(first: 40) { nodes { id } } }")  # 1 + 40 x 1.1
    assert cheap.headers["x-complexity"] == "45"
    again = ask(limited_url, DEMO_KEY, "{ issues(first: 50) { nodes { id } } }")  # 56 > 55 left
    assert again.status_code == 400
    assert again.json()["errors"][0]["extensions"]["code"] == "RATELIMITED"
    assert limited.stats.rate_limited == 1


def test_budgets_refill_as_a_leaky_bucket() -> None:
    clock = [1_000.0]
    limits = RateLimits(requests_per_hour=3_600, clock=lambda: clock[0])
    budget = limits.budget("key")
    budget.requests.level = 0
    clock[0] += 10  # one request a second
    assert limits.budget("key").requests.remaining() == 10
    assert limits.budget("key").requests.wait_for(15) == 5
