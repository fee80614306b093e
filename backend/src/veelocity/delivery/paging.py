"""Offset paging for lists that can grow: `page` from 1, a bounded `page_size`, a total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class Page(Generic[ItemT]):
    items: list[ItemT]
    total: int
    page: int
    page_size: int
