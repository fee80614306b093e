"""The demo's two fakes over one organisation: Linear keeps changing as GitHub's time passes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from veelocity.demo import DemoConfig, generate
from veelocity.demo_server import link_to_github, live_fake, live_linear
from veelocity.fakes.github import run_fake_github
from veelocity.fakes.linear import DEMO_KEY, run_fake_linear

CONFIG = DemoConfig(seed=5, repositories=4, developers=10, months=2)

QUERY = """
query Changed($since: DateTimeOrDuration!) {
  issues(first: 100, filter: { updatedAt: { gt: $since } }) {
    nodes { identifier updatedAt attachments { nodes { url } } }
  }
}
"""


def _changed_since(linear_url: str, since: str) -> list[dict[str, object]]:
    response = httpx.post(
        f"{linear_url}/graphql",
        json={"query": QUERY, "variables": {"since": since}},
        headers={"Authorization": DEMO_KEY},
    )
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return list(body["data"]["issues"]["nodes"])


def test_linear_issues_keep_changing_as_the_demo_time_passes() -> None:
    org = generate(CONFIG)
    github = live_fake(org)
    github.live = False  # time moves only when the test says so
    before = org.now
    with run_fake_github(github) as github_url, run_fake_linear(live_linear(org, github)) as url:
        link_to_github(org, github_url)
        assert _changed_since(url, before.isoformat()) == []
        github.advance(timedelta(days=3))
        changed = _changed_since(url, before.isoformat())
    assert changed
    urls = [
        node["url"]
        for issue in changed
        for node in issue["attachments"]["nodes"]  # type: ignore[index]
    ]
    assert any(u.startswith(f"{github_url}/{org.login}/") and "/pull/" in u for u in urls)


def test_demo_without_linear_has_no_fake_linear() -> None:
    org = generate(replace(CONFIG, linear=False))
    with pytest.raises(ValueError, match="no Linear workspace"):
        live_linear(org, live_fake(org))
