"""Events are read only where the incident thresholds need them (the first day of an issue
that could cross them, and a regression's day); a run reports progress per stream and stops
between pages when cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from veelocity.credentials.store import set_sentry_thresholds
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import FakeSentry
from veelocity.models import SyncCheckpoint
from veelocity.models.sentry import SentryEvent, SentryIssue
from veelocity.sync.context import SilentReporter, SyncCancelled

from .conftest import Harness


def test_only_issues_that_could_cross_a_threshold_have_events_read(
    harness: Harness, organisation: SentryOrganisation
) -> None:
    harness.run()

    could = {
        issue.id
        for issue in organisation.issues
        if issue.level in ("error", "fatal")
        and issue.environment == "production"
        and (issue.count >= 100 or issue.user_count >= 10)
    }
    read = harness.values(SentryIssue.external_id, SentryIssue.events_read.is_(True))
    assert read == could
    with_events = harness.values(
        SentryIssue.external_id, SentryIssue.id.in_(harness.values(SentryEvent.issue_id))
    )
    assert with_events <= could


def test_the_issues_read_in_detail_keep_their_tags_and_first_release(
    harness: Harness, organisation: SentryOrganisation
) -> None:
    harness.run()
    harness.run()

    candidates = [issue for issue in organisation.issues if issue.events]
    stored = {
        external_id: (tags.get("environment"), first_release)
        for external_id, tags, first_release in harness.rows(
            SentryIssue.external_id, SentryIssue.tags, SentryIssue.first_release_version
        )
    }
    assert {stored[i.id] for i in candidates} == {
        (i.environment, i.first_release) for i in candidates
    }


def test_a_regression_has_its_first_day_read(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    issue = next(i for i in organisation.issues if i.events and i.substatus != "regressed")
    fake.resolve(issue.id)
    harness.run()
    before = harness.count(SentryEvent.id)
    fake.advance(timedelta(days=2))
    with fake.lock:
        issue.status, issue.substatus = "unresolved", "regressed"
    fake.add_events(issue.id, 150, users=12)
    fake.advance(timedelta(hours=1))

    harness.run()

    [(issue_row,)] = harness.rows(SentryIssue.id, where=[SentryIssue.external_id == issue.id])
    later = harness.rows(
        SentryEvent.at,
        where=[
            SentryEvent.issue_id == issue_row,
            SentryEvent.at > organisation.now - timedelta(days=1),
        ],
    )
    assert len(later) == 150
    assert harness.count(SentryEvent.id) == before + 150
    assert harness.rows(SyncCheckpoint.scope, where=[SyncCheckpoint.stream == "issue_events"]) == []


def test_progress_is_reported_per_stream(harness: Harness) -> None:
    harness.run()

    streams = harness.reporter.streams
    assert streams["issues"] == harness.count(SentryIssue.id)
    assert streams["projects"] == 3
    assert streams["releases"] == 40
    assert streams["issue_events"] == harness.count(SentryEvent.id)
    assert streams["error_stats"] > 0
    assert harness.reporter.requests >= 5


@dataclass
class CancelOnceWritten(SilentReporter):
    """Asks the run to stop as soon as a page was written."""

    def cancel_requested(self) -> bool:
        return self.items > 0


def test_a_cancelled_run_stops_between_pages_and_the_next_one_continues(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _ = served
    reporter = CancelOnceWritten()
    cancelled = Harness(
        type(harness.context)(
            session_factory=harness.context.session_factory,
            settings=harness.context.settings,
            cipher=harness.context.cipher,
            reporter=reporter,
        ),
        reporter,
        harness.sync,
    )

    with pytest.raises(SyncCancelled):
        cancelled.run()
    assert fake.stats.requests == 1  # stopped after the first page
    assert harness.count(SentryIssue.id) == 0

    harness.run()

    assert harness.values(SentryIssue.external_id) == fake.truth.issue_ids


def test_thresholds_saved_in_settings_decide_which_events_are_read(
    harness: Harness, organisation: SentryOrganisation
) -> None:
    with harness.context.session_factory() as session, session.begin():
        set_sentry_thresholds(session, min_events=1_000_000, min_users=1_000_000, levels=["fatal"])

    harness.run()

    assert harness.count(SentryEvent.id) == 0
    assert harness.count(SentryIssue.id) == len(organisation.issues)
