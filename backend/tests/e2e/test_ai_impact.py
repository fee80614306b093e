"""A lead connects Cursor and Greptile (the demo's fakes) in Settings, syncs them, opens AI
impact, sees the cohorts with their sizes and intervals, and drills into the pull requests
behind a cohort down to one PR's AI evidence in the PR drawer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.demo_process import running_demo
from tests.e2e.pages import screenshot, serious_accessibility_violations, signed_in
from tests.e2e.workspace import ADMIN_EMAIL
from veelocity.fakes.cursor import DEMO_KEY as CURSOR_KEY
from veelocity.fakes.greptile import DEMO_KEY as GREPTILE_KEY

pytestmark = pytest.mark.browser

AI_SOURCES = ("cursor", "greptile")
ASSISTED_LABELS = {"high": "AI-assisted (high confidence)", "low": "AI-assisted (low confidence)"}


class Demo:
    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.base = base
        self.headers = headers

    def get(self, path: str, **params: object) -> Any:
        response = httpx.get(
            f"{self.base}/api/v1{path}",
            params=params,  # type: ignore[arg-type]
            headers=self.headers,
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def sources(self) -> dict[str, dict[str, Any]]:
        return {item["source"]: item for item in self.get("/sync/status")["sources"]}

    def wait_idle(self, sources: tuple[str, ...], seconds: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            found = self.sources()
            if all(found[name]["state"] == "idle" for name in sources):
                return found
            assert time.monotonic() < deadline, f"{sources} still syncing after {seconds} s"
            time.sleep(1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo with the Cursor and Greptile keys removed once its first syncs ended, so the
    lead connects both in Settings."""
    with running_demo(tmp_path_factory.mktemp("ai-demo")) as (base, headers):
        running = Demo(base, headers)
        running.wait_idle(AI_SOURCES)
        for source in AI_SOURCES:
            httpx.put(
                f"{base}/api/v1/settings/sources/{source}",
                json={"api_key": None},
                headers=headers,
                timeout=30,
            ).raise_for_status()
        yield running


def _connect(page: Page, title: str, key_label: str, key: str) -> None:
    form = page.get_by_role("region", name=title)
    expect(form.get_by_text("Not configured").first).to_be_visible()
    form.get_by_label(key_label).fill(key)
    form.get_by_role("button", name=f"Save {title}").click()
    expect(form.get_by_text(re.compile("Configured ••••"))).to_be_visible()
    form.get_by_role("button", name=f"Test connection to {title}").click()
    expect(form.get_by_text("Connection works")).to_be_visible(timeout=60_000)


def _sync(page: Page, demo: Demo, title: str, source: str) -> None:
    before = demo.sources()[source]["last_run"]
    page.get_by_role("button", name=f"Sync {title} now").click()
    deadline = time.monotonic() + 180
    while True:
        status = demo.sources()[source]
        run = status["last_run"]
        if status["state"] == "idle" and run is not None and run != before:
            break
        assert time.monotonic() < deadline, f"the {title} sync did not end in 180 s"
        time.sleep(1)
    assert run["status"] == "succeeded", run
    assert run["trigger"] == "api"


def _window_90d() -> dict[str, str]:
    """The API query of the page's "Last 90 days" window, as the web app computes it."""
    today = datetime.now(UTC).date()
    return {
        "start_date": (today - timedelta(days=89)).isoformat(),
        "end_date": today.isoformat(),
        "period": "week",
        "statistic": "median",
    }


