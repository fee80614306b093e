"""A lead connects Linear (the fake the demo serves) in Settings, syncs it, and follows an issue
of a past cycle on Planning to the pull request that shipped it and that PR's deployment."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.demo_process import running_demo
from tests.e2e.pages import screenshot, serious_accessibility_violations, signed_in
from tests.e2e.workspace import ADMIN_EMAIL
from veelocity.fakes.linear.keys import DEMO_KEY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with running_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


def _latest_linear_run(base: str, headers: dict[str, str]) -> dict[str, Any] | None:
    runs = httpx.get(
        f"{base}/api/v1/sync/runs", params={"source": "linear"}, headers=headers, timeout=10
    ).json()
    return runs["items"][0] if runs["items"] else None


def _shipped_issue(base: str, headers: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A past cycle and one of its completed issues whose linked PR a production deployment
    shipped, chosen by content so the test does not depend on the day it runs."""
    cycles = httpx.get(f"{base}/api/v1/cycles", headers=headers, timeout=30).json()
    for cycle in cycles:
        if cycle["status"] != "past":
            continue
        detail = httpx.get(f"{base}/api/v1/cycles/{cycle['id']}", headers=headers, timeout=30)
        for ref in detail.json()["issues"]["completed"]:
            issue = httpx.get(f"{base}/api/v1/issues/{ref['id']}", headers=headers, timeout=30)
            body = issue.json()
            if body["deployments"] and any(link["deployed_at"] for link in body["links"]):
                return cycle, body
    pytest.fail("no past cycle has a completed issue shipped to production")


def test_linear_is_connected_synced_and_an_issue_followed_to_production(
    demo: tuple[str, dict[str, str]], module_browser: Browser, tmp_path: Path
) -> None:
    base, headers = demo
    context, page = signed_in(module_browser, base, ADMIN_EMAIL)

    # Settings: the Linear form saves a key and tests it against the fake Linear.
    page.get_by_role("link", name="Settings").click()
    linear = page.get_by_role("region", name="Linear")
    expect(linear.get_by_label("Linear API URL")).to_have_value(re.compile(r"/graphql$"))
    linear.get_by_label("Linear API key").fill(DEMO_KEY)
    linear.get_by_role("button", name="Save Linear").click()
    expect(linear.get_by_text(re.compile("Configured"))).to_be_visible()
    linear.get_by_role("button", name="Test connection to Linear").click()
    expect(linear.get_by_text("Connection works")).to_be_visible(timeout=30_000)

    # Sync: start a Linear sync by hand and see it end.
    before = _latest_linear_run(base, headers)
    page.get_by_role("link", name="Sync", exact=True).click()
    page.get_by_role("button", name="Sync Linear now").click()
    deadline = time.monotonic() + 180
    while True:
        run = _latest_linear_run(base, headers)
        if run and run != before and run["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, "the Linear sync did not end in 180 s"
        time.sleep(1)
    assert run["status"] == "succeeded", run

    # Status: Linear is a source that syncs, with its last sync.
    page.get_by_role("link", name="Status", exact=True).click()
    row = page.get_by_role("table", name="Sources").get_by_role("row", name=re.compile("^Linear"))
    expect(row).not_to_contain_text("Never")
    expect(row).not_to_contain_text("Not synced yet")

    # Planning: pick the cycle, list its completed issues, open the shipped one.
    cycle, issue = _shipped_issue(base, headers)
    page.get_by_role("link", name="Planning", exact=True).click()
    expect(page.get_by_role("heading", name="Planning", exact=True)).to_be_visible()
    page.get_by_role("combobox", name="Cycle", exact=True).select_option(str(cycle["id"]))
    expect(page).to_have_url(re.compile(f"cycle={cycle['id']}"))
    heading = f"{cycle['team_key']} cycle {cycle['number']}"
    expect(page.get_by_role("heading", name=re.compile(f"^{heading}"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Completed: \d+")).click()
    completed = page.get_by_role("region", name="Completed")
    completed.get_by_role("button", name=issue["identifier"], exact=True).click()

    drawer = page.get_by_role("dialog", name=f"{issue['identifier']} {issue['title']}")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_test_id("issue-history")).not_to_be_empty()
    deployment = issue["deployments"][0]
    expect(drawer.get_by_test_id("issue-deployments")).to_contain_text(deployment["environment"])
    link = next(link for link in issue["links"] if link["deployed_at"])
    pr_name = f"{link['repository']}#{link['number']}"
    expect(drawer.get_by_role("row").filter(has_text=pr_name)).to_contain_text(
        {"attachment": "Linear attachment", "branch": "Branch name", "title": "PR title"}.get(
            link["evidence"], "PR description"
        )
    )

    # The PR drawer names the issue with its evidence and shows the deployment.
    drawer.get_by_role("link", name=pr_name).click()
    expect(page).to_have_url(re.compile(f"/pull-requests.*pr={link['id']}"))
    pr_drawer = page.get_by_role("dialog")
    expect(pr_drawer.get_by_test_id("pr-linked-issues")).to_contain_text(issue["identifier"])
    expect(pr_drawer.get_by_test_id("pr-deployment")).to_be_visible()

    # And back: the issue opens on Planning from the PR drawer.
    pr_drawer.get_by_role("link", name=issue["identifier"], exact=True).click()
    expect(
        page.get_by_role("dialog", name=re.compile(re.escape(issue["identifier"])))
    ).to_be_visible()
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_planning_with_a_cycle_and_an_issue_passes_axe_and_is_photographed(
    demo: tuple[str, dict[str, str]], module_browser: Browser, theme: str
) -> None:
    base, headers = demo
    cycle, issue = _shipped_issue(base, headers)
    context, page = signed_in(module_browser, base, ADMIN_EMAIL, dark=theme == "dark", axe=True)
    page.goto(f"{base}/planning")
    page.get_by_role("combobox", name="Cycle", exact=True).select_option(str(cycle["id"]))
    expect(page.get_by_test_id("cycle-completion")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[aria-busy='true']")).to_have_count(0)
    assert not serious_accessibility_violations(page)
    screenshot(page, f"planning-{theme}")

    page.goto(f"{page.url}&issue={issue['id']}")
    expect(page.get_by_test_id("issue-history")).to_be_visible()
    assert not serious_accessibility_violations(page)
    context.close()


def test_planning_never_scrolls_sideways_on_a_phone(
    demo: tuple[str, dict[str, str]], module_browser: Browser
) -> None:
    base, _headers = demo
    context, page = signed_in(module_browser, base, ADMIN_EMAIL)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/planning")
    expect(page.get_by_role("heading", name="Issue lead time")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
