"""The fake Greptile over real HTTP, serving the AI picture of a small generated organisation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import DEMO_KEY, FakeGreptile, run_fake_greptile

SMALL = DemoConfig(seed=7, repositories=3, developers=8, months=2)


@pytest.fixture(scope="session")
def ai_org() -> DemoOrganisation:
    return generate(SMALL)


@pytest.fixture
def account(ai_org: DemoOrganisation) -> GreptileAccount:
    return DemoAi(ai_org, seed=SMALL.seed).greptile


@pytest.fixture
def fake(account: GreptileAccount) -> FakeGreptile:
    return FakeGreptile(account)


@pytest.fixture
def base_url(fake: FakeGreptile) -> Iterator[str]:
    with run_fake_greptile(fake) as url:
        yield url


@pytest.fixture
def greptile(base_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        yield client


def call_tool(client: httpx.Client, tool: str, /, **arguments: Any) -> Any:
    """The parsed JSON a tool answers (MCP's text content)."""
    answer = client.post(
        "/mcp",
        json={
            "jsonrpc": "2.0",
            "id": 1,
            "method": "tools/call",
            "params": {"name": tool, "arguments": arguments},
        },
    ).json()
    assert "result" in answer, answer
    return json.loads(answer["result"]["content"][0]["text"])
