"""A Sentry sync against the fake stores what the organisation holds, and a second sync that
finds nothing new asks little."""

from __future__ import annotations

from veelocity.fakes.sentry import FakeSentry
from veelocity.models.sentry import (
    SentryDeploy,
    SentryErrorStat,
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
)

from .conftest import Harness


def test_a_first_sync_stores_every_project_release_deploy_and_issue(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _origin = served
    truth = fake.truth

    harness.run()

    assert harness.values(SentryProject.external_id) == truth.project_ids
    assert harness.values(SentryRelease.version) == truth.release_versions
    assert harness.values(SentryDeploy.external_id) == truth.deploy_ids
    assert harness.values(SentryIssue.external_id) == truth.issue_ids
    counts = dict(harness.rows(SentryIssue.external_id, SentryIssue.event_count))
    assert counts == truth.issue_counts


def test_error_counts_per_project_and_day_match_sentrys_stats(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _origin = served
    harness.run()

    stored = {
        (project, day): events
        for project, day, events in harness.rows(
            SentryProject.external_id,
            SentryErrorStat.day,
            SentryErrorStat.events,
            where=[SentryProject.id == SentryErrorStat.project_id],
        )
        if events
    }
    assert stored == fake.truth.events_per_project_day


def test_the_incident_candidates_have_their_first_days_events(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _origin = served
    harness.run()

    candidates = fake.truth.incident_candidate_ids
    assert candidates
    with_events = harness.values(
        SentryIssue.external_id, SentryIssue.id.in_(harness.values(SentryEvent.issue_id))
    )
    assert candidates <= with_events


def test_a_second_sync_with_nothing_new_asks_one_page_per_stream(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _origin = served
    harness.run()
    fake.stats.reset()

    harness.run()

    assert dict(fake.stats.by_path) == {
        "/organizations/{org}/projects/": 1,
        "/organizations/{org}/releases/": 1,
        "/organizations/{org}/issues/": 1,
        "/organizations/{org}/stats_v2/": 1,
    }
