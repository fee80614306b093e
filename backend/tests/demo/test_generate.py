"""The generated organisation: reproducible, realistic in shape, and alive."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import timedelta

import pytest

from veelocity.demo import DemoConfig, advance, generate

CONFIG = DemoConfig(seed=3, repositories=4, developers=10, months=3)


def _fingerprint(config: DemoConfig) -> list[tuple[str, int, str, str | None]]:
    org = generate(config)
    return [
        (repo.name, pr.number, pr.title, pr.merge_commit_oid)
        for repo in org.repositories
        for pr in repo.pull_requests
    ]


def test_same_seed_and_size_give_the_same_organisation() -> None:
    assert _fingerprint(CONFIG) == _fingerprint(CONFIG)


def test_another_seed_gives_another_organisation() -> None:
    other = DemoConfig(seed=4, repositories=4, developers=10, months=3)
    assert _fingerprint(CONFIG) != _fingerprint(other)


def test_nothing_happens_after_now() -> None:
    org = generate(CONFIG)
    for repo in org.repositories:
        for pr in repo.pull_requests:
            assert pr.created_at <= org.now
            assert pr.updated_at <= org.now
            assert all(r.submitted_at <= org.now for r in pr.reviews)
        assert all(d.created_at <= org.now for d in repo.deployments)


def test_default_branch_is_a_real_commit_graph() -> None:
    org = generate(CONFIG)
    for repo in org.repositories:
        known = {c.oid for c in repo.history}
        for commit in repo.history:
            assert all(parent in known for parent in commit.parents), commit.message
        merged = [pr for pr in repo.pull_requests if pr.merged_at is not None]
        assert merged
        for pr in merged:
            assert pr.merge_commit_oid in known
        if repo.merge_style == "merge":
            assert any(len(c.parents) == 2 for c in repo.history)


def test_pull_requests_have_realistic_shapes() -> None:
    org = generate(DemoConfig(seed=5, repositories=6, developers=20, months=4))
    prs = [pr for repo in org.repositories for pr in repo.pull_requests]
    sizes = [pr.additions + pr.deletions for pr in prs]
    # Log-normal: the mean sits well above the median, a long tail of big changes.
    assert statistics.mean(sizes) > 1.5 * statistics.median(sizes)
    authors = {pr.author for pr in prs}
    assert {"dependabot[bot]", "renovate[bot]"} <= authors
    reviewers = {r.author for pr in prs for r in pr.reviews}
    assert "greptile-apps[bot]" in reviewers
    kinds = {pr.kind for pr in prs}
    assert {"feature", "fix", "dependency", "revert", "hotfix"} <= kinds
    assert any(e.type == "READY_FOR_REVIEW_EVENT" for pr in prs for e in pr.timeline), (
        "some pull requests start as drafts"
    )
    rounds = [sum(1 for r in pr.reviews if r.state == "CHANGES_REQUESTED") for pr in prs]
    assert max(rounds) >= 2, "some pull requests go through several review rounds"
    # Review delays vary by person.
    waits: dict[str, list[float]] = {}
    for pr in prs:
        for review in pr.reviews:
            if not review.author.endswith("[bot]"):
                hours = (review.submitted_at - pr.created_at).total_seconds() / 3600
                waits.setdefault(review.author, []).append(hours)
    medians = [statistics.median(v) for v in waits.values() if len(v) >= 5]
    assert max(medians) > 2 * min(medians)


def test_deployments_fail_and_are_rerun() -> None:
    org = generate(DemoConfig(seed=5, repositories=6, developers=20, months=4))
    services = [r for r in org.repositories if r.kind == "service"]
    names = {w.name for r in services for w in r.workflows}
    assert {"CI", "Deploy to production", "Deploy to staging"} <= names
    deployments = [d for r in services for d in r.deployments]
    states = {d.statuses[-1].state for d in deployments}
    assert {"success", "failure"} <= states
    runs = [run for r in services for run in r.workflow_runs]
    assert any(len(run.attempts) > 1 for run in runs)
    environments = {d.environment for d in deployments}
    assert environments == {"production", "staging"}
    libraries = [r for r in org.repositories if r.kind == "library"]
    assert any(r.releases for r in libraries)


def test_advance_lets_time_pass() -> None:
    org = generate(CONFIG)
    before = org.pull_request_count
    reviews_before = sum(len(pr.reviews) for r in org.repositories for pr in r.pull_requests)
    start = org.now
    advance(org, timedelta(days=3))
    assert org.now == start + timedelta(days=3)
    assert org.pull_request_count > before
    reviews_after = sum(len(pr.reviews) for r in org.repositories for pr in r.pull_requests)
    assert reviews_after > reviews_before
    assert all(pr.created_at <= org.now for r in org.repositories for pr in r.pull_requests)


def test_time_cannot_go_backwards() -> None:
    org = generate(CONFIG)
    with pytest.raises(ValueError, match="forward"):
        advance(org, timedelta(hours=-1))


def test_an_exact_pull_request_count_for_benchmarks() -> None:
    org = generate(DemoConfig(seed=1, repositories=5, developers=12, months=2, pull_requests=700))
    # Reverts and hotfixes come on top of the requested number.
    assert 700 <= org.pull_request_count < 760


def test_naive_now_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        DemoConfig(now=datetime(2026, 1, 1))


FINGERPRINT = """
import hashlib
from veelocity.demo import DemoConfig, generate
org = generate(DemoConfig(seed=9, repositories=3, developers=6, months=2))
digest = hashlib.sha256()
for repo in org.repositories:
    for pr in repo.pull_requests:
        oids = [c.oid for c in pr.commits]
        digest.update(f"{pr.node_id}{pr.title}{pr.updated_at}{oids}".encode())
    for deployment in repo.deployments:
        digest.update(f"{deployment.id}{deployment.sha}".encode())
