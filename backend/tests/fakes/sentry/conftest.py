"""A small generated Sentry organisation served over real HTTP by the fake Sentry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, run_fake_sentry

SMALL = SentryConfig(seed=11, projects=3, issues=350, releases=60, months=2)
NEXT = re.compile(r'<([^>]+)>; rel="next"; results="(true|false)"; cursor="([^"]+)"')


@pytest.fixture
def org() -> SentryOrganisation:
    """A fresh organisation per test: the fake's helpers change it."""
    return generate_sentry(SMALL)


@pytest.fixture
def fake(org: SentryOrganisation) -> FakeSentry:
    fake = FakeSentry(org)
    fake.limits.limit = 10_000  # tests of the limits lower it again
    return fake


@pytest.fixture
def origin(fake: FakeSentry) -> Iterator[str]:
    with run_fake_sentry(fake) as url:
        yield url


@pytest.fixture
def client(origin: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with httpx.Client(base_url=origin + "/api/0", headers=headers, timeout=10) as http:
        yield http


def next_url(response: httpx.Response) -> str | None:
    found = NEXT.search(response.headers["link"])
    assert found is not None, response.headers.get("link")
    return found.group(1) if found.group(2) == "true" else None


def read_all(client: httpx.Client, url: str) -> tuple[list[Any], int]:
    """Every item of a list, following `rel="next"` while it has results; and the pages read."""
    items: list[Any] = []
    pages = 0
    following: str | None = url
    while following:
        response = client.get(following)
        assert response.status_code == 200, response.text
        items += response.json()
        pages += 1
        following = next_url(response)
    return items, pages
