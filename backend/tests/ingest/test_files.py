"""Reading import files, in process: kinds from names, CSV cells, whole-file writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.ingest.conftest import SHA_A, SHA_B, deployment
from veelocity.core.config import Settings
from veelocity.ingest.files import ImportFailed, import_file, infer_kind, parse_kind, read_items
from veelocity.ingest.payloads import DeploymentIn, IncidentIn, PullRequestIn
from veelocity.ingest.service import IngestKind
from veelocity.models import Deployment, DeploymentListedCommit


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("deployments.csv", IngestKind.DEPLOYMENTS),
        ("jenkins-deploys-2025.json", IngestKind.DEPLOYMENTS),
        ("prod_deployments.json", IngestKind.DEPLOYMENTS),
        ("pagerduty-incidents.csv", IngestKind.INCIDENTS),
        ("pull_requests.csv", IngestKind.PULL_REQUESTS),
        ("gitlab-mrs.json", IngestKind.PULL_REQUESTS),
        ("prs.csv", IngestKind.PULL_REQUESTS),
    ],
)
def test_the_kind_is_inferred_from_the_file_name(name: str, kind: IngestKind) -> None:
    assert infer_kind(Path(name)) is kind


@pytest.mark.parametrize("name", ["export.json", "deployment-incidents.csv"])
def test_an_unclear_name_asks_for_the_kind(name: str) -> None:
    with pytest.raises(ImportFailed, match="pass --kind"):
        infer_kind(Path(name))


def test_a_kind_option_must_name_a_kind() -> None:
    assert parse_kind("Pull-Requests") is IngestKind.PULL_REQUESTS
    with pytest.raises(ImportFailed, match="must be one of deployments, incidents, pull-requests"):
        parse_kind("builds")


def test_csv_cells_become_the_api_shape(tmp_path: Path) -> None:
    path = tmp_path / "deployments.csv"
    path.write_text(
        "source, external_id ,repository,environment,status,finished_at,commits\n"
        f"jenkins,7,acme/api,production,success,2025-03-03T09:07:00Z, {SHA_A} ; {SHA_B};\n"
        ",,,,,,\n"
        "jenkins,8,acme/api,production,failure,2025-03-03T10:07:00Z,\n"
    )
    [first, second] = read_items(path, IngestKind.DEPLOYMENTS)
    assert first.label == "line 2"
    assert first.data["commits"] == [SHA_A, SHA_B]
    assert first.data["external_id"] == "7"
    assert second.label == "line 4"
    assert "commits" not in second.data


def test_unknown_csv_columns_are_named_with_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "deployments.csv"
    path.write_text("source,external_id,sha\njenkins,1,abc\n")
    with pytest.raises(ImportFailed, match=r"unknown column\(s\) 'sha' for deployments"):
        read_items(path, IngestKind.DEPLOYMENTS)


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("source,external_id\npagerduty,1,extra\n")
    with pytest.raises(ImportFailed, match="line 2 has more cells than the header"):
        read_items(path, IngestKind.INCIDENTS)


def test_json_must_be_a_list_or_items(tmp_path: Path) -> None:
    path = tmp_path / "deployments.json"
    path.write_text("[1, 2")
    with pytest.raises(ImportFailed, match="not valid JSON"):
        read_items(path, IngestKind.DEPLOYMENTS)
    path.write_text('"deployments"')
    with pytest.raises(ImportFailed, match="must hold a list of items"):
        read_items(path, IngestKind.DEPLOYMENTS)


def test_other_file_types_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"expected a \.json or \.csv file"):
        read_items(tmp_path / "deployments.xlsx", IngestKind.DEPLOYMENTS)


def test_a_file_may_hold_more_items_than_one_api_request(
    tmp_path: Path, settings: Settings, session: Session
) -> None:
    items = [deployment(external_id=str(n), commit_sha=None) for n in range(1200)]
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"items": items}))

    result = import_file(session, settings, path, "Deployments")

    assert (result.kind, result.report.created) == (IngestKind.DEPLOYMENTS, 1200)
    assert session.scalar(select(func.count()).select_from(Deployment)) == 1200


def test_problems_beyond_twenty_are_counted(
    tmp_path: Path, settings: Settings, session: Session
) -> None:
    items = [deployment(external_id=str(n), status="skipped") for n in range(25)]
    path = tmp_path / "deployments.json"
    path.write_text(json.dumps(items))
    with pytest.raises(ImportFailed) as raised:
        import_file(session, settings, path)
    message = str(raised.value)
    assert message.startswith("the file has 25 problem(s); nothing was imported:")
    assert "items.19: status:" in message
    assert "items.20: status:" not in message
    assert message.endswith("… and 5 more")


DOC = Path(__file__).resolve().parents[3] / "docs" / "ingest.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_json_examples_in_the_docs_are_valid_items() -> None:
    checked = 0
    for block in _blocks("json"):
        try:
            item = json.loads(block)
        except json.JSONDecodeError:
            continue  # an abridged response, not an item
        if not isinstance(item, dict) or "source" not in item:
            continue
        model = (
            DeploymentIn
            if "environment" in item
            else PullRequestIn
            if "created_at" in item
            else IncidentIn
        )
        model.model_validate(item)
        checked += 1
    assert checked == 3


def test_the_csv_examples_in_the_docs_import(
    tmp_path: Path, settings: Settings, session: Session
) -> None:
    names = ["deployments.csv", "incidents.csv", "pull-requests.csv"]
    blocks = _blocks("csv")
    assert len(blocks) == len(names)
    created = []
    for name, block in zip(names, blocks, strict=True):
        path = tmp_path / name
        path.write_text(block)
        created.append(import_file(session, settings, path).report.created)
    assert created == [2, 2, 1]


def test_a_csv_deployment_names_the_pull_requests_it_ships(
    tmp_path: Path, settings: Settings, session: Session
) -> None:
    pulls = tmp_path / "pull-requests.csv"
    pulls.write_text(
        "source,external_id,repository,number,url,created_at,merged_at,merge_commit_sha\n"
        f"gitlab,1,acme/api,311,,2025-03-01T08:00:00Z,2025-03-02T08:00:00Z,{SHA_A}\n"
        "gitlab,2,acme/api,312,https://gitlab.example.com/acme/api/-/merge_requests/312,"
        f"2025-03-01T08:00:00Z,2025-03-02T09:00:00Z,{SHA_B}\n"
    )
    deployments = tmp_path / "deployments.csv"
    deployments.write_text(
        "source,external_id,repository,status,finished_at,pull_requests\n"
        "jenkins,7,acme/api,success,2025-03-03T09:07:00Z,"
        "311;https://gitlab.example.com/acme/api/-/merge_requests/312\n"
    )
    import_file(session, settings, pulls)
    import_file(session, settings, deployments)
    stored = session.scalars(select(Deployment)).one()
    assert stored.environment == "production"
    listed = session.scalars(
        select(DeploymentListedCommit.sha).where(DeploymentListedCommit.deployment_id == stored.id)
    ).all()
    assert sorted(listed) == sorted([SHA_A, SHA_B])
