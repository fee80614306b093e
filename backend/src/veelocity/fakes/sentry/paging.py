"""Sentry's cursor paging: `cursor="identifier:offset:is_prev"` and the `Link` header.

Both `rel="previous"` and `rel="next"` are always present, each with `results="true|false"`
(docs/api/pagination in getsentry/sentry-docs). Two paginators, as Sentry has them:

- by offset (projects, releases, commits, deploys, events): `0:<offset>:0`;
- by value (issues): the identifier is the sort value of the last item served (epoch
  milliseconds for dates, the number for counts) and the offset skips the items already served
  that share it, so an issue merged or deleted between two pages shifts nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import quote

T = TypeVar("T")


class InvalidCursor(ValueError):
    """A cursor Sentry would refuse: 400 `Invalid cursor parameter.`"""


@dataclass(frozen=True, slots=True)
class Cursor:
    value: int = 0
    offset: int = 0
    is_prev: bool = False

    def __str__(self) -> str:
        return f"{self.value}:{self.offset}:{int(self.is_prev)}"


def parse_cursor(text: str | None) -> Cursor | None:
    if text is None or text == "":
        return None
    parts = text.split(":")
    if len(parts) != 3:
        raise InvalidCursor(text)
    try:
        value, offset, is_prev = int(parts[0]), int(parts[1]), int(parts[2])
    except ValueError as error:
        raise InvalidCursor(text) from error
    if offset < 0 or is_prev not in (0, 1):
        raise InvalidCursor(text)
    return Cursor(value, offset, bool(is_prev))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    previous: Cursor
    next: Cursor
    has_previous: bool
    has_next: bool


def page_by_offset(items: Sequence[T], cursor: Cursor | None, limit: int) -> Page[T]:
    offset = cursor.offset if cursor else 0
    chosen = list(items[offset : offset + limit])
    return Page(
        items=chosen,
        previous=Cursor(0, max(0, offset - limit), True),
        next=Cursor(0, offset + limit, False),
        has_previous=offset > 0,
        has_next=offset + limit < len(items),
    )


def page_by_value(
    items: Sequence[T], descending_keys: Sequence[int], cursor: Cursor | None, limit: int
) -> Page[T]:
    """`items` sorted by their sort value descending; `descending_keys` holds those values
    negated (so ascending, for bisect)."""
    size = len(items)
    if cursor is None:
        start = 0
    else:
        # The first item whose value is at or below the cursor's value.
        at = bisect.bisect_left(descending_keys, -cursor.value)
        if cursor.is_prev:
            start = max(0, at - limit)
        else:
            # Skip the items sharing the cursor's value that were served already.
            ties_end = bisect.bisect_right(descending_keys, -cursor.value)
            start = min(at + cursor.offset, ties_end)
    chosen = list(items[start : start + limit])
    end = start + len(chosen)
    if chosen:
        last = -descending_keys[end - 1]
        run = bisect.bisect_left(descending_keys, -last)
        following = Cursor(last, end - run, False)
        first = -descending_keys[start]
    else:
        following = cursor or Cursor(0, 0, False)
        first = following.value
    return Page(
        items=chosen,
        previous=Cursor(first, 0, True),
        next=following,
        has_previous=start > 0,
        has_next=end < size,
    )


def link_header(url: str, query: list[tuple[str, str]], page: Page[T]) -> str:
    """`<url?query&cursor=X>; rel="previous"; results="…"; cursor="X", <…>; rel="next"; …`."""
    kept = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query if k != "cursor")
    base = f"{url}?{kept}" if kept else f"{url}?"
    entries = []
    for name, cursor, results in (
        ("previous", page.previous, page.has_previous),
        ("next", page.next, page.has_next),
    ):
        entries.append(
            f'<{base}&cursor={cursor}>; rel="{name}"; '
            f'results="{"true" if results else "false"}"; cursor="{cursor}"'
        )
    return ", ".join(entries)
