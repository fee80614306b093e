"""Sentry issues become incidents by the 24-hour thresholds (first appearance or regression)
or by the incident patterns; they fail the deployment of the release they were first seen in,
and resolve with the deployment that ships their fix, which is rework."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_repository
from tests.derive.history import build_random_history, derived_snapshot
from tests.derive.sentry_builders import (
    add_events,
    make_sentry_issue,
    make_sentry_project,
    make_sentry_release,
    sentry_changes,
)
from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes
from veelocity.models import Incident, SentryIssue

config = DeriveConfig()
SHA1 = "a1" * 20
SHA2 = "b2" * 20


def _derive(session: Session, derive_config: DeriveConfig = config) -> None:
    derive_changes(session, derive_config, everything(session).merge(sentry_changes(session)))


def _incidents(session: Session) -> list[Incident]:
    return list(
        session.scalars(
            select(Incident).where(Incident.source == "sentry").order_by(Incident.started_at)
        )
    )


def test_an_issue_with_enough_events_in_its_first_day_fails_the_deployment_of_its_release(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    project = make_sentry_project(db_session, repo)
    make_sentry_release(db_session, project, SHA1[:12], created_at=at(0))
    issue = make_sentry_issue(
        db_session, project, first_seen=at(2), first_release_version=SHA1[:12]
    )
    add_events(db_session, issue, at(2), 120)
    _derive(db_session)
    assert issue.is_incident is True
    assert issue.incident_reason == "120 events in 24 h of its first event (≥ 100)"
    assert issue.incident_started_at == at(2)
    [incident] = _incidents(db_session)
    assert (incident.external_id, incident.started_at, incident.resolved_at) == (
        issue.external_id,
        at(2),
        None,
    )
    assert incident.attributed_deployment_id == deployment.id
    assert incident.attribution_reason == (
        f"first seen in release {SHA1[:12]}, deployed by deployment {deployment.id}"
    )
    assert deployment.is_failed is True
    assert deployment.failure_reason is not None
    assert f"first seen in release {SHA1[:12]}" in deployment.failure_reason


def test_enough_users_make_an_incident_with_few_events(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(db_session, project, first_seen=at(0))
    add_events(db_session, issue, at(0), 30, users=12)
    _derive(db_session)
    assert issue.is_incident is True
    assert issue.incident_reason == "12 users in 24 h of its first event (≥ 10)"


def test_an_issue_below_both_thresholds_says_how_far_it_got(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(db_session, project, first_seen=at(0))
    add_events(db_session, issue, at(0), 60, users=4)
    _derive(db_session)
    assert issue.is_incident is False
    assert issue.incident_reason == (
        "at most 60 events and 4 users in 24 h of its first event (below 100 events and 10 users)"
    )
    assert _incidents(db_session) == []


def test_events_after_the_first_day_do_not_count_toward_it(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(db_session, project, first_seen=at(0))
    add_events(db_session, issue, at(0), 80)
    add_events(db_session, issue, at(0, days=5), 80)
    _derive(db_session)
    assert issue.is_incident is False
    assert issue.incident_reason is not None
    assert issue.incident_reason.startswith("at most 80 events")


def test_staging_issues_and_warnings_are_no_incidents(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    staging = make_sentry_issue(db_session, project, first_seen=at(0), environment="staging")
    add_events(db_session, staging, at(0), 150, environment="staging")
    warning = make_sentry_issue(db_session, project, first_seen=at(0), level="warning")
    add_events(db_session, warning, at(0), 150)
    staged_events = make_sentry_issue(db_session, project, first_seen=at(0), environment=None)
    add_events(db_session, staged_events, at(0), 150, environment="staging")
    _derive(db_session)
    assert (staging.is_incident, warning.is_incident, staged_events.is_incident) == (
        False,
        False,
        False,
    )
    assert staging.incident_reason == "not in production (environment staging)"
    assert warning.incident_reason == "level warning is not one that counts (error, fatal)"
    assert staged_events.incident_reason == "no production events in 24 h of its first event"


def test_a_regression_that_crosses_opens_an_incident_at_the_regression(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(db_session, project, first_seen=at(0), substatus="regressed")
    add_events(db_session, issue, at(0), 20)
    add_events(db_session, issue, at(0, days=4), 130)
    _derive(db_session)
    assert issue.incident_reason == "130 events in 24 h of a regression (≥ 100)"
    assert issue.incident_started_at == at(0, days=4)
    [incident] = _incidents(db_session)
    assert incident.started_at == at(0, days=4)


def test_a_first_appearance_and_a_regression_that_both_cross_are_two_incidents(
    db_session: Session,
) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(db_session, project, first_seen=at(0), substatus="regressed")
    add_events(db_session, issue, at(0), 110)
    add_events(db_session, issue, at(0, days=4), 105)
    _derive(db_session)
    first, regression = _incidents(db_session)
    assert first.external_id == issue.external_id
    assert regression.external_id == f"{issue.external_id}:r1"
    # the first was over by its last event before the regression
    assert first.resolved_at == at(0) + timedelta(minutes=109)
    assert regression.started_at == at(0, days=4)
    assert issue.incident_reason == (
        "110 events in 24 h of its first event (≥ 100); 1 regression(s) crossed again"
    )


def test_the_deployment_shipping_the_fix_resolves_the_incident_and_is_rework(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    broken = make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    fix = make_deployment(db_session, repo, finished_at=at(30), commit_sha=SHA2)
    project = make_sentry_project(db_session, repo)
    make_sentry_release(db_session, project, "api@1.0.0", created_at=at(0), last_commit_sha=SHA1)
    make_sentry_release(db_session, project, "api@1.0.1", created_at=at(20), last_commit_sha=SHA2)
    issue = make_sentry_issue(
        db_session,
        project,
        first_seen=at(2),
        first_release_version="api@1.0.0",
        status="resolved",
        status_details={"inRelease": "api@1.0.1"},
        resolved_at=at(25),
    )
    add_events(db_session, issue, at(2), 150)
    _derive(db_session)
    [incident] = _incidents(db_session)
    assert incident.resolved_at == at(30)
    assert incident.attributed_deployment_id == broken.id
    assert fix.is_rework is True
    assert fix.rework_reason == f"resolves Sentry issue {issue.short_id}"
    assert broken.recovered_at == at(30)


def test_a_fix_in_a_commit_resolves_with_the_first_deployment_shipping_it(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    fix = make_deployment(db_session, repo, finished_at=at(40), commit_sha=SHA2)
    project = make_sentry_project(db_session, repo)
    issue = make_sentry_issue(
        db_session,
        project,
        first_seen=at(2),
        status="resolved",
        status_details={"inCommit": {"id": SHA2, "repository": {"name": "acme/api"}}},
        resolved_at=at(35),
    )
    add_events(db_session, issue, at(2), 150)
    _derive(db_session)
    [incident] = _incidents(db_session)
    assert incident.resolved_at == at(40)
    assert fix.is_rework is True


def test_without_a_shipped_fix_the_resolution_time_ends_the_incident(db_session: Session) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(
        db_session,
        project,
        first_seen=at(2),
        status="resolved",
        status_details={"inRelease": "never-deployed"},
        resolved_at=at(9),
    )
    add_events(db_session, issue, at(2), 150)
    _derive(db_session)
    [incident] = _incidents(db_session)
    assert incident.resolved_at == at(9)


def test_a_tag_matching_the_incident_patterns_makes_an_incident_from_its_first_event(
    db_session: Session,
) -> None:
    project = make_sentry_project(db_session, make_repository(db_session))
    issue = make_sentry_issue(
        db_session,
        project,
        first_seen=at(3),
        tags={"environment": "production", "kind": "incident"},
    )
    add_events(db_session, issue, at(3), 2)
    _derive(db_session)
    assert issue.is_incident is True
    assert issue.incident_reason == "tag kind:incident matches the incident patterns"
    [incident] = _incidents(db_session)
    assert incident.started_at == at(3)


def test_without_a_release_deployment_the_general_rule_attributes(db_session: Session) -> None:
    repo = make_repository(db_session)
    latest = make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    project = make_sentry_project(db_session, repo)
    issue = make_sentry_issue(db_session, project, first_seen=at(5), first_release_version="x@9")
    add_events(db_session, issue, at(5), 150)
    _derive(db_session)
    [incident] = _incidents(db_session)
    assert incident.attributed_deployment_id == latest.id
    assert incident.attribution_reason is not None
    assert incident.attribution_reason.startswith("latest production deployment of acme/api")


def test_an_issue_that_no_longer_crosses_loses_its_incident_and_frees_the_deployment(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    project = make_sentry_project(db_session, repo)
    issue = make_sentry_issue(db_session, project, first_seen=at(2))
    add_events(db_session, issue, at(2), 120)
    _derive(db_session)
    assert deployment.is_failed is True
    stricter = replace(config, sentry_incident_min_events=500, sentry_incident_min_users=500)
    derive_changes(db_session, stricter, ChangeSet(sentry_issue_ids={issue.id}))
    assert issue.is_incident is False
    assert _incidents(db_session) == []
    assert deployment.is_failed is False


def test_derive_all_agrees_with_derive_on_write(db_session: Session) -> None:
    repo = make_repository(db_session)
    make_deployment(db_session, repo, finished_at=at(1), commit_sha=SHA1)
    make_deployment(db_session, repo, finished_at=at(30), commit_sha=SHA2)
    project = make_sentry_project(db_session, repo)
    make_sentry_release(db_session, project, SHA1, created_at=at(0))
    make_sentry_release(db_session, project, SHA2, created_at=at(20))
    issue = make_sentry_issue(
        db_session,
        project,
        first_seen=at(2),
        first_release_version=SHA1,
        status="resolved",
        status_details={"inRelease": SHA2},
    )
    add_events(db_session, issue, at(2), 150)
    _derive(db_session)

    def snapshot() -> list[tuple[object, ...]]:
        return [
            (i.external_id, i.started_at, i.resolved_at, i.attributed_deployment_id)
            for i in _incidents(db_session)
        ] + [
            (s.id, s.is_incident, s.incident_reason)
            for s in db_session.scalars(select(SentryIssue).order_by(SentryIssue.id))
        ]

    on_write = snapshot()
    derive_all(db_session, config)
    assert snapshot() == on_write


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_derive_all_equals_the_incremental_path_with_sentry_issues(
    db_session: Session, seed: int
) -> None:
    build_random_history(db_session, seed=seed, incremental=True, config=config, sentry=True)
    incremental = derived_snapshot(db_session)
    assert any(row[0] == "sentry" for row in incremental["incident"])
    derive_all(db_session, config)
    assert derived_snapshot(db_session) == incremental
