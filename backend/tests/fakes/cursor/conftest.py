"""The fake Cursor over real HTTP, serving the AI picture of a small generated organisation."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import CursorTeam
from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, run_fake_cursor

SMALL = DemoConfig(seed=7, repositories=3, developers=8, months=2)


@pytest.fixture(scope="session")
def ai_org() -> DemoOrganisation:
    """Shared and never mutated."""
    return generate(SMALL)


@pytest.fixture
def team(ai_org: DemoOrganisation) -> CursorTeam:
    return DemoAi(ai_org, seed=SMALL.seed).cursor


@pytest.fixture
def fake(team: CursorTeam) -> FakeCursor:
    return FakeCursor(team)


@pytest.fixture
def base_url(fake: FakeCursor) -> Iterator[str]:
    with run_fake_cursor(fake) as url:
        yield url


@pytest.fixture
def cursor(base_url: str) -> Iterator[httpx.Client]:
    """A client with the key as the Basic username and an empty password, as Cursor asks."""
    with httpx.Client(base_url=base_url, auth=(DEMO_KEY, ""), timeout=30) as client:
        yield client
