"""Relay connections over plain lists: order, filter, `includeArchived`, cursors, `pageInfo`.

Linear returns 50 items unless `first`/`last` says otherwise and orders by `createdAt` unless
`orderBy: updatedAt` (linear.app/developers/pagination); both orders run newest first. A cursor
is opaque (base64 of the item's sort value and id), so it stays valid when items are added or
updated between two pages: paging resumes after the item it names, wherever that now sits.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from veelocity.fakes.graphql_executor import FieldError

Json = dict[str, Any]
DEFAULT_PAGE = 50
MAX_PAGE = 250


class Dated(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


T = TypeVar("T", bound=Dated)


def iso(moment: datetime | None) -> str | None:
    """Linear's DateTime: ISO 8601 in UTC with milliseconds (2026-03-01T09:30:00.000Z)."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def invalid_input(message: str) -> FieldError:
    return FieldError(
        message,
        extensions={
            "type": "invalid input",
            "code": "INVALID_INPUT",
            "statusCode": 400,
            "userError": True,
            "userPresentableMessage": message,
        },
    )


def _cursor(sort_value: datetime, item_id: str) -> str:
    # Full precision: two items in the same millisecond must still page apart.
    raw = json.dumps([sort_value.isoformat(), item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_value, item_id = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(str(sort_value)), str(item_id)
    except (ValueError, TypeError) as error:
        raise invalid_input(f"Invalid cursor: {cursor}") from error


_DURATION = re.compile(
    r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)


def moment(value: str, now: datetime) -> datetime:
    """A DateTimeOrDuration: an ISO 8601 date-time, or a duration from now (`-P2W`)."""
    match = _DURATION.match(value)
    if match and value not in ("P", "-P"):
        sign, years, months, weeks, days, hours, minutes, seconds = match.groups()
        delta = timedelta(
            days=365 * int(years or 0)
            + 30 * int(months or 0)
            + 7 * int(weeks or 0)
            + int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=int(seconds or 0),
        )
        return now - delta if sign else now + delta
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise invalid_input(f"Invalid DateTimeOrDuration: {value}") from error
    if parsed.tzinfo is None:
        raise invalid_input(f"Invalid DateTimeOrDuration (no time zone): {value}")
    return parsed


def _compare_dates(value: datetime | None, comparator: Json, now: datetime) -> bool:
    for operator, operand in comparator.items():
        if operand is None:
            continue
        if operator in ("in", "nin"):
            moments = [moment(o, now) for o in operand]
            if (value in moments) != (operator == "in"):
                return False
            continue
        if value is None:
            return False
        other = moment(operand, now)
        ok = {
            "eq": value == other,
            "neq": value != other,
            "gt": value > other,
            "gte": value >= other,
            "lt": value < other,
            "lte": value <= other,
        }.get(operator)
        if ok is None:
            raise invalid_input(f"The fake Linear does not implement DateComparator.{operator}")
        if not ok:
            return False
    return True


def _compare_ids(value: str | None, comparator: Json) -> bool:
    for operator, operand in comparator.items():
        if operand is None:
            continue
        ok = {
            "eq": value == operand,
            "neq": value != operand,
            "in": value in (operand or []),
            "nin": value not in (operand or []),
        }.get(operator)
        if ok is None:
            raise invalid_input(f"The fake Linear does not implement IDComparator.{operator}")
        if not ok:
            return False
    return True


def matches(
    item: Any, filter_: Json | None, now: datetime, team_of: Callable[[Any], str | None]
) -> bool:
    """Whether `item` passes a filter built of `id`, `createdAt`, `updatedAt`, `team: {id}`,
    `and` and `or`; any other field is refused, so a client never trusts an ignored filter."""
    if not filter_:
        return True
    for name, condition in filter_.items():
        if condition is None:
            continue
        if name == "id":
            ok = _compare_ids(item.id, condition)
        elif name in ("createdAt", "updatedAt"):
            value = item.created_at if name == "createdAt" else item.updated_at
            ok = _compare_dates(value, condition, now)
        elif name == "team":
            unknown = set(condition) - {"id"}
            if unknown:
                raise invalid_input(f"The fake Linear does not implement team filter {unknown}")
            ok = _compare_ids(team_of(item), condition.get("id") or {})
        elif name == "and":
            ok = all(matches(item, part, now, team_of) for part in condition)
        elif name == "or":
            ok = any(matches(item, part, now, team_of) for part in condition)
        else:
            raise invalid_input(f"The fake Linear does not implement the filter field {name!r}")
        if not ok:
            return False
    return True


def connection(
    items: Sequence[T],
    node: Callable[[T], Json],
    arguments: Json,
    *,
    archived_at: Callable[[T], datetime | None] | None = None,
    now: datetime | None = None,
    team_of: Callable[[Any], str | None] = lambda _item: None,
) -> Json:
    """A `...Connection` value for `items` under Linear's paging arguments."""
    chosen: list[T] = list(items)
    if archived_at is not None and not arguments.get("includeArchived"):
        chosen = [item for item in chosen if archived_at(item) is None]
    filter_ = arguments.get("filter")
    if filter_:
        assert now is not None, "filtering by dates needs the workspace's clock"
        chosen = [item for item in chosen if matches(item, filter_, now, team_of)]
    by_updated = arguments.get("orderBy") == "updatedAt"

    def sort_value(item: T) -> datetime:
        return item.updated_at if by_updated else item.created_at

    chosen.sort(key=lambda item: (sort_value(item), item.id), reverse=True)
    start, end = 0, len(chosen)
    after, before = arguments.get("after"), arguments.get("before")
    if after:
        position = _decode(after)
        # Newest first: the items after a cursor sort below it.
        start = next(
            (i for i, item in enumerate(chosen) if (sort_value(item), item.id) < position),
            len(chosen),
        )
    if before:
        position = _decode(before)
        end = next(
            (i for i, item in enumerate(chosen) if (sort_value(item), item.id) <= position),
            len(chosen),
        )
        end = max(end, start)
    first, last = arguments.get("first"), arguments.get("last")
    for name, size in (("first", first), ("last", last)):
        if size is not None and size < 0:
            raise invalid_input(f"Argument `{name}` must be positive")
    if first is None and last is None:
        first = DEFAULT_PAGE
    window = list(range(start, end))
    if first is not None:
        window = window[: min(first, MAX_PAGE)]
    if last is not None:
        window = window[-min(last, MAX_PAGE) :] if last else []
    page = [chosen[i] for i in window]
    cursors = [_cursor(sort_value(item), item.id) for item in page]
    nodes = [node(item) for item in page]
    return {
        "nodes": nodes,
        "edges": [{"node": n, "cursor": c} for n, c in zip(nodes, cursors, strict=True)],
        "pageInfo": {
            "hasNextPage": bool(window) and window[-1] + 1 < end
            if first is not None
            else bool(window) and window[-1] + 1 < len(chosen),
            "hasPreviousPage": bool(window) and window[0] > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }
