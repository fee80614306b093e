"""`veelocity import FILE`, run as a real process against the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests.ingest.conftest import SHA_A, SHA_B, deployment, incident
from veelocity.core.config import Settings
from veelocity.models import Deployment, Incident, PullRequest, PullRequestEvent

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_import(settings: Settings, database_url: str) -> Run:
    assert settings.veelocity_encryption_key is not None
    assert settings.jwt_secret_key is not None
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VEELOCITY_ENCRYPTION_KEY": settings.veelocity_encryption_key.get_secret_value(),
        "JWT_SECRET_KEY": settings.jwt_secret_key.get_secret_value(),
        "VEELOCITY_DATA_DIR": str(settings.veelocity_data_dir),
        "LOG_LEVEL": "WARNING",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "veelocity", "import", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _count(db: Session, model: type) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model)) or 0


def _write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_a_json_list_of_deployments_is_imported_and_re_importing_changes_nothing(
    run_import: Run, tmp_path: Path, db: Session
) -> None:
    path = _write_json(
        tmp_path / "jenkins-deployments.json",
        [deployment(external_id="1"), deployment(external_id="2", status="failure")],
    )
    first = run_import(str(path))
    again = run_import(str(path))

    assert first.returncode == 0, first.stderr
    assert (
        "imported deployments from jenkins-deployments.json: received 2, created 2, "
        "updated 0, unchanged 0" in first.stdout
    )
    assert "received 2, created 0, updated 0, unchanged 2" in again.stdout
    assert _count(db, Deployment) == 2


def test_a_csv_of_pull_requests_with_nested_lists(
    run_import: Run, tmp_path: Path, db: Session
) -> None:
    path = tmp_path / "pull_requests.csv"
    path.write_text(
        "source,external_id,repository,number,title,author,created_at,merged_at,"
        "merge_commit_sha,additions,deletions,labels,commits,events\n"
        "gitlab,311,acme/api,311,Export invoices,alice,2025-03-01T08:30:00Z,"
        f"2025-03-02T16:00:00Z,{SHA_A},120,8,feature;billing,"
        f"{SHA_B} 2025-02-28T17:00:00Z,"
        '"comment carol 2025-03-01T12:00:00Z; review bob 2025-03-02T09:00:00Z APPROVED; '
        'review_requested alice 2025-03-01T09:00:00Z bob"\n'
        "gitlab,312,acme/api,312,Fix typo,bob,2025-03-02T08:00:00Z,,,,,,,\n"
    )
    result = run_import(str(path))

    assert result.returncode == 0, result.stderr
    assert "received 2, created 2" in result.stdout
    db.rollback()
    merged = db.scalars(select(PullRequest).where(PullRequest.number == 311)).one()
    assert (merged.state, merged.labels, merged.additions) == (
        "merged",
        ["feature", "billing"],
        120,
    )
    assert db.scalars(select(PullRequest.state).where(PullRequest.number == 312)).one() == "open"
    events = db.execute(
        select(PullRequestEvent.kind, PullRequestEvent.state, PullRequestEvent.subject_login)
    ).all()
    assert sorted(events) == [
        ("comment", None, None),
        ("review", "APPROVED", None),
        ("review_requested", None, "bob"),
    ]


def test_a_csv_of_incidents_naming_a_deployment(
    run_import: Run, tmp_path: Path, db: Session
) -> None:
    run_import(str(_write_json(tmp_path / "deployments.json", [deployment()])))
    path = tmp_path / "incidents.csv"
    path.write_text(
        "source,external_id,title,service,started_at,resolved_at,severity,"
        "deployment_source,deployment_external_id\n"
        "pagerduty,Q1,Checkout errors,checkout,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,"
        "sev2,jenkins,api-deploy-1\n"
    )
    result = run_import(str(path))

    assert result.returncode == 0, result.stderr
    db.rollback()
    assert (
        db.scalars(select(Incident.caused_by_deployment_id)).one()
        == db.scalars(select(Deployment.id)).one()
    )


def test_an_invalid_row_names_its_line_and_nothing_is_imported(
    run_import: Run, tmp_path: Path, db: Session
) -> None:
    path = tmp_path / "deployments.csv"
    path.write_text(
        "source,external_id,repository,environment,status,finished_at,commits\n"
        f"jenkins,1,acme/api,production,success,2025-03-03T09:07:00Z,{SHA_A};{SHA_B}\n"
        "jenkins,2,acme/api,production,success,2025-03-03T09:07:00,\n"
        "jenkins,3,acme/api,production,skipped,2025-03-03T09:07:00Z,\n"
    )
    result = run_import(str(path))

    assert result.returncode == 2
    assert "the file has 2 problem(s); nothing was imported" in result.stderr
    assert "line 3: finished_at: the timestamp has no time zone" in result.stderr
    assert "line 4: status: " in result.stderr
    assert _count(db, Deployment) == 0


def test_an_unknown_deployment_fails_the_whole_file(
    run_import: Run, tmp_path: Path, db: Session
) -> None:
    items = [
        incident(external_id="A"),
        incident(external_id="B", deployment={"source": "jenkins", "external_id": "gone"}),
    ]
    result = run_import(str(_write_json(tmp_path / "incidents.json", items)))

    assert result.returncode == 2
    assert "items.1: deployment: no deployment with source 'jenkins'" in result.stderr
    assert _count(db, Incident) == 0


def test_the_kind_comes_from_the_option_when_the_name_does_not_say(
    run_import: Run, tmp_path: Path
) -> None:
    path = _write_json(tmp_path / "export.json", [deployment()])
    unnamed = run_import(str(path))
    assert unnamed.returncode == 2
    assert "pass --kind" in unnamed.stderr
    assert run_import(str(path), "--kind", "deployments").returncode == 0
