"""The demo's Sentry: projects per service repository, releases and deploys following its
deployments, incidents breaking out after some of them, and a background that stays small."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.demo.sentry_demo import DemoSentry
from veelocity.demo.sentry_model import Issue
from veelocity.demo_server import live_fake, live_sentry
from veelocity.fakes.sentry import DEMO_TOKEN, run_fake_sentry

CONFIG = DemoConfig(seed=5, repositories=4, developers=10, months=3)
MIN_EVENTS, MIN_USERS = 100, 10  # the default thresholds
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def demo() -> tuple[DemoOrganisation, DemoSentry]:
    org = generate(CONFIG)
    return org, DemoSentry(org, seed=CONFIG.seed)


def _successful_deploys(org: DemoOrganisation, repository: str) -> dict[str, tuple[str, datetime]]:
    """deployment id -> (environment, finished) of a repository's successful deployments."""
    found = {}
    for deployment in org.repository(repository).deployments:
        final = deployment.statuses[-1]
        if final.state == "success" and final.created_at <= org.now:
            found[str(deployment.id)] = (deployment.environment, final.created_at)
    return found


def _first_day(issue: Issue) -> tuple[int, int]:
    """Events and users within 24 h of the issue's first event."""
    events = [e for e in issue.events if e.date_created < issue.first_seen + DAY]
    return len(events), len({e.user for e in events if e.user})


def test_each_service_repository_has_a_project_named_after_it(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    org, sentry = demo
    services = sorted(r.name for r in org.repositories if r.kind == "service")
    assert sorted(p.slug for p in sentry.org.projects) == services
    assert sentry.org.slug == org.login


def test_releases_follow_the_deployed_commits_with_a_deploy_per_successful_deployment(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    org, sentry = demo
    versions = [r.version for r in sentry.org.releases]
    assert len(versions) == len(set(versions))
    assert any(len(v) == 40 and "@" not in v for v in versions)  # by commit SHA
    assert any("@1." in v for v in versions)  # by project@version
    for project in sentry.org.projects:
        deploys = {
            d.id: (d.environment, d.date_finished)
            for r in sentry.org.releases
            if project.id in r.projects
            for d in r.deploys
        }
        assert deploys == _successful_deploys(org, project.slug)
        shas = {d.sha for d in org.repository(project.slug).deployments}
        for release in (r for r in sentry.org.releases if project.id in r.projects):
            assert release.commits == [release.last_commit]
            assert release.last_commit in shas
            if "@" not in release.version:
                assert release.version == release.last_commit


def test_incidents_break_out_after_a_production_deploy_and_cross_the_thresholds(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    org, sentry = demo
    incidents = [i for i in sentry.org.issues if i.events]
    assert len(incidents) >= 5
    for issue in incidents:
        assert issue.environment == "production"
        assert issue.level in ("error", "fatal")
        events, users = _first_day(issue)
        # An incident that broke out less than a day before `now` is still gathering events.
        assert events >= MIN_EVENTS or users >= MIN_USERS or issue.first_seen + DAY > org.now
        project = sentry.org.project(issue.project_id)
        finishes = [
            finished
            for environment, finished in _successful_deploys(org, project.slug).values()
            if environment == "production" and finished <= issue.first_seen
        ]
        assert issue.first_seen - max(finishes) <= timedelta(hours=2)
        # the release it was first seen in is the one that production deploy shipped
        deployed = sentry.org.release(issue.first_release or "")
        assert any(d.date_finished == max(finishes) for d in deployed.deploys)
        assert issue.count == len(issue.events)
        assert issue.tags["environment"] == "production"


def test_incidents_are_resolved_in_a_later_release_and_some_regress(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    _, sentry = demo
    incidents = [i for i in sentry.org.issues if i.events]
    resolved = [i for i in incidents if i.status == "resolved"]
    assert resolved
    for issue in resolved:
        version = issue.status_details["inRelease"]
        assert isinstance(version, str)
        assert sentry.org.release(version).version != issue.first_release
    regressed = [
        i for i in incidents if any(e.date_created > i.first_seen + 2 * DAY for e in i.events)
    ]
    assert regressed
    for issue in regressed:
        again = min(e.date_created for e in issue.events if e.date_created > issue.first_seen + DAY)
        later = [e for e in issue.events if again <= e.date_created < again + DAY]
        assert len(later) >= MIN_EVENTS


def test_the_background_never_crosses_the_thresholds(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    _, sentry = demo
    background = [i for i in sentry.org.issues if not i.events]
    assert len(background) > 10 * len(sentry.org.projects)
    for issue in background:
        could_be_incident = issue.environment == "production" and issue.level in ("error", "fatal")
        if could_be_incident:
            assert issue.count < MIN_EVENTS
            assert issue.user_count < MIN_USERS
    # a few loud warnings: many events, a level that never makes an incident
    assert any(i.level == "warning" and i.count >= MIN_EVENTS for i in background)


def test_errors_appear_only_as_their_time_comes(
    demo: tuple[DemoOrganisation, DemoSentry],
) -> None:
    org, sentry = demo
    counted = sum(sum(days.values()) for days in sentry.org.stats.values())
    assert counted == sum(i.count for i in sentry.org.issues)
    assert all(i.last_seen <= org.now for i in sentry.org.issues)
    assert all(e.date_created <= org.now for i in sentry.org.issues for e in i.events)


def test_time_passing_brings_new_deploys_and_errors() -> None:
    org = generate(CONFIG)
    sentry = DemoSentry(org, seed=CONFIG.seed)
    issues_before = len(sentry.org.issues)
    deploys_before = sum(len(r.deploys) for r in sentry.org.releases)
    github = live_fake(org)
    github.advance(3 * DAY)
    assert sentry.catch_up() is True
    assert sentry.org.now == org.now
    assert len(sentry.org.issues) > issues_before
    assert sum(len(r.deploys) for r in sentry.org.releases) > deploys_before
    assert all(i.last_seen <= org.now for i in sentry.org.issues)


def test_the_same_seed_gives_the_same_sentry() -> None:
    first = DemoSentry(generate(CONFIG), seed=CONFIG.seed).org
    again = DemoSentry(generate(CONFIG), seed=CONFIG.seed).org
    assert first == again


def test_the_demo_serves_its_sentry_and_follows_the_organisation_clock() -> None:
    org = generate(CONFIG)
    github = live_fake(org)
    github.live = False  # time moves only when the test says so
    sentry = live_sentry(org, github, CONFIG.seed)
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with run_fake_sentry(sentry) as origin:
        base = f"{origin}/api/0/organizations/{org.login}"
        projects = httpx.get(f"{base}/projects/", headers=headers).json()
        before = len(sentry.org.issues)
        github.advance(2 * DAY)
        # the next request lets the Sentry side catch up with the organisation
        httpx.get(f"{base}/projects/", headers=headers).raise_for_status()
        after = len(sentry.org.issues)
    assert sorted(p["slug"] for p in projects) == sorted(
        r.name for r in org.repositories if r.kind == "service"
    )
    assert after > before
    assert sentry.org.now == org.now
