"""The demo organisation's Linear workspace: its people and teams, and pull requests linked."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import httpx

from tests.demo.linear_history import replayed
from veelocity.demo import (
    DemoConfig,
    DemoOrganisation,
    PullRequest,
    advance,
    generate,
    linear_team_repositories,
    use_github_web,
)
from veelocity.demo.linear_model import Issue, LinearWorkspace
from veelocity.fakes.github import DEMO_TOKEN, run_fake_github

CONFIG = DemoConfig(seed=11, repositories=6, developers=14, months=3)


def _workspace(org: DemoOrganisation) -> LinearWorkspace:
    assert org.linear is not None
    return org.linear


def _evidence(org: DemoOrganisation) -> dict[tuple[str, int], set[str]]:
    """How each pull request names a Linear issue, read the way a reader of both would."""
    workspace = _workspace(org)
    keys = "|".join(t.key for t in workspace.teams)
    identifier = re.compile(rf"\b({keys})-\d+\b", re.IGNORECASE)
    attached = {a.url for i in workspace.issues for a in i.attachments}
    found: dict[tuple[str, int], set[str]] = {}
    for repo in org.repositories:
        for pr in repo.pull_requests:
            kinds = set()
            if f"https://github.com/{repo.full_name}/pull/{pr.number}" in attached:
                kinds.add("attachment")
            if identifier.search(pr.head_ref):
                kinds.add("branch")
            if identifier.search(pr.title) or identifier.search(pr.body):
                kinds.add("title or body")
            found[(repo.name, pr.number)] = kinds
    return found


def _linked_issues(org: DemoOrganisation) -> list[tuple[PullRequest, Issue]]:
    workspace = _workspace(org)
    by_url = {a.url: i for i in workspace.issues for a in i.attachments}
    return [
        (pr, by_url[url])
        for repo in org.repositories
        for pr in repo.pull_requests
        if (url := f"https://github.com/{repo.full_name}/pull/{pr.number}") in by_url
    ]


def _moves(workspace: LinearWorkspace, issue: Issue) -> list[tuple[datetime, str]]:
    return [
        (e.created_at, workspace.state(e.to_state_id).name)
        for e in issue.history
        if e.to_state_id is not None
    ]


def test_same_seed_gives_the_same_workspace_and_links() -> None:
    def fingerprint() -> list[tuple[str, str, int, list[str]]]:
        workspace = _workspace(generate(CONFIG))
        return [
            (workspace.identifier(i), i.state_id, len(i.history), [a.url for a in i.attachments])
            for i in workspace.issues
        ]

    assert fingerprint() == fingerprint()


def test_linear_users_are_the_organisation_people_with_their_emails() -> None:
    org = generate(CONFIG)
    humans = {m.email: m.login for m in org.members if not m.is_bot}
    users = {u.email: u.github_login for u in _workspace(org).users}
    assert users == humans


def test_teams_split_the_repositories_and_the_people() -> None:
    org = generate(CONFIG)
    workspace = _workspace(org)
    owned = linear_team_repositories(org)
    assert set(owned) == {t.key for t in workspace.teams}
    assert len(workspace.teams) >= 2
    assert sorted(name for names in owned.values() for name in names) == sorted(
        r.name for r in org.repositories
    )
    members = [m for t in workspace.teams for m in t.member_ids]
    assert sorted(members) == sorted(u.id for u in workspace.users)


def test_pull_requests_name_their_issues_in_all_three_ways_and_some_in_none() -> None:
    org = generate(CONFIG)
    evidence = _evidence(org)
    alone = {next(iter(kinds)) for kinds in evidence.values() if len(kinds) == 1}
    assert alone == {"attachment", "branch", "title or body"}
    unlinked = [key for key, kinds in evidence.items() if not kinds]
    kinds_unlinked = {
        org.repository(name).pull_requests[number - 1].kind for name, number in unlinked
    }
    assert {"dependency", "feature"} <= kinds_unlinked
    dependency = [
        evidence[(r.name, pr.number)]
        for r in org.repositories
        for pr in r.pull_requests
        if pr.kind == "dependency"
    ]
    assert not any(dependency), "dependency bumps have no issue"


def test_attachment_urls_are_the_pull_request_urls_the_fake_github_serves() -> None:
    org = generate(replace(CONFIG, months=1))
    with run_fake_github(org) as base_url:
        use_github_web(org, base_url)
        urls = {a.url for i in _workspace(org).issues for a in i.attachments}
        repo = org.repositories[0]
        response = httpx.get(
            f"{base_url}/repos/{repo.full_name}/pulls",
            params={"state": "all", "per_page": 100},
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        )
    response.raise_for_status()
    served = {pr["html_url"] for pr in response.json()}
    attached = {u for u in urls if f"/{repo.full_name}/pull/" in u}
    assert attached
    assert attached <= served


def test_linked_issues_follow_their_pull_requests() -> None:
    org = generate(CONFIG)
    workspace = _workspace(org)
    linked = _linked_issues(org)
    assert len(linked) > 50
    for pr, issue in linked:
        if pr.kind == "hotfix":
            continue  # an incident's fix forward: the incident started before it
        moves = _moves(workspace, issue)
        started = [when for when, name in moves if name == "In Progress"]
        assert started
        assert started[0] <= pr.commits[0].authored_at, "work starts before the first commit"
        assert (pr.created_at, "In Review") in moves
        if pr.merged_at is not None:
            assert (pr.merged_at, "Done") in moves
            assert issue.completed_at is not None


def test_demo_issues_agree_with_their_history() -> None:
    org = generate(CONFIG)
    workspace = _workspace(org)
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
        assert issue.updated_at <= workspace.now


def test_incident_issues_follow_failed_production_deployments() -> None:
    org = generate(replace(CONFIG, months=6))
    workspace = _workspace(org)
    incident = next(label.id for label in workspace.labels if label.name == "incident")
    incidents = [i for i in workspace.issues if incident in i.label_ids]
    assert incidents
    failures = [
        d.statuses[-1].created_at
        for r in org.repositories
        for d in r.deployments
        if d.environment == "production" and d.statuses[-1].state == "failure"
    ]
    for issue in incidents:
        assert any(
            timedelta(0) <= issue.created_at - failed <= timedelta(hours=4) for failed in failures
        )
    assert any(i.completed_at is not None for i in incidents)


def test_advance_keeps_linear_alive() -> None:
    org = generate(CONFIG)
    workspace = _workspace(org)
    before = org.now
    issues = len(workspace.issues)
    completed_cycles = sum(1 for t in workspace.teams for c in t.cycles if c.completed_at)
    advance(org, timedelta(days=15))
    assert workspace.now == org.now == before + timedelta(days=15)
    assert len(workspace.issues) > issues
    later = [e for i in workspace.issues for e in i.history if e.created_at > before]
    assert any(e.to_state_id for e in later)
    assert any(e.from_cycle_id and e.to_cycle_id for e in later), "a cycle rolled over"
    assert sum(1 for t in workspace.teams for c in t.cycles if c.completed_at) > completed_cycles
    assert all(i.updated_at <= org.now for i in workspace.issues)


def test_linear_can_be_left_out() -> None:
    org = generate(replace(CONFIG, linear=False))
    assert org.linear is None
    assert linear_team_repositories(org) == {}
