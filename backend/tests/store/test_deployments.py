"""Deployments upsert by (source, external_id); a listed commit set is replaced."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.conftest import T0, make_deployment
from veelocity.models import Deployment, DeploymentListedCommit, Repository
from veelocity.store import write_deployments


def _listed(session: Session) -> list[str]:
    return sorted(session.scalars(select(DeploymentListedCommit.sha)))


def test_a_deployment_is_created_in_a_new_repository(session: Session) -> None:
    report = write_deployments(session, [make_deployment()])

    deployment = session.scalars(select(Deployment)).one()
    assert (report.created, report.changes.deployment_ids) == (1, {deployment.id})
    assert session.scalars(select(Repository.full_name)).all() == ["acme/api"]
    assert (deployment.environment, deployment.status, deployment.commit_sha) == (
        "production",
        "success",
        "m101",
    )
    assert deployment.has_commit_list is False
    assert deployment.finished_at == T0 + timedelta(hours=6, minutes=10)


def test_re_sending_updates_never_duplicates(session: Session) -> None:
    write_deployments(session, [make_deployment()])
    same = write_deployments(session, [make_deployment()])
    failed = write_deployments(session, [make_deployment(status="failure")])

    assert (same.unchanged, same.changes.is_empty()) == (1, True)
    assert failed.updated == 1
    assert session.scalars(select(Deployment.status)).all() == ["failure"]


def test_a_commit_list_is_stored_replaced_and_kept_when_left_out(session: Session) -> None:
    write_deployments(session, [make_deployment(commits=("a1", "a2"))])
    assert _listed(session) == ["a1", "a2"]
    assert session.scalars(select(Deployment.has_commit_list)).one() is True

    kept = write_deployments(session, [make_deployment(commits=None)])
    assert kept.unchanged == 1
    assert _listed(session) == ["a1", "a2"]

    replaced = write_deployments(session, [make_deployment(commits=("a2", "a3"))])
    assert replaced.updated == 1
    assert _listed(session) == ["a2", "a3"]

    emptied = write_deployments(session, [make_deployment(commits=())])
    assert emptied.updated == 1
    assert _listed(session) == []
    assert session.scalars(select(Deployment.has_commit_list)).one() is True


def test_derived_columns_survive_an_update(session: Session) -> None:
    write_deployments(session, [make_deployment()])
    deployment = session.scalars(select(Deployment)).one()
    deployment.is_production = True
    session.flush()

    write_deployments(session, [make_deployment(url="https://ci.example/job/1")])
    session.refresh(deployment)
    assert (deployment.is_production, deployment.url) == (True, "https://ci.example/job/1")
