"""How Linear's answers are read: reset times in milliseconds (or seconds), the rate-limited
forms, and the Authorization header for an API key and an OAuth token."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from veelocity.connectors.linear.client import epoch, rate_limit_of, rate_limited
from veelocity.connectors.linear.config import authorization

RESET = datetime(2026, 8, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [str(int(RESET.timestamp() * 1000)), str(int(RESET.timestamp())), f"{RESET.timestamp()}"],
)
def test_a_reset_is_read_in_milliseconds_or_seconds(value: str) -> None:
    assert epoch(value) == RESET


@pytest.mark.parametrize("value", [None, "", "soon", "0", "-5"])
def test_a_reset_that_is_not_a_time_is_none(value: str | None) -> None:
    assert epoch(value) is None


def test_the_headers_give_requests_and_complexity_left() -> None:
    millis = str(int(RESET.timestamp() * 1000))
    response = httpx.Response(
        200,
        headers={
            "X-RateLimit-Requests-Remaining": "12",
            "X-RateLimit-Requests-Reset": millis,
            "X-RateLimit-Complexity-Limit": "250000",
            "X-RateLimit-Complexity-Remaining": "900",
            "X-RateLimit-Complexity-Reset": millis,
        },
    )

    snapshot = rate_limit_of(response)

    assert (snapshot.remaining, snapshot.reset_at) == (12, RESET)
    assert (snapshot.points_remaining, snapshot.points_limit) == (900, 250_000)
    assert snapshot.points_reset_at == RESET


def _errors(status: int, extensions: dict[str, object]) -> httpx.Response:
    return httpx.Response(status, json={"errors": [{"message": "x", "extensions": extensions}]})


@pytest.mark.parametrize(
    ("response", "limited"),
    [
        (_errors(400, {"code": "RATELIMITED", "statusCode": 429}), True),
        (_errors(429, {"code": "RATELIMITED"}), True),
        (_errors(200, {"type": "ratelimited"}), True),
        (_errors(400, {"code": "GRAPHQL_VALIDATION_FAILED", "statusCode": 400}), False),
        (_errors(403, {"code": "FORBIDDEN"}), False),
        (httpx.Response(200, json={"data": {}}), False),
        (httpx.Response(502, text="<html>bad gateway</html>"), False),
    ],
)
def test_a_rate_limited_answer_is_recognised_in_every_form(
    response: httpx.Response, limited: bool
) -> None:
    assert rate_limited(response) is limited


def test_an_api_key_is_the_whole_header_and_an_oauth_token_a_bearer() -> None:
    assert authorization("lin_api_0123") == "lin_api_0123"
    assert authorization("lin_oauth_0123") == "Bearer lin_oauth_0123"
    assert authorization("Bearer lin_oauth_0123") == "Bearer lin_oauth_0123"
