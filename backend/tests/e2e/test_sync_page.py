"""A lead opens the demo (a fake GitHub synced by the real backend) and starts a sync by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.demo_process import running_demo
from tests.e2e.pages import format_metric, signed_in
from tests.e2e.workspace import ADMIN_EMAIL

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with running_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


def test_the_demo_is_labelled_and_a_sync_shows_its_progress(
    demo: tuple[str, dict[str, str]], module_browser: Browser, tmp_path: Path
) -> None:
    base, headers = demo
    context, page = signed_in(module_browser, base, ADMIN_EMAIL)
    expect(page.get_by_text("Demo data", exact=True)).to_be_visible()
    throughput = httpx.get(
        f"{base}/api/v1/metrics/development/throughput", headers=headers, timeout=30
    ).json()
    expect(page.get_by_test_id("metric-throughput").get_by_test_id("metric-value")).to_have_text(
        format_metric(throughput["value"], "count")
    )

    page.get_by_role("link", name="Sync", exact=True).click()
    expect(page.get_by_role("heading", name="GitHub", exact=True)).to_be_visible()
    expect(page.get_by_text("Succeeded").first).to_be_visible()
    runs_before = httpx.get(f"{base}/api/v1/sync/runs", headers=headers, timeout=10).json()

    page.get_by_role("button", name="Sync GitHub now").click()
    expect(page.get_by_test_id("sync-progress")).to_be_visible()
    # The run ends and the page says so, with what it read.
    expect(page.get_by_test_id("sync-progress")).to_have_count(0, timeout=120_000)
    expect(page.get_by_role("button", name="Sync GitHub now")).to_be_visible()
    runs_after = httpx.get(f"{base}/api/v1/sync/runs", headers=headers, timeout=10).json()
    assert runs_after["total"] == runs_before["total"] + 1
    newest = runs_after["items"][0]
    assert newest["trigger"] == "api"
    assert newest["status"] == "succeeded"
    assert newest["requested_by"] == ADMIN_EMAIL
    expect(page.get_by_role("table").first).to_contain_text(re.compile("api"))
    context.close()
