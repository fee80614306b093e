"""Writing ingested items: check the batch as a whole, write the records, derive.

Everything happens in the caller's transaction, so a batch is all-or-nothing: any invalid
item (also one that only the database can judge, such as a reference to an unknown
deployment) raises InvalidInput and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from veelocity.core.config import Settings
from veelocity.core.errors import InvalidInput
from veelocity.credentials.store import derive_config
from veelocity.ingest.payloads import DeploymentIn, IncidentIn, IngestItem, PullRequestIn
from veelocity.ingest.shipped_pull_requests import merge_commits_of_named_pull_requests
from veelocity.store import (
    UnknownDeployment,
    WriteReport,
    write_deployments,
    write_incidents,
    write_pull_requests,
)


class IngestKind(StrEnum):
    DEPLOYMENTS = "deployments"
    INCIDENTS = "incidents"
    PULL_REQUESTS = "pull-requests"


@dataclass(frozen=True)
class KindSpec:
    item: type[IngestItem]
    write: Callable[[Session, Sequence[Any]], WriteReport]
    #: For messages: "deployment", "incident", "pull request".
    noun: str


#: The kinds of item ingest accepts. Adding one is one entry here.
KINDS: dict[IngestKind, KindSpec] = {
    IngestKind.DEPLOYMENTS: KindSpec(DeploymentIn, write_deployments, "deployment"),
    IngestKind.INCIDENTS: KindSpec(IncidentIn, write_incidents, "incident"),
    IngestKind.PULL_REQUESTS: KindSpec(PullRequestIn, write_pull_requests, "pull request"),
}


def _problem(location: list[str | int], message: str, kind: str) -> dict[str, Any]:
    return {"loc": location, "msg": message, "type": kind}


def _where(location: list[str | int]) -> str:
    return ".".join(str(part) for part in location)


def refuse_duplicates(
    items: Sequence[IngestItem],
    *,
    prefix: Sequence[str | int] = ("items",),
    loc_root: Sequence[str] = (),
) -> None:
    """Each (source, external_id) once per batch: a repeat is almost always a sender's bug,
    and which copy should win is not ours to guess."""
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for index, item in enumerate(items):
        key = (item.source, item.external_id)
        if key in seen:
            problems.append(
                _problem(
                    [*loc_root, *prefix, index],
                    f"the same source and external_id as {_where([*prefix, seen[key]])} "
                    f"({key[0]}, {key[1]}); send each item once",
                    "duplicate_item",
                )
            )
        else:
            seen[key] = index
    if problems:
        first = problems[0]
        where = _where(first["loc"][len(loc_root) :])
        raise InvalidInput(f"{where}: {first['msg']}", details=problems)


def ingest_items(
    session: Session,
    settings: Settings,
    kind: IngestKind,
    items: Sequence[IngestItem],
    *,
    prefix: Sequence[str | int] = ("items",),
    loc_root: Sequence[str] = (),
) -> WriteReport:
    """Write validated items of one kind and derive what they changed. Raises InvalidInput
    (naming `prefix.index.field`) when the batch as a whole cannot be written; `loc_root`
    starts the location in its details (the API's "body")."""
    spec = KINDS[kind]
    refuse_duplicates(items, prefix=prefix, loc_root=loc_root)
    records = _records(session, items, prefix=prefix, loc_root=loc_root)
    try:
        report = spec.write(session, records)
    except UnknownDeployment as exc:
        location = [*prefix, exc.position, "deployment"]
        problem = _problem([*loc_root, *location], exc.message, "unknown_deployment")
        raise InvalidInput(f"{_where(location)}: {exc.message}", details=[problem]) from None
    derive_after_write(session, settings, report)
    return report


def _records(
    session: Session,
    items: Sequence[IngestItem],
    *,
    prefix: Sequence[str | int],
    loc_root: Sequence[str],
) -> list[Any]:
    deployments = [item for item in items if isinstance(item, DeploymentIn)]
    if len(deployments) != len(items):
        return [item.to_record() for item in items]
    merge_commits = merge_commits_of_named_pull_requests(
        session, deployments, prefix=prefix, loc_root=loc_root
    )
    return [item.to_record(merge_commits.get(i, ())) for i, item in enumerate(deployments)]


def derive_after_write(session: Session, settings: Settings, report: WriteReport) -> None:
    """Recompute what the write touched, in the same transaction, so metrics never see
    ingested rows without their derived columns."""
    if report.changes.is_empty():
        return
    from veelocity.derive import derive_changes

    derive_changes(session, derive_config(session, settings), report.changes)
