"""Computed metrics, kept per data version: the same question on the same data is answered once.

A dashboard asks the same few questions over and over (every viewer, every page load), and
the answers change only when a sync, an import or an edit commits new data. Each answer is
kept under the data version it was computed at (`veelocity.core.data_version`); the first
request that sees a newer version drops them all. Reading the version costs one primary-key
lookup, against the five to ten queries of a metric.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.data_version import DATA_VERSION_KEY
from veelocity.models import AppSetting

T = TypeVar("T")

#: Entries kept at most; a breakdown per repository is the largest, some tens of kilobytes.
DEFAULT_MAX_ENTRIES = 512


def data_version(session: Session) -> Any:
    """The data version this session sees (None before the first change ever). Read it before
    the data, so an answer is never filed under a version newer than what it read."""
    return session.scalar(select(AppSetting.value).where(AppSetting.key == DATA_VERSION_KEY))


class MetricCache:
    """A bounded, thread-safe map from a question to its answer at one data version."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: Any = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, version: Any, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                cached: T = self._entries[key]
                return cached
            self.misses += 1
        value = compute()
        with self._lock:
            if version == self._version:
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value
