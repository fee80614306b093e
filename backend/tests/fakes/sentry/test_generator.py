"""generate_sentry: the same seed gives the same organisation, and its data keeps its promises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from veelocity.demo.sentry import SentryConfig, generate_sentry
from veelocity.demo.sentry_model import SentryOrganisation

CONFIG = SentryConfig(seed=5, projects=4, issues=1_500, releases=120, months=2)


@pytest.fixture(scope="module")
def org() -> SentryOrganisation:
    return generate_sentry(CONFIG)


def _fingerprint(org: SentryOrganisation) -> list[object]:
    return [
        [(p.id, p.slug, p.platform) for p in org.projects],
        [
            (r.version, r.commits, [(d.id, d.environment, d.date_finished) for d in r.deploys])
            for r in org.releases
        ],
        [
            (i.id, i.short_id, i.status, i.count, i.user_count, i.hourly, i.first_release)
            for i in org.issues
        ],
        [[e.event_id for e in i.events] for i in org.issues],
    ]


def test_the_same_seed_gives_the_same_organisation(org: SentryOrganisation) -> None:
    assert _fingerprint(generate_sentry(CONFIG)) == _fingerprint(org)
    other = generate_sentry(SentryConfig(seed=6, projects=4, issues=1_500, releases=120))
    assert _fingerprint(other) != _fingerprint(org)


def test_sizes_and_timestamps(org: SentryOrganisation) -> None:
    assert (len(org.projects), len(org.issues), len(org.releases)) == (4, 1_500, 120)
    for issue in org.issues:
        assert issue.first_seen.tzinfo is UTC or issue.first_seen.utcoffset() == timedelta(0)
        assert issue.first_seen <= issue.last_seen <= org.now
        assert issue.count == sum(events for _, events in issue.hourly)
        assert issue.user_count <= issue.count
    for release in org.releases:
        assert all(d.date_finished <= org.now for d in release.deploys)


def test_stats_per_project_and_day_add_up_to_the_issues(org: SentryOrganisation) -> None:
    assert sum(sum(days.values()) for days in org.stats.values()) == sum(
        i.count for i in org.issues
    )
    stats = dict(org.stats)
    org.recount_stats()
    assert org.stats == stats


def test_releases_are_named_by_sha_or_project_at_version(org: SentryOrganisation) -> None:
    slugs = {p.slug for p in org.projects}
    by_sha = [r for r in org.releases if len(r.version) == 40]
    by_name = [r for r in org.releases if "@" in r.version]
    assert by_sha
    assert by_name
    assert len(by_sha) + len(by_name) == len(org.releases)
    assert all(r.version == r.last_commit for r in by_sha)
    assert {r.version.split("@")[0] for r in by_name} <= slugs
    assert any(not r.commits for r in org.releases)  # a release without commits
    assert any(
        [d.environment for d in r.deploys] == ["staging", "production"] for r in org.releases
    )
    assert any([d.environment for d in r.deploys] == ["staging"] for r in org.releases)


def test_incidents_cross_a_threshold_in_their_first_day_and_the_background_never_does(
    org: SentryOrganisation,
) -> None:
    incidents = [i for i in org.issues if i.events]
    assert len(incidents) >= 5
    for issue in incidents:
        assert issue.environment == "production"
        assert issue.level in ("error", "fatal")
        day = [e for e in issue.events if e.date_created < issue.first_seen + timedelta(hours=24)]
        assert len(day) > 100 or len({e.user for e in day if e.user}) >= 10
        assert issue.count == len(issue.events)
    for issue in org.issues:
        if not issue.events:
            assert issue.count < 100
            assert issue.user_count < 10
    assert any(i.substatus == "regressed" for i in incidents)


def test_resolutions_name_a_release_or_commit_where_there_is_one(org: SentryOrganisation) -> None:
    resolved = [i for i in org.issues if i.status == "resolved"]
    forms = {next(iter(i.status_details), None) for i in resolved}
    assert {"inRelease", "inCommit", "inNextRelease", None} <= forms
    versions = {r.version for r in org.releases}
    for issue in resolved:
        assert issue.resolved_at is not None
        assert issue.resolved_at >= issue.last_seen
        if "inRelease" in issue.status_details:
            assert issue.status_details["inRelease"] in versions


def test_the_configuration_refuses_naive_times_and_empty_sizes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SentryConfig(now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="at least 1 project"):
        SentryConfig(projects=0)


def test_issues_carry_the_release_running_in_their_environment(org: SentryOrganisation) -> None:
    releases = {r.version: r for r in org.releases}
    for issue in org.issues:
        if issue.first_release is None:
            continue
        deploys = [
            d for d in releases[issue.first_release].deploys if d.environment == issue.environment
        ]
        assert deploys
        assert deploys[0].date_finished <= issue.first_seen


def test_incidents_break_out_within_two_hours_of_their_releases_production_deploy(
    org: SentryOrganisation,
) -> None:
    releases = {r.version: r for r in org.releases}
    attributed = 0
    for issue in org.issues:
        if not issue.events or issue.first_release is None:
            continue
        production = next(
            d for d in releases[issue.first_release].deploys if d.environment == "production"
        )
        assert timedelta(0) < issue.first_seen - production.date_finished <= timedelta(hours=2)
        assert issue.events[0].release == issue.first_release
        attributed += 1
    assert attributed >= 5
