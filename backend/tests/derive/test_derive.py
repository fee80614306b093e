"""Derive on the database: shipping, deployment links, incidents, failures, rework, recovery."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import (
    at,
    everything,
    make_commit,
    make_deployment,
    make_incident,
    make_issue,
    make_pull_request,
    make_repository,
)
from veelocity.derive import (
    ChangeSet,
    DeriveConfig,
    derive_all,
    derive_changes,
    derive_issue_incidents,
)
from veelocity.models import Deployment, DeploymentCommit, Incident, PullRequestFile
from veelocity.records import PullRequestFileRecord
from veelocity.store import write_pull_request_files

config = DeriveConfig()


def _shipped(session: Session, deployment: Deployment) -> set[str]:
    return set(
        session.scalars(
            select(DeploymentCommit.sha).where(DeploymentCommit.deployment_id == deployment.id)
        )
    )


def test_deployments_ship_the_commit_graph_difference(db_session: Session) -> None:
    repo = make_repository(db_session)
    # a ← b ← m1(merge of b and f) ← c ; f branches from a
    make_commit(db_session, repo, "a", [], at(days=-1))
    make_commit(db_session, repo, "b", ["a"], at(1))
    make_commit(db_session, repo, "f", ["a"], at(1.5))
    make_commit(db_session, repo, "m1", ["b", "f"], at(2))
    make_commit(db_session, repo, "c", ["m1"], at(30))
    first = make_deployment(db_session, repo, finished_at=at(3), commit_sha="m1")
    second = make_deployment(db_session, repo, finished_at=at(40), commit_sha="c")
    derive_changes(db_session, config, everything(db_session))
    assert _shipped(db_session, first) == {"a", "b", "f", "m1"}
    assert _shipped(db_session, second) == {"c"}
    assert second.previous_deployment_id == first.id


def test_a_first_deployment_does_not_absorb_years_of_history(db_session: Session) -> None:
    repo = make_repository(db_session)
    make_commit(db_session, repo, "ancient", [], at(days=-1500))
    old_pr = make_pull_request(
        db_session,
        repo,
        merged_at=at(days=-1400),
        merge_commit_sha="old",
        created_at=at(days=-1401),
    )
    make_commit(db_session, repo, "old", ["ancient"], at(days=-1400))
    recent_pr = make_pull_request(
        db_session, repo, merged_at=at(days=-2), merge_commit_sha="recent", created_at=at(days=-3)
    )
    make_commit(db_session, repo, "recent", ["old"], at(days=-2))
    deployment = make_deployment(db_session, repo, finished_at=at(), commit_sha="recent")
    derive_changes(db_session, config, everything(db_session))
    assert _shipped(db_session, deployment) == {"recent"}
    assert recent_pr.deployment_id == deployment.id
    assert recent_pr.deployed_at == at()
    assert old_pr.deployment_id is None
    assert old_pr.lead_time_seconds is None


def test_an_explicit_commit_list_wins_over_the_graph(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, merged_at=at(5), merge_commit_sha="abc")
    deployment = make_deployment(
        db_session, repo, finished_at=at(8), commit_sha="zzz", commits=["abc", "def"]
    )
    derive_changes(db_session, config, everything(db_session))
    assert _shipped(db_session, deployment) == {"abc", "def"}
    assert pr.deployed_at == at(8)


def test_without_a_graph_a_deployment_ships_what_merged_since_the_last_one(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    before = make_pull_request(db_session, repo, merged_at=at(2))
    first = make_deployment(db_session, repo, finished_at=at(3), commit_sha="x1")
    after = make_pull_request(db_session, repo, merged_at=at(4))
    second = make_deployment(db_session, repo, finished_at=at(6), commit_sha="x2")
    derive_changes(db_session, config, everything(db_session))
    assert before.deployment_id == first.id
    assert after.deployment_id == second.id


def test_the_earliest_started_deployment_shipping_the_merge_wins(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(
        db_session, repo, created_at=at(1), merged_at=at(5), merge_commit_sha="m", commits=[at(0)]
    )
    staging = make_deployment(
        db_session, repo, finished_at=at(6), commits=["m"], environment="staging"
    )
    late = make_deployment(db_session, repo, finished_at=at(9), commits=["m"], started_at=at(8))
    early = make_deployment(db_session, repo, finished_at=at(10), commits=["m"], started_at=at(7))
    derive_changes(db_session, config, everything(db_session))
    assert staging.is_production is False
    assert pr.deployment_id == early.id
    assert pr.deployed_at == at(10)
    assert pr.deploy_seconds == 5 * 3600
    # coding 1 h + opened→merged 4 h + deploy 5 h
    assert pr.lead_time_seconds == 10 * 3600
    assert late.id != early.id


def test_a_failed_run_is_a_failed_deployment_and_its_rerun_recovers_it(db_session: Session) -> None:
    repo = make_repository(db_session)
    failed = make_deployment(db_session, repo, finished_at=at(2), status="failure", commit_sha="s1")
    rerun = make_deployment(db_session, repo, finished_at=at(3), commit_sha="s1")
    derive_changes(db_session, config, everything(db_session))
    assert failed.is_failed is True
    assert failed.failure_reason == "the deployment run failed"
    assert failed.recovered_at == at(3)
    assert failed.recovery_seconds == 3600
    assert rerun.is_failed is False


def test_incidents_are_attributed_to_the_latest_deployment_within_the_window(
    db_session: Session,
) -> None:
    repo = make_repository(db_session, "acme/checkout")
    older = make_deployment(db_session, repo, finished_at=at(days=-1))
    latest = make_deployment(db_session, repo, finished_at=at())
    inside = make_incident(
        db_session, started_at=at(days=2), resolved_at=at(days=2, hours=3), repository_id=repo.id
    )
    outside = make_incident(db_session, started_at=at(days=8), repository_id=repo.id)
    by_service = make_incident(
        db_session, started_at=at(hours=1), resolved_at=at(hours=2), service="checkout"
    )
    derive_changes(db_session, config, everything(db_session))
    assert inside.attributed_deployment_id == latest.id
    assert "latest production deployment of acme/checkout" in (inside.attribution_reason or "")
    assert outside.attributed_deployment_id is None
    assert by_service.attributed_deployment_id == latest.id
    assert older.is_failed is False
    assert latest.is_failed is True
    assert "Outage" in (latest.failure_reason or "")
    # Recovered when both of its incidents were resolved.
    assert latest.recovered_at == at(days=2, hours=3)
    unresolved = make_incident(db_session, started_at=at(days=3), repository_id=repo.id)
    derive_changes(db_session, config, ChangeSet(incident_ids={unresolved.id}))
    assert latest.recovered_at is None


def test_an_explicit_link_wins_over_the_window(db_session: Session) -> None:
    repo = make_repository(db_session)
    named = make_deployment(db_session, repo, finished_at=at(days=-20))
    make_deployment(db_session, repo, finished_at=at())
    incident = make_incident(
        db_session,
        started_at=at(days=1),
        resolved_at=at(days=1, hours=2),
        repository_id=repo.id,
        caused_by_deployment_id=named.id,
    )
    derive_changes(db_session, config, everything(db_session))
    assert incident.attributed_deployment_id == named.id
    assert incident.attribution_reason == "linked to this deployment by the sender"
    assert named.recovered_at == at(days=1, hours=2)


def test_a_revert_is_an_incident_of_the_deployment_that_shipped_the_reverted_pr(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    original = make_pull_request(
        db_session, repo, title="Add search", merged_at=at(2), merge_commit_sha="o"
    )
    bad = make_deployment(db_session, repo, finished_at=at(3), commits=["o"])
    revert = make_pull_request(
        db_session,
        repo,
        title='Revert "Add search"',
        head_branch=f"revert-{original.number}-add-search",
        created_at=at(4),
        merged_at=at(5),
        merge_commit_sha="r",
    )
    fix = make_deployment(db_session, repo, finished_at=at(6), commits=["r"])
    derive_changes(db_session, config, everything(db_session))
    incident = db_session.scalar(
        select(Incident).where(Incident.revert_pull_request_id == revert.id)
    )
    assert incident is not None
    assert incident.started_at == at(4)
    assert incident.resolved_at == at(6)
    assert incident.attributed_deployment_id == bad.id
    assert (
        incident.attribution_reason
        == f"reverts PR #{original.number}, which this deployment shipped"
    )
    assert bad.is_failed is True
    assert fix.is_rework is True
    assert (fix.rework_reason or "").startswith("ships a revert")
    assert bad.recovered_at == at(6)
    assert bad.recovery_seconds == 3 * 3600


def test_hotfix_deployments_are_rework(db_session: Session) -> None:
    repo = make_repository(db_session)
    make_pull_request(
        db_session, repo, head_branch="hotfix/login", merged_at=at(2), merge_commit_sha="h"
    )
    deployment = make_deployment(db_session, repo, finished_at=at(3), commits=["h"])
    derive_changes(db_session, config, everything(db_session))
    assert deployment.is_rework is True


def test_a_late_deployment_is_picked_up_incrementally(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, merged_at=at(2), merge_commit_sha="m2")
    derive_changes(db_session, config, ChangeSet(pull_request_ids={pr.id}))
    assert pr.deployment_id is None
    deployment = make_deployment(db_session, repo, finished_at=at(3), commits=["m2"])
    derive_changes(db_session, config, ChangeSet(deployment_ids={deployment.id}))
    assert pr.deployment_id == deployment.id
    incident = make_incident(db_session, started_at=at(4), resolved_at=at(5), repository_id=repo.id)
    derive_changes(db_session, config, ChangeSet(incident_ids={incident.id}))
    assert deployment.is_failed is True
    assert deployment.recovered_at == at(5)


@pytest.mark.parametrize("seed", [7, 11, 13, 42])
def test_derive_all_equals_the_incremental_path(db_session: Session, seed: int) -> None:
    from tests.derive.history import build_random_history, derived_snapshot

    build_random_history(db_session, seed=seed, incremental=True, config=config)
    incremental = derived_snapshot(db_session)
    derive_all(db_session, config)
    assert derived_snapshot(db_session) == incremental
    assert any(row[1] is not None for row in incremental["pull_request"])
    assert any(row[1] for row in incremental["deployment"])


def test_a_late_sha_in_the_graph_is_resolved_when_commits_arrive(db_session: Session) -> None:
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, merged_at=at(days=-40), merge_commit_sha="p")
    first = make_deployment(db_session, repo, finished_at=at(days=-39), commit_sha="p")
    deployment = make_deployment(db_session, repo, finished_at=at(), commit_sha="q")
    derive_changes(db_session, config, everything(db_session))
    assert _shipped(db_session, deployment) == {"q"}
    make_commit(db_session, repo, "p", [], at(days=-40))
    make_commit(db_session, repo, "q", ["p"], at(-1))
    db_session.flush()
    derive_changes(db_session, config, ChangeSet(repository_ids_with_new_commits={repo.id}))
    assert _shipped(db_session, deployment) == {"q"}
    assert pr.deployment_id == first.id
    assert first.finished_at + timedelta(days=39) == deployment.finished_at


def _issue_incident(session: Session, issue_id: int) -> Incident | None:
    return session.scalar(select(Incident).where(Incident.issue_id == issue_id))


def test_an_issue_labelled_as_an_incident_fails_the_deployment_before_it(
    db_session: Session,
) -> None:
    repo = make_repository(db_session, "acme/checkout")
    deployment = make_deployment(db_session, repo, finished_at=at())
    outage = make_issue(
        db_session, repo, created_at=at(hours=2), closed_at=at(hours=5), labels=["Incident"]
    )
    feature = make_issue(db_session, repo, created_at=at(hours=1), labels=["enhancement"])
    dismissed = make_issue(
        db_session,
        repo,
        created_at=at(hours=3),
        closed_at=at(hours=4),
        labels=["incident"],
        state_reason="not_planned",
    )
    derive_changes(db_session, config, everything(db_session))

    incident = _issue_incident(db_session, outage.id)
    assert incident is not None
    assert (incident.source, incident.external_id) == ("github_issue", outage.external_id)
    assert (incident.started_at, incident.resolved_at) == (at(hours=2), at(hours=5))
    assert incident.attributed_deployment_id == deployment.id
    assert "latest production deployment of acme/checkout" in (incident.attribution_reason or "")
    assert _issue_incident(db_session, feature.id) is None
    assert _issue_incident(db_session, dismissed.id) is None
    assert deployment.is_failed is True
    assert deployment.recovered_at == at(hours=5)

    # The label is removed: no incident, and the deployment is no longer failed.
    outage.labels = ["bug"]
    db_session.flush()
    derive_changes(db_session, config, ChangeSet(issue_ids={outage.id}))
    assert _issue_incident(db_session, outage.id) is None
    assert deployment.is_failed is False


def test_new_incident_patterns_decide_again_which_issues_are_incidents(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at())
    outage = make_issue(db_session, repo, created_at=at(hours=1), labels=["sev1"])
    derive_changes(db_session, config, everything(db_session))
    assert _issue_incident(db_session, outage.id) is None
    assert deployment.is_failed is False

    derive_issue_incidents(db_session, DeriveConfig(incident_patterns=("incident", "SEV1")))
    assert _issue_incident(db_session, outage.id) is not None
    assert deployment.is_failed is True
    assert deployment.recovered_at is None  # the issue is still open


def test_pr_size_leaves_out_excluded_files_once_the_file_list_is_known(
    db_session: Session,
) -> None:
    sized = DeriveConfig(pr_size_exclude=("package-lock.json", "*.lock"))
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, merged_at=at(5), additions=900, deletions=150)
    derive_changes(db_session, sized, ChangeSet(pull_request_ids={pr.id}))
    assert pr.size == 1050  # no file list yet: every line counts

    report = write_pull_request_files(
        db_session,
        {
            (pr.source, pr.external_id): (
                PullRequestFileRecord("src/app.py", 40, 10),
                PullRequestFileRecord("web/package-lock.json", 800, 100),
                PullRequestFileRecord("api/Cargo.lock", 60, 40),
            )
        },
    )
    assert report.changes.resized_pull_request_ids == {pr.id}
    assert report.changes.pull_request_ids == set()  # nothing but the size depends on files
    derive_changes(db_session, sized, report.changes)
    assert pr.files_known is True
    assert pr.size == 50
    stored = db_session.scalars(select(PullRequestFile.path)).all()
    assert sorted(stored) == ["api/Cargo.lock", "src/app.py", "web/package-lock.json"]

    # the same list again changes nothing; derive_all agrees
    again = write_pull_request_files(
        db_session,
        {
            (pr.source, pr.external_id): (
                PullRequestFileRecord("src/app.py", 40, 10),
                PullRequestFileRecord("web/package-lock.json", 800, 100),
                PullRequestFileRecord("api/Cargo.lock", 60, 40),
            )
        },
    )
    assert again.changes.is_empty()
    derive_all(db_session, sized)
    assert pr.size == 50
