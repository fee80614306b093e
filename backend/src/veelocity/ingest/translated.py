"""Events in another tool's format, translated to native items and written as one batch.

A translator turns a sender's event into native JSON items and says where each native field
came from in the sender's format, so a problem is reported in the sender's own terms
(`customData.repository: …`, not `repository: …`). Deployments are written before incidents,
in the caller's transaction: all or nothing, with the native items' validation and keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from veelocity.core.config import Settings
from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import DeploymentIn, IncidentIn
from veelocity.ingest.service import IngestKind, ingest_items
from veelocity.store import WriteReport


@dataclass
class TranslatedItem:
    """One native item, and for each native field the sender's field it came from."""

    data: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)


@dataclass
class Translated:
    deployments: list[TranslatedItem] = field(default_factory=list)
    incidents: list[TranslatedItem] = field(default_factory=list)


def _sender_location(item: TranslatedItem, location: tuple[str | int, ...]) -> str:
    if not location:
        return "the event"
    head, *rest = location
    origin = item.origins.get(str(head), str(head))
    return ".".join([origin, *(str(part) for part in rest)])


def _validated(model: type[Any], items: list[TranslatedItem]) -> list[Any]:
    valid = []
    problems: list[dict[str, Any]] = []
    for item in items:
        try:
            valid.append(model.model_validate(item.data))
        except ValidationError as exc:
            for error in exc.errors():
                where = _sender_location(item, tuple(error["loc"]))
                problems.append(
                    {"loc": ["body", *where.split(".")], "msg": error["msg"], "type": error["type"]}
                )
    if problems:
        first = problems[0]
        raise InvalidInput(
            f"{'.'.join(map(str, first['loc'][1:]))}: {first['msg']}", details=problems
        )
    return valid


def ingest_translated(session: Session, settings: Settings, translated: Translated) -> WriteReport:
    """Validate every translated item, then write deployments and incidents."""
    deployments: list[DeploymentIn] = _validated(DeploymentIn, translated.deployments)
    incidents: list[IncidentIn] = _validated(IncidentIn, translated.incidents)
    report = WriteReport()
    if deployments:
        report.merge(
            ingest_items(session, settings, IngestKind.DEPLOYMENTS, deployments, loc_root=("body",))
        )
    if incidents:
        report.merge(
            ingest_items(session, settings, IngestKind.INCIDENTS, incidents, loc_root=("body",))
        )
    return report
