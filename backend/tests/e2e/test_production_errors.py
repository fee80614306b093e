"""A lead connects Sentry (the fake, serving errors that broke out after one deployment) in
Settings, syncs it, and sees that deployment turn failed because of the Sentry issue, with its
reason, and the change failure rate move on the dashboard."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages import (
    format_metric,
    screenshot,
    serious_accessibility_violations,
    signed_in,
)
from tests.e2e.workspace import ADMIN_EMAIL, Workspace, seed_workspace
from tests.server_process import SPA_DIR, running_server
from veelocity.demo.sentry_model import (
    SECONDS_PER_HOUR,
    Deploy,
    Event,
    Issue,
    Project,
    Release,
    SentryOrganisation,
)
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry, run_fake_sentry

pytestmark = pytest.mark.browser

ORGANISATION = "acme"


@dataclass(frozen=True)
class Broken:
    """The deployment the errors followed, and the issue that broke out after it."""

    deployment: dict[str, Any]
    short_id: str
    quiet_short_id: str


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A server that may call the fake Sentry on the loopback address, seeded with the pushed
    workspace (no Sentry configured yet)."""
    if not (SPA_DIR / "index.html").is_file():
        pytest.skip(f"the web app is not built ({SPA_DIR}); run `make install`")
    env = {
        "DEBUG": "false",
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "VEELOCITY_SPA_DIR": str(SPA_DIR),
        "LOG_LEVEL": "WARNING",
        "OUTBOUND_HOST_ALLOWLIST": "127.0.0.1",
    }
    with running_server(tmp_path_factory.mktemp("sentry"), env) as (base, _log):
        yield seed_workspace(base)


def _succeeded_deployment(workspace: Workspace) -> dict[str, Any]:
    """A successful acme/api production deployment of the last 30 days that nothing failed,
    chosen by content so the test does not depend on the day it runs."""
    page = workspace.api("/deployments", failed="false", page_size=100)
    assert isinstance(page, dict)
    for deployment in page["items"]:
        if deployment["repository"] == "acme/api" and deployment["commit_sha"]:
            return dict(deployment)
    pytest.fail("no successful acme/api deployment in the last 30 days")


def _events(issue: Issue, start: datetime, count: int, users: int, release: str) -> None:
    hourly: dict[int, int] = {}
    for index in range(count):
        when = start + timedelta(seconds=index * 60)
        hour = int(when.timestamp()) // SECONDS_PER_HOUR * SECONDS_PER_HOUR
        hourly[hour] = hourly.get(hour, 0) + 1
        event_id = f"{int(issue.id):016x}{index:016x}"
        issue.events.append(
            Event(event_id, event_id, when, "production", release, f"user-{index % users}")
        )
    issue.hourly = sorted(hourly.items())
    issue.count = count
    issue.user_count = users
    issue.last_seen = issue.events[-1].date_created


def _organisation(deployment: dict[str, Any], now: datetime) -> tuple[SentryOrganisation, Broken]:
    """Sentry's side: the api project, a release named by the deployment's commit deployed to
    production when it finished, an issue crossing the events threshold 30 minutes later and a
    quiet one that does not."""
    finished = datetime.fromisoformat(deployment["finished_at"].replace("Z", "+00:00"))
    sha = deployment["commit_sha"]
    org = SentryOrganisation(id="1042", slug=ORGANISATION, name="Acme", now=now)
    project = Project(
        id="4500001",
        slug="api",
        name="Api",
        platform="python",
        date_created=now - timedelta(days=400),
        environments=["production"],
    )
    org.projects.append(project)
    org.releases.append(
        Release(
            version=sha,
            short_version=sha[:12],
            date_created=finished - timedelta(minutes=10),
            date_released=finished,
            projects=[project.id],
            commits=[sha],
            last_commit=sha,
            deploys=[Deploy("91", "production", finished - timedelta(minutes=8), finished)],
            id=200_001,
        )
    )
    loud = Issue(
        id="6000000003",
        short_id="API-1",
        title="TypeError: Cannot read properties of undefined (reading 'cart')",
        culprit="app.carts.views in handle_cart",
        level="error",
        status="unresolved",
        substatus="ongoing",
        status_details={},
        first_seen=finished + timedelta(minutes=30),
        last_seen=finished + timedelta(minutes=30),
        count=0,
        user_count=0,
        project_id=project.id,
        environment="production",
        first_release=sha,
        last_release=sha,
    )
    _events(loud, loud.first_seen, 150, 4, sha)
    quiet = Issue(
        id="6000000006",
        short_id="API-2",
        title="KeyError: 'profile'",
        culprit="app.profiles.views in handle_profile",
        level="error",
        status="unresolved",
        substatus="ongoing",
        status_details={},
        first_seen=finished + timedelta(hours=3),
        last_seen=finished + timedelta(hours=3),
        count=0,
        user_count=0,
        project_id=project.id,
        environment="production",
        first_release=sha,
        last_release=sha,
    )
    _events(quiet, quiet.first_seen, 5, 2, sha)
    org.issues += [loud, quiet]
    org.recount_stats()
    return org, Broken(deployment, loud.short_id, quiet.short_id)


