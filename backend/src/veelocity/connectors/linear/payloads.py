"""Linear's answers mapped to records: plain functions over the JSON, strict about shapes.

A node missing a field the store needs is an answer we cannot use (`ConnectorError`), not a
row with holes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from veelocity.connectors.base import ConnectorError
from veelocity.records.linear import (
    LinearAttachmentRecord,
    LinearCycleRecord,
    LinearHistoryRecord,
    LinearIssueRecord,
    LinearLabelRecord,
    LinearProjectRecord,
    LinearTeamRecord,
    LinearUserRecord,
    LinearWorkflowStateRecord,
)

T = TypeVar("T")
Node = dict[str, Any]


def at(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConnectorError(f"Linear sent {value!r} where a time was expected")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConnectorError(f"Linear sent {value!r} where a time was expected") from None
    if parsed.tzinfo is None:
        raise ConnectorError(f"Linear sent a time without a zone: {value!r}")
    return parsed


def _required_at(node: Node, key: str) -> datetime:
    value = at(node.get(key))
    if value is None:
        raise ConnectorError(f"Linear sent a {key} of null for {node.get('id')!r}")
    return value


def _text(node: Node, key: str) -> str:
    value = node.get(key)
    if not isinstance(value, str):
        raise ConnectorError(f"Linear sent no {key} for {node.get('id')!r}")
    return value


def _id_of(node: Node, key: str) -> str | None:
    """The id of a related object selected as `key { id }` (None when there is none)."""
    related = node.get(key)
    if related is None:
        return None
    if not isinstance(related, dict) or not isinstance(related.get("id"), str):
        raise ConnectorError(f"Linear sent a {key} without an id for {node.get('id')!r}")
    return str(related["id"])


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def nodes(connection: Any, what: str) -> list[Node]:
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        raise ConnectorError(f"Linear's answer has no list of {what}")
    return [n for n in connection["nodes"] if isinstance(n, dict)]


def page_info(connection: Any) -> tuple[bool, str | None]:
    info = connection.get("pageInfo") if isinstance(connection, dict) else None
    if not isinstance(info, dict):
        return False, None
    end = info.get("endCursor")
    return bool(info.get("hasNextPage")), end if isinstance(end, str) else None


def team(node: Node) -> LinearTeamRecord:
    return LinearTeamRecord(_text(node, "id"), _text(node, "key"), _text(node, "name"))


def workflow_state(node: Node) -> LinearWorkflowStateRecord:
    return LinearWorkflowStateRecord(
        external_id=_text(node, "id"),
        team_external_id=_id_of(node, "team"),
        name=_text(node, "name"),
        type=_text(node, "type"),
        position=_float(node.get("position")) or 0.0,
        archived_at=at(node.get("archivedAt")),
    )


def user(node: Node) -> LinearUserRecord:
    email = node.get("email")
    return LinearUserRecord(
        external_id=_text(node, "id"),
        name=_text(node, "name"),
        display_name=node.get("displayName"),
        email=email if isinstance(email, str) and email else None,
        active=bool(node.get("active", True)),
    )


def label(node: Node) -> LinearLabelRecord:
    return LinearLabelRecord(_text(node, "id"), _text(node, "name"), _id_of(node, "team"))


def project(node: Node) -> LinearProjectRecord:
    return LinearProjectRecord(
        external_id=_text(node, "id"),
        name=_text(node, "name"),
        state=node.get("state"),
        url=node.get("url"),
        started_at=at(node.get("startedAt")),
        target_date=node.get("targetDate"),
        completed_at=at(node.get("completedAt")),
        archived_at=at(node.get("archivedAt")),
    )


def cycle(node: Node) -> LinearCycleRecord:
    team_id = _id_of(node, "team")
    if team_id is None:
        raise ConnectorError(f"Linear sent cycle {node.get('id')!r} without a team")
    number = node.get("number")
    return LinearCycleRecord(
        external_id=_text(node, "id"),
        team_external_id=team_id,
        number=int(number) if isinstance(number, int | float) else 0,
        name=node.get("name"),
        # a cycle without dates is kept with NULLs: it is listed, with no cycle figures
        starts_at=at(node.get("startsAt")),
        ends_at=at(node.get("endsAt")),
        completed_at=at(node.get("completedAt")),
        archived_at=at(node.get("archivedAt")),
    )


def history_entry(node: Node) -> LinearHistoryRecord:
    archived = node.get("archived")
    return LinearHistoryRecord(
        external_id=_text(node, "id"),
        at=_required_at(node, "createdAt"),
        actor_external_id=node.get("actorId"),
        from_state_external_id=node.get("fromStateId"),
        to_state_external_id=node.get("toStateId"),
        from_cycle_external_id=node.get("fromCycleId"),
        to_cycle_external_id=node.get("toCycleId"),
        from_estimate=_float(node.get("fromEstimate")),
        to_estimate=_float(node.get("toEstimate")),
        from_assignee_external_id=node.get("fromAssigneeId"),
        to_assignee_external_id=node.get("toAssigneeId"),
        from_team_external_id=node.get("fromTeamId"),
        to_team_external_id=node.get("toTeamId"),
        added_label_ids=_ids(node.get("addedLabelIds")),
        removed_label_ids=_ids(node.get("removedLabelIds")),
        archived=archived if isinstance(archived, bool) else None,
    )


def attachment(node: Node) -> LinearAttachmentRecord:
    return LinearAttachmentRecord(
        external_id=_text(node, "id"),
        url=_text(node, "url"),
        created_at=_required_at(node, "createdAt"),
        title=str(node.get("title") or ""),
        source_type=node.get("sourceType"),
    )


def issue(node: Node) -> tuple[LinearIssueRecord, str | None, bool]:
    """The issue with what its page held of history and attachments; then the cursor to
    read more history from (None when it is complete) and whether attachments were cut."""
    team_id, state_id = _id_of(node, "team"), _id_of(node, "state")
    if team_id is None or state_id is None:
        raise ConnectorError(f"Linear sent issue {node.get('id')!r} without a team or a state")
    history = node.get("history")
    more_history, history_cursor = page_info(history)
    attachments = node.get("attachments")
    more_attachments, _ = page_info(attachments)
    number = node.get("number")
    record = LinearIssueRecord(
        external_id=_text(node, "id"),
        identifier=_text(node, "identifier"),
        number=int(number) if isinstance(number, int | float) else 0,
        title=str(node.get("title") or ""),
        team_external_id=team_id,
        state_external_id=state_id,
        created_at=_required_at(node, "createdAt"),
        updated_at=_required_at(node, "updatedAt"),
        url=node.get("url"),
        cycle_external_id=_id_of(node, "cycle"),
        project_external_id=_id_of(node, "project"),
        assignee_external_id=_id_of(node, "assignee"),
        creator_external_id=_id_of(node, "creator"),
        parent_external_id=_id_of(node, "parent"),
        estimate=_float(node.get("estimate")),
        priority=int(node.get("priority") or 0),
        label_ids=_ids(node.get("labelIds")),
        started_at=at(node.get("startedAt")),
        completed_at=at(node.get("completedAt")),
        canceled_at=at(node.get("canceledAt")),
        archived_at=at(node.get("archivedAt")),
        history=tuple(history_entry(n) for n in nodes(history, "history entries")),
        history_complete=not more_history,
        attachments=(
            None
            if more_attachments
            else tuple(attachment(n) for n in nodes(attachments, "attachments"))
        ),
    )
    return record, history_cursor if more_history else None, more_attachments


def parse_all(items: list[Node], parse: Callable[[Node], T]) -> list[T]:
    return [parse(item) for item in items]
