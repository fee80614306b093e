"""A lead reads the dashboards of a seeded workspace in the browser, against the real backend."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.pages import format_metric, screenshot, serious_accessibility_violations, signed_in
from tests.e2e.workspace import ADMIN_EMAIL, VIEWER_EMAIL, Workspace

pytestmark = pytest.mark.browser


def _metric(workspace: Workspace, slug: str, family: str = "dora", **params: object) -> Any:
    return workspace.api(f"/metrics/{family}/{slug}", **params)


def test_dashboard_numbers_equal_the_api(workspace: Workspace, module_browser: Browser) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    for family, slug in (
        ("dora", "deployment-frequency"),
        ("dora", "lead-time"),
        ("dora", "change-failure-rate"),
        ("development", "cycle-time"),
        ("development", "throughput"),
    ):
        expected = _metric(workspace, slug, family)
        assert expected["sample_size"] > 0, slug
        card = page.get_by_test_id(f"metric-{slug}")
        expect(card.get_by_test_id("metric-value")).to_have_text(
            format_metric(expected["value"], expected["unit"])
        )
    expect(page.get_by_role("heading", name=re.compile("What changed"))).to_be_visible()
    context.close()


def test_changing_the_window_changes_the_url_and_the_numbers(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    throughput = page.get_by_test_id("metric-throughput").get_by_test_id("metric-value")
    month = _metric(workspace, "throughput", "development")
    expect(throughput).to_have_text(format_metric(month["value"], "count"))

    page.get_by_label("Window").select_option("7d")
    expect(page).to_have_url(re.compile(r"[?&]window=7d"))
    today = datetime.now(UTC).date()
    week = _metric(
        workspace,
        "throughput",
        "development",
        start_date=(today - timedelta(days=6)).isoformat(),
        end_date=today.isoformat(),
        period="day",
    )
    assert week["value"] != month["value"]
    expect(throughput).to_have_text(format_metric(week["value"], "count"))

    # The window follows to other pages, and back.
    page.get_by_role("link", name="Flow", exact=True).click()
    expect(page).to_have_url(re.compile(r"/flow\?window=7d"))
    expect(page.get_by_label("Window")).to_have_value("7d")
    context.close()


def test_a_pull_request_opens_with_its_timeline(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.get_by_role("link", name="Pull requests", exact=True).click()
    page.get_by_label("State").select_option("merged")
    first = page.locator(".pr-open").first
    title = first.inner_text()
    first.click()
    drawer = page.get_by_role("dialog")
    expect(drawer.get_by_role("heading", name=re.compile(re.escape(title)))).to_be_visible()
    timeline = drawer.get_by_test_id("pr-timeline")
    expect(timeline).to_contain_text("First commit")
    expect(timeline).to_contain_text("Approved")
    expect(timeline).to_contain_text("Merged")
    expect(drawer.get_by_role("link", name=re.compile("Open on GitHub"))).to_have_attribute(
        "href", re.compile(r"^https://git\.example\.com/")
    )
    expect(page).to_have_url(re.compile(r"[?&]pr=\d+"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    # A stale PR is marked in the table.
    page.get_by_label("State").select_option("open")
    expect(page.locator(".row-stale")).to_have_count(1)
    context.close()


def test_create_a_team_and_filter_by_it(workspace: Workspace, module_browser: Browser) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("button", name="New team").click()
    page.get_by_label("Team name").fill("Payments")
    page.get_by_label("Members").fill("alice, bob")
    page.get_by_role("checkbox", name="acme/billing").check()
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_text("Saved team Payments.")).to_be_visible()
    page.get_by_role("button", name="Show metrics for Payments").click()
    expect(page).to_have_url(re.compile(r"[?&]team=\d+"))
    team_id = int(re.search(r"team=(\d+)", page.url).group(1))  # type: ignore[union-attr]

    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page).to_have_url(re.compile(rf"[?&]team={team_id}"))
    expect(page.get_by_label("Team")).to_have_value(str(team_id))
    everyone = _metric(workspace, "throughput", "development")
    payments = _metric(workspace, "throughput", "development", team_id=team_id)
    assert payments["value"] < everyone["value"]
    expect(page.get_by_test_id("metric-throughput").get_by_test_id("metric-value")).to_have_text(
        format_metric(payments["value"], "count")
    )
    context.close()


def test_a_dora_point_lists_the_failed_deployments_and_why(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.get_by_role("link", name="DORA", exact=True).click()
    card = page.locator(".chart-card", has=page.get_by_role("heading", name="Change failure rate"))
    card.get_by_text("Show as a table").click()
    # The newest point with a value, whatever day the test runs: the current week can be empty.
    rows_with_a_rate = card.locator("tbody tr").filter(has=page.locator("td", has_text="%"))
    rows_with_a_rate.last.get_by_role("button", name=re.compile("^Details for")).click()
    expect(page).to_have_url(re.compile(r"key=change-failure-rate&point=\d{4}-\d{2}-\d{2}"))
    drilldown = card.locator(".drilldown")
    expect(drilldown.get_by_role("table", name="Deployments")).to_be_visible()
    expect(drilldown).to_contain_text(re.compile("Succeeded|Failed"))
    context.close()


def test_an_empty_dora_point_says_it_has_no_deployments(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    # A month of the 12-month window long before the seeded sixty days: nothing was deployed.
    today = datetime.now(UTC).date()
    month = today.month - 6 + (12 if today.month <= 6 else 0)
    empty_month = date(today.year - (1 if today.month <= 6 else 0), month, 1)
    page.goto(f"{workspace.base}/dora?window=365d&key=change-failure-rate&point={empty_month}")
    card = page.locator(".chart-card", has=page.get_by_role("heading", name="Change failure rate"))
    drilldown = card.locator(".drilldown")
    expect(drilldown).to_contain_text("No deployments in this period.")
    expect(drilldown.get_by_role("table", name="Deployments")).to_have_count(0)
    context.close()


def test_admin_saves_settings_and_a_viewer_is_refused(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("tab", name="Deployment patterns").click()
    page.get_by_role("textbox", name="Deployment patterns").fill("deploy, release, ship")
    page.get_by_role("button", name="Save deployment patterns").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    assert workspace.api("/settings")["deployment_patterns"] == ["deploy", "release", "ship"]  # type: ignore[index]
    context.close()

    context, page = signed_in(module_browser, workspace.base, VIEWER_EMAIL)
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_text("Only admins can change settings").first).to_be_visible()
    expect(page.get_by_role("button", name="Save GitHub")).to_have_count(0)
    refused = httpx.put(
        f"{workspace.base}/api/v1/settings/deployment-patterns",
        json={"patterns": ["everything"]},
        headers={"Authorization": f"Bearer {workspace.viewer_token}"},
    )
    assert refused.status_code == 403
    context.close()


def test_a_phone_wide_screen_never_scrolls_sideways(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.set_viewport_size({"width": 360, "height": 740})
    for _name, path, heading in PAGES:
        page.goto(workspace.base + path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide at 360 px"
    screenshot(page, "settings-360px")
    context.close()


PAGES = (
    ("dashboard", "/", "Dashboard"),
    ("dora", "/dora", "DORA"),
    ("flow", "/flow", "Flow"),
    ("pull-requests", "/pull-requests", "Pull requests"),
    ("people", "/people", "People"),
    ("sync", "/sync", "Sync"),
    ("settings", "/settings", "Settings"),
)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_passes_axe_and_is_photographed(
    workspace: Workspace, module_browser: Browser, theme: str
) -> None:
    context, page = signed_in(
        module_browser, workspace.base, ADMIN_EMAIL, dark=theme == "dark", axe=True
    )
    problems: dict[str, object] = {}
    for name, path, heading in PAGES:
        page.goto(workspace.base + path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.locator("[aria-busy='true']")).to_have_count(0)
        violations = serious_accessibility_violations(page)
        if violations:
            problems[path] = violations
        screenshot(page, f"{name}-{theme}")
    assert not problems, problems
    context.close()