@pytest.fixture(scope="module")
def sentry(workspace: Workspace) -> Iterator[tuple[str, Broken]]:
    org, broken = _organisation(_succeeded_deployment(workspace), datetime.now(UTC))
    with run_fake_sentry(FakeSentry(org)) as origin:
        yield origin, broken


def _latest_sentry_run(workspace: Workspace) -> dict[str, Any] | None:
    runs = workspace.api("/sync/runs", source="sentry")
    assert isinstance(runs, dict)
    return runs["items"][0] if runs["items"] else None


def _change_failure_rate(workspace: Workspace) -> dict[str, Any]:
    found = workspace.api("/metrics/dora/change-failure-rate")
    assert isinstance(found, dict)
    return found


def _dashboard_failure_rate(page: Page) -> Any:
    card = page.get_by_test_id("metric-change-failure-rate")
    return card.get_by_test_id("metric-value")


def test_a_sentry_issue_fails_its_deployment_and_moves_the_change_failure_rate(
    workspace: Workspace, sentry: tuple[str, Broken], module_browser: Browser
) -> None:
    origin, broken = sentry
    deployment_id = broken.deployment["id"]
    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)

    # Before: the deployment succeeded, and the dashboard shows the rate without Sentry.
    before = _change_failure_rate(workspace)
    expect(_dashboard_failure_rate(page)).to_have_text(
        format_metric(before["value"], before["unit"])
    )
    page.goto(f"{workspace.base}/dora?deployment={deployment_id}")
    drawer = page.get_by_role("dialog", name=f"Deployment {deployment_id}")
    expect(drawer.get_by_text("Succeeded")).to_be_visible()
    drawer.get_by_role("button", name="Close").click()

    # Settings: the Sentry form saves the token, organisation and base URL and tests them.
    page.get_by_role("link", name="Settings").click()
    form = page.get_by_role("region", name="Sentry")
    form.get_by_label("Sentry token").fill(DEMO_TOKEN)
    form.get_by_label("Sentry organization").fill(ORGANISATION)
    form.get_by_label("Sentry base URL").fill(f"{origin}/api/0/")
    form.get_by_role("button", name="Save Sentry").click()
    expect(form.get_by_text(re.compile("Configured"))).to_be_visible()
    form.get_by_role("button", name="Test connection to Sentry").click()
    expect(form.get_by_text("Connection works")).to_be_visible(timeout=30_000)

    # Sync: start a Sentry sync by hand and see it end.
    previous = _latest_sentry_run(workspace)
    page.get_by_role("link", name="Sync", exact=True).click()
    card = page.get_by_role("region", name="Sentry")
    sync_now = card.get_by_role("button", name="Sync Sentry now")
    # The schedule may have started one since the source was saved: then follow that one.
    expect(sync_now.or_(card.get_by_role("button", name="Cancel"))).to_be_visible(timeout=30_000)
    if sync_now.is_visible():
        sync_now.click()
    deadline = time.monotonic() + 120
    while True:
        run = _latest_sentry_run(workspace)
        if run and run != previous and run["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, "the Sentry sync did not end in 120 s"
        time.sleep(1)
    assert run["status"] == "succeeded", run

    # Settings → Sentry: the project found its repository by name.
    page.goto(f"{workspace.base}/settings?tab=sentry")
    projects = page.get_by_test_id("sentry-projects")
    row = projects.get_by_role("row", name=re.compile("^api"))
    expect(row.get_by_role("combobox")).to_have_value(re.compile(r"^\d+$"))
    expect(row).to_contain_text("by name")

    # The deployment is failed now, because of the Sentry issue, with the rule that applied.
    page.goto(f"{workspace.base}/dora?deployment={deployment_id}")
    drawer = page.get_by_role("dialog", name=f"Deployment {deployment_id}")
    expect(drawer.get_by_text("Failed", exact=True)).to_be_visible()
    cause = drawer.locator("[data-kind='incident']")
    expect(cause).to_contain_text("Sentry")
    expect(cause).to_contain_text(broken.deployment["commit_sha"][:7])
    failing = drawer.get_by_test_id("deployment-failing-issues")
    expect(failing).to_contain_text(broken.short_id)
    expect(failing).to_contain_text(re.compile(r"150 events in 24 h"))
    impact = drawer.get_by_test_id("deployment-error-impact")
    new_issues = impact.get_by_role("row", name=re.compile("^New issues")).get_by_role("cell")
    expect(new_issues.nth(1)).to_have_text("2")  # the 24 h after: both issues

    # Production errors: the issue is listed as an incident, the quiet one below the thresholds.
    page.goto(f"{workspace.base}/errors")
    expect(page.get_by_test_id("sentry-incidents")).to_contain_text(broken.short_id)
    expect(page.get_by_test_id("sentry-non-incidents")).to_contain_text(broken.quiet_short_id)

    # The dashboard's change failure rate counts one more failed deployment.
    after = _change_failure_rate(workspace)
    failed_before = round(before["value"] * before["sample_size"])
    assert after["sample_size"] == before["sample_size"]
    assert after["value"] == pytest.approx((failed_before + 1) / before["sample_size"])
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(_dashboard_failure_rate(page)).to_have_text(format_metric(after["value"], after["unit"]))
    context.close()


def _synced_by_api(workspace: Workspace, origin: str) -> None:
    """The Sentry source saved and synced through the API, unless a sync already succeeded."""
    run = _latest_sentry_run(workspace)
    if run is not None and run["status"] == "succeeded":
        return
    headers = {"Authorization": f"Bearer {workspace.admin_token}"}
    body = {"token": DEMO_TOKEN, "organization": ORGANISATION, "base_url": f"{origin}/api/0/"}
    saved = httpx.put(
        f"{workspace.base}/api/v1/settings/sources/sentry", json=body, headers=headers, timeout=30
    )
    saved.raise_for_status()
    started = httpx.post(
        f"{workspace.base}/api/v1/sync", json={"source": "sentry"}, headers=headers, timeout=30
    )
    started.raise_for_status()
    deadline = time.monotonic() + 120
    while (run := _latest_sentry_run(workspace)) is None or run["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the Sentry sync did not end in 120 s"
        time.sleep(1)
    assert run["status"] == "succeeded", run


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_production_errors_and_a_deployment_drawer_pass_axe_and_are_photographed(
    workspace: Workspace, sentry: tuple[str, Broken], module_browser: Browser, theme: str
) -> None:
    origin, broken = sentry
    _synced_by_api(workspace, origin)
    context, page = signed_in(
        module_browser, workspace.base, ADMIN_EMAIL, dark=theme == "dark", axe=True
    )
    page.goto(f"{workspace.base}/errors?window=30d")
    expect(page.get_by_test_id("sentry-incidents")).to_contain_text(broken.short_id)
    expect(page.get_by_test_id("deployment-impact")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[aria-busy='true']")).to_have_count(0)
    assert not serious_accessibility_violations(page)
    screenshot(page, f"production-errors-{theme}")

    page.goto(f"{workspace.base}/errors?deployment={broken.deployment['id']}")
    expect(page.get_by_test_id("deployment-failing-issues")).to_contain_text(broken.short_id)
    assert not serious_accessibility_violations(page)
    context.close()


def test_a_rolled_back_deployment_links_to_the_deployment_that_rolled_it_back(
    workspace: Workspace, module_browser: Browser
) -> None:
    """acme/billing ships a new commit, then goes back to the commit it ran before."""
    listed = workspace.api("/deployments", failed="false", page_size=100)
    assert isinstance(listed, dict)
    running = next(d for d in listed["items"] if d["repository"] == "acme/billing")
    admin = {"Authorization": f"Bearer {workspace.admin_token}"}
    token = httpx.post(
        f"{workspace.base}/api/v1/settings/ingest-tokens",
        json={"name": "rollback"},
        headers=admin,
        timeout=30,
    )
    token.raise_for_status()
    now = datetime.now(UTC).replace(microsecond=0)

    def deployment(name: str, sha: str, hours_ago: int) -> dict[str, Any]:
        finished = now - timedelta(hours=hours_ago)
        return {
            "source": "jenkins",
            "external_id": name,
            "repository": "acme/billing",
            "environment": "production",
            "status": "success",
            "started_at": (finished - timedelta(minutes=8)).isoformat(),
            "finished_at": finished.isoformat(),
            "commit_sha": sha,
            "commits": [sha],
        }

    pushed = httpx.post(
        f"{workspace.base}/api/v1/ingest/deployments",
        json={
            "items": [
                deployment("rollback-bad", "b" * 40, 3),
                deployment("rollback-back", running["commit_sha"], 2),
            ]
        },
        headers={"Authorization": f"Bearer {token.json()['token']}"},
        timeout=60,
    )
    assert pushed.status_code == 200, pushed.text
    failed = workspace.api("/deployments", failed="true", page_size=100)
    assert isinstance(failed, dict)
    victim = next(d for d in failed["items"] if d["external_id"] == "rollback-bad")
    [cause] = victim["failure_causes"]
    redeploy = cause["rolled_back_by_deployment_id"]

    context, page = signed_in(module_browser, workspace.base, ADMIN_EMAIL)
    page.goto(f"{workspace.base}/dora?deployment={victim['id']}")
    drawer = page.get_by_role("dialog", name=f"Deployment {victim['id']}")
    expect(drawer.get_by_text("Failed", exact=True)).to_be_visible()
    drawer.get_by_role("link", name=f"deployment {redeploy}").click()
    expect(page).to_have_url(re.compile(f"deployment={redeploy}"))
    back = page.get_by_role("dialog", name=f"Deployment {redeploy}")
    expect(back).to_contain_text(f"Rework: rolls back deployment {victim['id']}")
    context.close()
