"""The window on every page (presets and a custom range), and the Status page's tables."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.pages import format_metric, signed_in
from tests.e2e.workspace import ADMIN_EMAIL, Workspace

pytestmark = pytest.mark.browser


def _today() -> datetime:
    return datetime.now(UTC)


def _day(days_ago: int) -> str:
    return (_today() - timedelta(days=days_ago)).date().isoformat()


def test_a_custom_range_is_in_the_url_sent_to_the_api_and_carried_along(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    start, end = _day(20), _day(6)
    page.get_by_label("Window").select_option("custom")
    page.get_by_label("From", exact=True).fill(start)
    page.get_by_label("To", exact=True).fill(end)
    page.get_by_role("button", name="Apply range").click()

    expect(page).to_have_url(re.compile(rf"[?&]start={start}&end={end}"))
    expect(page.get_by_label("Window")).to_have_value("custom")
    expected: Any = workspace.api(
        "/metrics/development/throughput", start_date=start, end_date=end, period="week"
    )
    month: Any = workspace.api("/metrics/development/throughput")
    assert expected["value"] != month["value"]
    throughput = page.get_by_test_id("metric-throughput").get_by_test_id("metric-value")
    expect(throughput).to_have_text(format_metric(expected["value"], "count"))

    # A range that cannot be asked for is refused in words, and the URL keeps the last one.
    page.get_by_label("From", exact=True).fill(_day(3))
    page.get_by_label("To", exact=True).fill(_day(5))
    page.get_by_role("button", name="Apply range").click()
    expect(page.get_by_role("alert")).to_have_text("The last day must not be before the first day.")
    expect(page).to_have_url(re.compile(rf"[?&]start={start}&end={end}"))

    # The range follows to other pages; a preset replaces it.
    page.get_by_role("link", name="Flow", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/flow\?start={start}&end={end}"))
    expect(page.get_by_label("From", exact=True)).to_have_value(start)
    page.get_by_label("Window").select_option("7d")
    expect(page).to_have_url(re.compile(r"/flow\?window=7d$"))
    expect(page.get_by_label("From", exact=True)).to_have_count(0)
    context.close()


def test_the_pull_request_page_lists_the_prs_open_in_the_window(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.get_by_role("link", name="Pull requests", exact=True).click()
    window = page.get_by_label("Window")
    expect(window).to_have_value("30d")

    window.select_option("7d")
    expect(page).to_have_url(re.compile(r"/pull-requests\?window=7d"))
    week: Any = workspace.api(
        "/github/prs", active_from=_day(6), active_until=_day(0), page_size=50
    )
    month: Any = workspace.api(
        "/github/prs", active_from=_day(29), active_until=_day(0), page_size=50
    )
    assert 0 < len(week["items"]) < len(month["items"])
    titles = page.locator("button.pr-open")
    expect(titles).to_have_text([item["title"] for item in week["items"]])
    context.close()


def test_the_status_page_shows_the_jobs_and_sources_in_tables(
    workspace: Workspace, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.goto(workspace.base + "/status")
    jobs = page.get_by_role("table", name="Scheduled jobs")
    expect(jobs.get_by_role("columnheader")).to_have_text(
        ["Job", "Interval", "Last run", "Outcome", "Next run", "Owner"]
    )
    github = jobs.get_by_role("row", name=re.compile("^GitHub and GitHub Actions"))
    expect(github).to_contain_text("Every 5 min")
    linear = jobs.get_by_role("row", name=re.compile("^Linear"))
    expect(linear).to_contain_text("Every 5 min")
    expect(page.get_by_text(re.compile(r'[{\[]"'))).to_have_count(0)

    sources = page.get_by_role("table", name="Sources")
    expect(sources.get_by_role("row", name=re.compile("^GitHub"))).to_contain_text("Never")
    expect(sources.get_by_role("row", name=re.compile("^Linear"))).to_contain_text("Never")
    # A source whose settings are only stored says so instead of a sync time.
    status: Any = workspace.api("/status")
    titles = {"sentry": "Sentry", "cursor": "Cursor", "greptile": "Greptile"}
    for source in status["sources"]:
        if not source["syncs"] and source["source"] in titles:
            title = titles[source["source"]]
            row = sources.get_by_role("row", name=re.compile(f"^{title}"))
            expect(row).to_contain_text(f"Not synced yet: Veelocity does not read {title} yet")
            expect(row).not_to_contain_text("Never")
    context.close()
