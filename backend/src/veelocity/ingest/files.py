"""`veelocity import FILE`: the push-ingest payloads read from a JSON or CSV file.

JSON holds a list of items, `{"items": [...]}`, or one item, exactly as the API takes
them. CSV holds one item per row under a header of field names; nested lists are
`;`-separated in one cell (see docs/ingest.md). Every item is validated like an API item,
and the file is written all-or-nothing; unlike the API there is no 1,000-item limit.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from veelocity.core.config import Settings
from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import IngestItem
from veelocity.ingest.service import KINDS, IngestKind, ingest_items
from veelocity.store import WriteReport

#: Errors printed at most; the rest are counted.
MAX_ERRORS_SHOWN = 20
LIST_SEPARATOR = ";"


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. The message says why."""


@dataclass(frozen=True)
class RawItem:
    #: Where the item is in the file, for messages: "items.3" or "line 5".
    label: str
    data: Any


@dataclass(frozen=True)
class ImportResult:
    kind: IngestKind
    report: WriteReport

    def summary(self, path: Path) -> str:
        r = self.report
        return (
            f"imported {self.kind.value} from {path.name}: received {r.received}, "
            f"created {r.created}, updated {r.updated}, unchanged {r.unchanged}"
        )


def parse_kind(value: str) -> IngestKind:
    try:
        return IngestKind(value.strip().lower())
    except ValueError:
        choices = ", ".join(kind.value for kind in IngestKind)
        raise ImportFailed(f"--kind must be one of {choices}, not {value!r}") from None


def infer_kind(path: Path) -> IngestKind:
    """The kind from a file name such as `deployments.csv` or `jenkins-incidents.json`."""
    name = path.stem.lower().replace("_", "-")
    words = set(name.replace(".", "-").split("-"))
    found = set()
    if "deployment" in name or "deploys" in words or "deploy" in words:
        found.add(IngestKind.DEPLOYMENTS)
    if "incident" in name:
        found.add(IngestKind.INCIDENTS)
    if "pull-request" in name or "pullrequest" in name or words & {"pr", "prs", "mr", "mrs"}:
        found.add(IngestKind.PULL_REQUESTS)
    if len(found) != 1:
        raise ImportFailed(
            f"cannot tell from the name {path.name!r} whether it holds deployments, incidents "
            "or pull requests; pass --kind"
        )
    return found.pop()


def read_json(path: Path) -> list[RawItem]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path.name} is not valid JSON: {exc}") from None
    if isinstance(document, dict) and "items" in document:
        document = document["items"]
    elif isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise ImportFailed(f'{path.name} must hold a list of items or {{"items": [...]}}')
    return [RawItem(f"items.{index}", item) for index, item in enumerate(document)]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _pull_request_commit(text: str) -> dict[str, Any]:
    # "sha" or "sha authored_at"
    sha, _, authored_at = text.partition(" ")
    commit: dict[str, Any] = {"sha": sha}
    if authored_at.strip():
        commit["authored_at"] = authored_at.strip()
    return commit


def _pull_request_event(text: str) -> dict[str, Any]:
    # "kind actor at", then the state of a review or the subject of review_requested
    parts = text.split()
    event: dict[str, Any] = dict(zip(("kind", "actor", "at"), parts[:3], strict=False))
    if len(parts) > 3:
        event["subject" if event.get("kind") == "review_requested" else "state"] = parts[3]
    if len(parts) > 4:
        event["unexpected"] = " ".join(parts[4:])  # refused by validation, named in the error
    return event


def _csv_columns(kind: IngestKind) -> set[str]:
    columns = set(KINDS[kind].item.model_fields)
    if kind is IngestKind.INCIDENTS:
        columns = (columns - {"deployment"}) | {"deployment_source", "deployment_external_id"}
    return columns


def _csv_item(kind: IngestKind, row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {name: value.strip() for name, value in row.items() if value.strip()}
    if kind is IngestKind.DEPLOYMENTS:
        for listed in ("commits", "pull_requests"):
            if listed in item:
                item[listed] = _split(item[listed])
    if kind is IngestKind.PULL_REQUESTS:
        if "labels" in item:
            item["labels"] = _split(item["labels"])
        if "commits" in item:
            item["commits"] = [_pull_request_commit(c) for c in _split(item["commits"])]
        if "events" in item:
            item["events"] = [_pull_request_event(e) for e in _split(item["events"])]
    if kind is IngestKind.INCIDENTS:
        source = item.pop("deployment_source", None)
        external_id = item.pop("deployment_external_id", None)
        if source is not None or external_id is not None:
            item["deployment"] = {"source": source, "external_id": external_id}
    return item


def read_csv(path: Path, kind: IngestKind) -> list[RawItem]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            unknown = [name for name in header if name not in _csv_columns(kind)]
            if unknown:
                known = ", ".join(sorted(_csv_columns(kind)))
                raise ImportFailed(
                    f"{path.name}: unknown column(s) {', '.join(map(repr, unknown))} for "
                    f"{kind.value}; the columns are: {known}"
                )
            reader.fieldnames = header
            items = []
            line = reader.line_num + 1
            for row in reader:
                if None in row:
                    raise ImportFailed(f"{path.name}: line {line} has more cells than the header")
                cells = {name: value or "" for name, value in row.items()}
                if any(cells.values()):
                    items.append(RawItem(f"line {line}", _csv_item(kind, cells)))
                line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path.name} is not UTF-8 text: {exc}") from None
    except csv.Error as exc:
        raise ImportFailed(f"{path.name} is not valid CSV: {exc}") from None
    return items


def read_items(path: Path, kind: IngestKind) -> list[RawItem]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".csv":
        return read_csv(path, kind)
    raise ImportFailed(f"{path.name}: expected a .json or .csv file")


def _describe(label: str, location: Sequence[str | int], message: str) -> str:
    where = ".".join(str(part) for part in location)
    return f"{label}: {where}: {message}" if where else f"{label}: {message}"


def validate_items(kind: IngestKind, raw: list[RawItem]) -> list[IngestItem]:
    """Every item validated as the API would; all problems gathered into one ImportFailed."""
    model = KINDS[kind].item
    items: list[IngestItem] = []
    problems: list[str] = []
    for entry in raw:
        try:
            items.append(model.model_validate(entry.data))
        except ValidationError as exc:
            problems += [_describe(entry.label, e["loc"], e["msg"]) for e in exc.errors()]
    if problems:
        raise _failure(problems)
    if not items:
        raise ImportFailed("the file holds no items")
    return items


def _failure(problems: list[str]) -> ImportFailed:
    shown = problems[:MAX_ERRORS_SHOWN]
    more = len(problems) - len(shown)
    lines = [f"the file has {len(problems)} problem(s); nothing was imported:", *shown]
    if more:
        lines.append(f"… and {more} more")
    return ImportFailed("\n  ".join(lines))


def import_file(
    session: Session, settings: Settings, path: Path, kind: str | None = None
) -> ImportResult:
    """Read, validate and write a whole file in the caller's transaction."""
    resolved = parse_kind(kind) if kind else infer_kind(path)
    raw = read_items(path, resolved)
    items = validate_items(resolved, raw)
    try:
        report = ingest_items(session, settings, resolved, items, prefix=("items",))
    except InvalidInput as exc:
        problems = []
        for detail in exc.details or []:
            _, index, *rest = detail["loc"]
            problems.append(_describe(raw[index].label, rest, detail["msg"]))
        raise _failure(problems or [exc.message]) from None
    return ImportResult(resolved, report)
