"""Comparing a value with the previous window's, knowing which direction is better."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Trend:
    change: float | None
    change_percent: float | None
    direction: str  # better | worse | same | unknown


def trend(current: float | None, previous: float | None, better: Better) -> Trend:
    if current is None or previous is None:
        return Trend(None, None, "unknown")
    change = current - previous
    percent = (change / previous * 100.0) if previous else None
    if change == 0:
        direction = "same"
    elif (change > 0) == (better is Better.HIGHER):
        direction = "better"
    else:
        direction = "worse"
    return Trend(change, percent, direction)