def test_connect_cursor_and_greptile_sync_and_drill_from_a_cohort_to_a_prs_ai_evidence(
    demo: Demo, module_browser: Browser
) -> None:
    context, page = signed_in(module_browser, demo.base, ADMIN_EMAIL)

    # Settings: connect Cursor and Greptile with their keys, each tested against its fake.
    page.get_by_role("link", name="Settings").click()
    _connect(page, "Cursor", "Cursor API key", CURSOR_KEY)
    _connect(page, "Greptile", "Greptile API key", GREPTILE_KEY)

    # Sync: each synced by hand, and Status shows their runs.
    page.get_by_role("link", name="Sync", exact=True).click()
    demo.wait_idle(AI_SOURCES)
    _sync(page, demo, "Cursor", "cursor")
    _sync(page, demo, "Greptile", "greptile")
    page.get_by_role("link", name="Status", exact=True).click()
    for title in ("Cursor", "Greptile"):
        expect(page.get_by_role("row", name=re.compile(f"^{title}")).first).to_be_visible()

    # AI impact: the cohorts, each group's size as the API computed it.
    window = _window_90d()
    cohorts = demo.get("/ai/cohorts", **window)
    assert cohorts["suppressed"] is None, cohorts
    assisted = next(c for c in cohorts["cohorts"] if c["name"] == "ai_assisted")
    assert assisted["ai_prs"] >= 20, assisted
    assert assisted["other_prs"] >= 20, assisted
    page.get_by_role("link", name="AI impact", exact=True).click()
    page.get_by_label("Window", exact=True).select_option("90d")
    expect(page).to_have_url(re.compile(r"/ai\?window=90d"))
    expect(page.get_by_text("Correlation, not causation")).to_be_visible()
    table = page.get_by_test_id("cohort-ai_assisted")
    link = table.get_by_role("link", name=f"AI-assisted: {assisted['ai_prs']} PRs")
    expect(link).to_be_visible(timeout=30_000)
    expect(table.get_by_text(f"Not AI-assisted: {assisted['other_prs']} PRs")).to_be_visible()
    review = next(m for m in assisted["measures"] if m["measure"] == "review_seconds")
    expect(table.get_by_role("row", name=re.compile("^Review time"))).to_contain_text(
        f"n = {review['ai_count']}"
    )
    adoption = demo.get("/ai/adoption", **window)["figures"]
    assert adoption["active_users"] > 0, adoption
    expect(page.get_by_test_id("ai-active-users")).to_contain_text(
        f"{adoption['active_users']} of {adoption['people']}"
    )
    expect(page.get_by_test_id("cohort-ai_reviewed")).to_be_visible()
    expect(page.get_by_test_id("ai-failures")).to_contain_text("Change failure rate")

    # The PRs behind the AI-assisted group, then the newest one's evidence in the PR drawer.
    link.click()
    listing = page.get_by_test_id("ai-pull-requests")
    expected = demo.get("/ai/pull-requests", **window, assisted="any", page_size=25)["items"]
    newest = expected[0]
    expect(listing.get_by_role("button", name=newest["title"]).first).to_be_visible()
    listing.get_by_role("button", name=newest["title"]).first.click()
    drawer = page.get_by_role("dialog")
    evidence = drawer.get_by_test_id("pr-ai")
    expect(evidence).to_contain_text(ASSISTED_LABELS[newest["ai"]["assisted"]])
    items = drawer.get_by_test_id("pr-ai-evidence").get_by_role("listitem")
    expect(items).to_have_count(len(newest["ai"]["evidence"]))
    expect(items.first).to_contain_text(newest["ai"]["evidence"][0]["detail"])
    review_words = (
        f"Reviewed by {newest['ai']['review_bot']}"
        if newest["ai"]["review_bot"]
        else "No review bot reviewed it."
    )
    expect(drawer.get_by_test_id("pr-ai-review")).to_contain_text(review_words)
    context.close()


def _synced_by_api(demo: Demo) -> None:
    """Cursor and Greptile connected and synced through the API, unless a sync succeeded."""
    keys = {"cursor": CURSOR_KEY, "greptile": GREPTILE_KEY}
    for source, key in keys.items():
        run = demo.sources()[source]["last_run"]
        if run is not None and run["status"] == "succeeded":
            continue
        httpx.put(
            f"{demo.base}/api/v1/settings/sources/{source}",
            json={"api_key": key},
            headers=demo.headers,
            timeout=30,
        ).raise_for_status()
        httpx.post(
            f"{demo.base}/api/v1/sync", json={"source": source}, headers=demo.headers, timeout=30
        ).raise_for_status()
        time.sleep(1)
        found = demo.wait_idle((source,), seconds=180)
        assert found[source]["last_run"]["status"] == "succeeded", found[source]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_ai_impact_page_passes_axe_and_is_photographed(
    demo: Demo, module_browser: Browser, theme: str
) -> None:
    _synced_by_api(demo)
    context, page = signed_in(
        module_browser, demo.base, ADMIN_EMAIL, dark=theme == "dark", axe=True
    )
    page.goto(f"{demo.base}/ai?window=90d")
    expect(page.get_by_test_id("cohort-ai_assisted")).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")
    expect(page.locator("[aria-busy='true']")).to_have_count(0)
    assert not serious_accessibility_violations(page)
    screenshot(page, f"ai-impact-{theme}")
    context.close()


def test_ai_impact_never_scrolls_sideways_on_a_phone(demo: Demo, module_browser: Browser) -> None:
    _synced_by_api(demo)
    context, page = signed_in(module_browser, demo.base, ADMIN_EMAIL)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{demo.base}/ai?window=90d&prs=assisted:any")
    expect(page.get_by_test_id("cohort-ai_assisted")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("ai-pull-requests").get_by_role("row").nth(1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