print(digest.hexdigest())
"""


def test_the_same_organisation_in_every_process() -> None:
    """Separate processes (a killed sync and its fake, say) must agree on every id."""
    import os
    import subprocess
    import sys

    digests = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_review_waits_depend_on_the_hour_of_the_request() -> None:
    """A request made in the afternoon often waits for the next morning."""
    org = generate(DemoConfig(seed=5, repositories=6, developers=20, months=4))
    morning: list[float] = []
    afternoon: list[float] = []
    for repo in org.repositories:
        for pr in repo.pull_requests:
            requests = [e for e in pr.timeline if e.type == "REVIEW_REQUESTED_EVENT"]
            reviews = [r for r in pr.reviews if not r.author.endswith("[bot]")]
            if not requests or not reviews:
                continue
            asked = requests[0].created_at
            wait = (reviews[0].submitted_at - asked).total_seconds() / 3600
            if 8 <= asked.hour < 12:
                morning.append(wait)
            elif 14 <= asked.hour < 18:
                afternoon.append(wait)
    assert statistics.median(afternoon) > 2 * statistics.median(morning)


def test_issues_do_not_change_the_rest_of_the_organisation() -> None:
    """Issues draw from their own random source: the other data of a seed stays put."""
    from veelocity.demo import issues

    # Without Linear, whose incidents (and so its links' titles) follow GitHub's incidents.
    config = replace(CONFIG, linear=False)
    with_issues = _fingerprint(config)
    original = issues.IssueTracker.start
    issues.IssueTracker.start = lambda self, repository, after: None  # type: ignore[method-assign]
    try:
        without = _fingerprint(config)
    finally:
        issues.IssueTracker.start = original  # type: ignore[method-assign]
    assert with_issues == without


def test_issues_are_ordinary_or_incidents_after_production_deployments() -> None:
    org = generate(DemoConfig(seed=5, repositories=6, developers=20, months=4))
    issues = [i for r in org.repositories for i in r.issues]
    assert len(issues) == len({(i.id, i.number) for i in issues})
    labels = {label for i in issues for label in i.labels}
    assert {"bug", "enhancement", "question", "incident", "severity:high"} <= labels
    reasons = {i.state_reason for i in issues if i.closed_at is not None}
    assert {"completed", "not_planned"} <= reasons
    assert any(i.closed_at is None for i in issues)
    pr_numbers = {pr.number for r in org.repositories for pr in r.pull_requests}
    assert not pr_numbers & {i.number for i in issues}
    for repo in org.repositories:
        incidents = [i for i in repo.issues if "incident" in i.labels]
        if repo.kind == "library":
            assert not incidents
            continue
        assert incidents, repo.name
        production = [
            d.statuses[-1].created_at
            for d in repo.deployments
            if d.environment == "production" and d.statuses
        ]
        for incident in incidents:
            assert incident.created_at <= org.now
            # opened after a production deployment, within hours (or before a revert)
            assert any(at <= incident.created_at for at in production)
            if incident.closed_at is not None:
                assert incident.state_reason == "completed"
                assert incident.closed_at > incident.created_at
                assert any(incident.created_at <= at <= incident.closed_at for at in production), (
                    "closed once a later deployment shipped"
                )


def test_advance_opens_and_closes_issues() -> None:
    org = generate(CONFIG)
    before = sum(len(r.issues) for r in org.repositories)
    open_before = {i.id for r in org.repositories for i in r.issues if i.closed_at is None}
    advance(org, timedelta(days=14))
    after = [i for r in org.repositories for i in r.issues]
    assert len(after) > before
    assert any(i.id in open_before and i.closed_at is not None for i in after)
    assert all(i.updated_at <= org.now for i in after)
