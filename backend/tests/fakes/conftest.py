"""A small generated organisation served over real HTTP by the fake GitHub."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github

SMALL = DemoConfig(seed=7, repositories=3, developers=8, months=2)


@pytest.fixture(scope="session")
def small_org() -> DemoOrganisation:
    """Shared and never mutated: tests that change data generate their own."""
    return generate(SMALL)


@pytest.fixture
def fake(small_org: DemoOrganisation) -> FakeGitHub:
    return FakeGitHub(small_org)


@pytest.fixture
def base_url(fake: FakeGitHub) -> Iterator[str]:
    with run_fake_github(fake) as url:
        yield url


@pytest.fixture
def github(base_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}", "Accept": "application/vnd.github+json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        yield client
