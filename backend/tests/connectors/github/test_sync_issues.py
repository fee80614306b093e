"""Issues synced from the fake GitHub: labelled ones become incidents, kept up to date."""

from __future__ import annotations

from datetime import UTC, datetime

from veelocity.demo.issues import FIRST_ISSUE_NUMBER, IssueTracker
from veelocity.demo.model import DemoOrganisation, Issue
from veelocity.demo.simulation import Simulation
from veelocity.fakes.github import FakeGitHub
from veelocity.models import Incident
from veelocity.models import Issue as IssueRow

from .conftest import Harness
from .truth import differences, expected_issues, stored_issues

DISMISSED = {"not_planned", "duplicate"}


def _tracker(org: DemoOrganisation) -> IssueTracker:
    assert isinstance(org.simulation, Simulation)
    return org.simulation.issues


def _incident_rows(harness: Harness) -> dict[str, tuple[datetime, datetime | None, str | None]]:
    rows = harness.rows(
        Incident.external_id,
        Incident.started_at,
        Incident.resolved_at,
        Incident.attribution_reason,
        where=[Incident.source == "github_issue"],
    )
    return {
        r.external_id: (_utc(r.started_at), _utc(r.resolved_at), r.attribution_reason) for r in rows
    }


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _expected_incidents(org: DemoOrganisation) -> set[str]:
    return {
        f"{repo.full_name}#{i.number}"
        for repo in org.repositories
        for i in repo.issues
        if "incident" in i.labels and i.state_reason not in DISMISSED
    }


def test_labelled_issues_become_incidents_attributed_to_deployments(
    harness: Harness, org: DemoOrganisation
) -> None:
    harness.run()
    assert differences(org, harness.context.session_factory) == []
    stored = stored_issues(harness.context.session_factory)
    assert stored == expected_issues(org)
    # the pull requests that GitHub lists as issues too are not stored as issues
    numbers = [n for (n,) in harness.rows(IssueRow.number)]
    assert numbers
    assert min(numbers) >= FIRST_ISSUE_NUMBER
    incidents = _incident_rows(harness)
    assert set(incidents) == _expected_incidents(org)
    assert incidents
    assert any(reason is not None for _, _, reason in incidents.values())
    for repo in org.repositories:
        for issue in repo.issues:
            key = f"{repo.full_name}#{issue.number}"
            if key in incidents:
                started, resolved, _ = incidents[key]
                assert started == issue.created_at.replace(microsecond=0)
                closed = issue.closed_at.replace(microsecond=0) if issue.closed_at else None
                assert resolved == closed


def test_an_unchanged_repository_costs_one_304_for_its_issues(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    harness.run()
    fake.stats.reset()
    harness.run()
    for repo in org.repositories:
        route = f"/repos/{repo.full_name}/issues"
        assert fake.stats.by_route[route] == 1, route
        assert fake.stats.not_modified_by_route[route] == 1, route
    assert not any("/repositories/" in route for route in fake.stats.by_route)


def test_closing_and_relabelling_an_issue_updates_its_incident(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    tracker = _tracker(org)
    repo = next(r for r in org.repositories if r.kind == "service")
    with fake.lock:
        ongoing = tracker.open_incident(repo, "a test deployment", org.now, org.now)
        mislabelled = tracker.open_incident(repo, "another test deployment", org.now, org.now)
    harness.run()
    incidents = _incident_rows(harness)
    ongoing_key = f"{repo.full_name}#{ongoing.number}"
    mislabelled_key = f"{repo.full_name}#{mislabelled.number}"
    assert incidents[ongoing_key][1] is None
    assert mislabelled_key in incidents

    fake.stats.reset()
    with fake.lock:
        tracker.close(ongoing, "completed", org.now)
        _relabel(mislabelled, org.now)
    harness.run()
    incidents = _incident_rows(harness)
    assert incidents[ongoing_key][1] == org.now.replace(microsecond=0)
    assert mislabelled_key not in incidents
    assert set(incidents) == _expected_incidents(org)
    assert differences(org, harness.context.session_factory) == []

    # and the pass after that is a free 304 again
    fake.stats.reset()
    harness.run()
    route = f"/repos/{repo.full_name}/issues"
    assert fake.stats.not_modified_by_route[route] == fake.stats.by_route[route] == 1


def _relabel(issue: Issue, when: datetime) -> None:
    issue.labels = [label for label in issue.labels if label != "incident"]
    issue.updated_at = when


def test_an_issue_closed_as_not_planned_is_no_incident(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    tracker = _tracker(org)
    repo = next(r for r in org.repositories if r.kind == "service")
    with fake.lock:
        false_alarm = tracker.open_incident(repo, "a test deployment", org.now, org.now)
    harness.run()
    key = f"{repo.full_name}#{false_alarm.number}"
    assert key in _incident_rows(harness)
    with fake.lock:
        tracker.close(false_alarm, "not_planned", org.now)
    harness.run()
    assert key not in _incident_rows(harness)


def test_a_repository_with_issues_turned_off_syncs_everything_else(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    quiet = org.repositories[0]
    # GitHub answers 410 Gone for the issues of a repository that has them turned off
    fake.faults.add("status", path=f"/{quiet.full_name}/issues", count=None, status=410)
    harness.run()
    stored = stored_issues(harness.context.session_factory)
    assert not any(key.startswith(f"{quiet.full_name}#") for key in stored)
    others = {
        k: v for k, v in expected_issues(org).items() if not k.startswith(f"{quiet.full_name}#")
    }
    assert stored == others
