"""The fake Linear served over real HTTP, with a client holding the demo key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.linear.builders import make_workspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear


@pytest.fixture
def fake() -> FakeLinear:
    return FakeLinear(make_workspace())


@pytest.fixture
def base_url(fake: FakeLinear) -> Iterator[str]:
    with run_fake_linear(fake) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers={"Authorization": DEMO_KEY}) as http:
        yield http


def post(client: httpx.Client, query: str, **variables: Any) -> httpx.Response:
    return client.post("/graphql", json={"query": query, "variables": variables})
