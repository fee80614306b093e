"""The generated Linear workspace: reproducible, every state type, history that adds up."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.demo.linear_history import replayed
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.demo.linear_model import STATE_TYPES, LinearWorkspace

CONFIG = LinearConfig(seed=7, teams=3, issues=1_500, months=4)


def _fingerprint(workspace: LinearWorkspace) -> list[tuple[str, str, str, int]]:
    return [
        (workspace.identifier(i), i.title, i.state_id, len(i.history)) for i in workspace.issues
    ]


def test_same_configuration_gives_the_same_workspace() -> None:
    assert _fingerprint(generate_workspace(CONFIG)) == _fingerprint(generate_workspace(CONFIG))


def test_another_seed_gives_another_workspace() -> None:
    other = LinearConfig(seed=8, teams=3, issues=1_500, months=4)
    assert _fingerprint(generate_workspace(CONFIG)) != _fingerprint(generate_workspace(other))


def test_the_configured_numbers_of_teams_and_issues() -> None:
    workspace = generate_workspace(LinearConfig(seed=1, teams=10, issues=600, months=2))
    assert len(workspace.teams) == 10
    assert len(workspace.issues) == 600
    assert len({t.key for t in workspace.teams}) == 10


def test_every_team_has_every_state_type_and_issues_sit_in_each() -> None:
    workspace = generate_workspace(CONFIG)
    for team in workspace.teams:
        names = {s.name: s.type for s in team.states}
        assert set(names.values()) == set(STATE_TYPES)
        assert names["In Review"] == "started"
        assert names["Duplicate"] == "canceled"
    current = {workspace.state(i.state_id).name for i in workspace.issues}
    assert current >= {"Triage", "Backlog", "Todo", "In Progress", "In Review", "Done"}
    assert current >= {"Canceled", "Duplicate"}


def test_each_issue_agrees_with_its_history() -> None:
    workspace = generate_workspace(CONFIG)
    for issue in workspace.issues:
        assert replayed(workspace, issue) == {
            "state": issue.state_id,
            "cycle": issue.cycle_id,
            "estimate": issue.estimate,
            "assignee": issue.assignee_id,
            "labels": issue.label_ids,
            "started_at": issue.started_at,
            "completed_at": issue.completed_at,
            "canceled_at": issue.canceled_at,
            "archived_at": issue.archived_at,
        }, workspace.identifier(issue)
        times = [e.created_at for e in issue.history]
        assert times == sorted(times)
        assert times[0] == issue.created_at
        assert issue.updated_at == times[-1] <= workspace.now


def test_histories_hold_every_kind_of_change() -> None:
    workspace = generate_workspace(CONFIG)
    entries = [e for i in workspace.issues for e in i.history[1:]]
    types = {s.id: s.type for t in workspace.teams for s in t.states}
    reopened = [e for e in entries if e.from_state_id and types[e.from_state_id] == "completed"]
    assert reopened, "some issues are reopened after completion"
    assert any(e.from_cycle_id and e.to_cycle_id for e in entries), "carried over"
    assert any(e.from_cycle_id and e.to_cycle_id is None for e in entries), "removed from cycles"
    assert any(e.from_estimate is not None and e.to_estimate is not None for e in entries)
    assert any(e.from_assignee_id and e.to_assignee_id for e in entries)
    assert any(e.added_label_ids for e in entries)
    assert any(e.removed_label_ids for e in entries)
    assert any(i.archived_at for i in workspace.issues)
    assert any(i.parent_id for i in workspace.issues)
    assert any(i.estimate is None for i in workspace.issues)
    assert {i.priority for i in workspace.issues} == {0, 1, 2, 3, 4}


def test_issues_are_added_to_cycles_before_and_after_they_start() -> None:
    workspace = generate_workspace(CONFIG)
    cycles = {c.id: c for t in workspace.teams for c in t.cycles}
    joined = [
        (e.created_at, cycles[e.to_cycle_id])
        for i in workspace.issues
        for e in i.history
        if e.to_cycle_id is not None and e.from_cycle_id is None
    ]
    assert any(c.starts_at is not None and when < c.starts_at for when, c in joined)
    assert any(c.starts_at is not None and when > c.starts_at for when, c in joined)


def test_cycles_are_two_weeks_with_one_running_now() -> None:
    workspace = generate_workspace(CONFIG)
    now = workspace.now
    for team in workspace.teams:
        spans = []
        for cycle in team.cycles:
            assert cycle.starts_at is not None
            assert cycle.ends_at is not None
            assert cycle.ends_at - cycle.starts_at == timedelta(days=14)
            assert (cycle.completed_at is not None) == (cycle.ends_at <= now)
            spans.append((cycle.starts_at, cycle.ends_at))
        assert spans == sorted(spans)
        assert len([s for s, e in spans if s <= now < e]) == 1, "one cycle runs now"
        assert any(s > now for s, _ in spans), "upcoming cycles"
        assert [c.number for c in team.cycles] == list(range(1, len(team.cycles) + 1))


def test_incident_label_matches_the_default_incident_patterns() -> None:
    from veelocity.derive.config import DeriveConfig

    workspace = generate_workspace(CONFIG)
    names = {label.name for label in workspace.labels}
    assert {"Bug", "Feature", "Improvement"} <= names
    assert DeriveConfig().is_incident_label([n for n in names if n == "incident"])


def test_branch_names_are_linear_style() -> None:
    workspace = generate_workspace(CONFIG)
    for issue in workspace.issues[:200]:
        identifier = workspace.identifier(issue).lower()
        assert re.fullmatch(rf"[a-z0-9-]+/{identifier}-[a-z0-9-]+", issue.branch_name)


def test_projects_are_planned_started_or_completed_by_now() -> None:
    workspace = generate_workspace(CONFIG)
    now = workspace.now
    projects = {p.id: p for p in workspace.projects}
    assert {p.state for p in projects.values()} >= {"started", "completed"}
    for project in projects.values():
        assert project.created_at <= now
        if project.state == "planned":
            assert project.started_at is None
        else:
            assert project.started_at is not None
            assert project.started_at <= now
        assert (project.state == "completed") == (project.completed_at is not None)
    for issue in workspace.issues:
        if issue.project_id is not None:
            project = projects[issue.project_id]
            assert project.started_at is not None
            assert project.started_at <= issue.created_at
            assert project.completed_at is None or issue.created_at < project.completed_at


def test_some_issues_carry_attachments_that_are_not_pull_requests() -> None:
    workspace = generate_workspace(CONFIG)
    urls = [a.url for i in workspace.issues for a in i.attachments]
    assert urls
    assert not any("/pull/" in url for url in urls)
