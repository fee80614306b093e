"""The fake Cursor's answers have the fields and types of Cursor's example responses.

Every field of a recorded example (cursor/, see cursor/SOURCE.md) must be in the fake's answer,
with the same JSON type wherever both are non-null, recursively. The fake may add only the
fields listed in NEWER_FIELDS, which the newer Cursor documentation has and the examples do not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from veelocity.demo import DEFAULT_NOW, DemoConfig, generate
from veelocity.demo.ai import DemoAi
from veelocity.fakes.cursor import DEMO_KEY, FakeCursor, Options, run_fake_cursor

RECORDED = Path(__file__).with_name("cursor")
NEWER_FIELDS = {".teamMembers[0]": {"id", "isRemoved"}}
EVERYTHING = {"startDate": "2000-01-01", "endDate": "now"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_differences(real: Any, fake: Any, path: str = "") -> list[str]:
    """Where the fake's answer does not have the example's fields and types."""
    if real is None or fake is None:
        return []
    if _kind(real) != _kind(fake):
        return [f"{path or '.'}: real is {_kind(real)}, fake is {_kind(fake)}"]
    problems: list[str] = []
    if isinstance(real, dict):
        for key, value in real.items():
            if key not in fake:
                problems.append(f"{path}.{key}: missing from the fake")
            else:
                problems += shape_differences(value, fake[key], f"{path}.{key}")
        for key in fake.keys() - real.keys() - NEWER_FIELDS.get(path, set()):
            problems.append(f"{path}.{key}: only in the fake")
    elif isinstance(real, list) and real and fake:
        # The examples' items differ (only a token-based call has tokenUsage): each example
        # item is compared with a fake item of the same fields where there is one.
        for item in real:
            for problem in shape_differences(item, _twin(item, fake, path), f"{path}[0]"):
                if problem not in problems:
                    problems.append(problem)
    return problems


def _twin(item: Any, candidates: list[Any], path: str) -> Any:
    if not isinstance(item, dict):
        return candidates[0]
    newer = NEWER_FIELDS.get(f"{path}[0]", set())
    exact = [c for c in candidates if isinstance(c, dict) and c.keys() - newer == item.keys()]
    return exact[0] if exact else candidates[0]


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


@pytest.fixture(scope="module")
def cursor() -> Iterator[httpx.Client]:
    org = generate(DemoConfig(seed=11, repositories=4, developers=8, months=2))
    team = DemoAi(org, seed=11).cursor
    # The recorded usage events say kindLabel.
    fake = FakeCursor(team, options=Options(event_kind_field="kindLabel", max_range_days=90))
    with (
        run_fake_cursor(fake) as url,
        httpx.Client(base_url=url, auth=(DEMO_KEY, ""), timeout=30) as client,
    ):
        yield client


def _window(days: int) -> dict[str, int]:
    end = int(DEFAULT_NOW.timestamp() * 1000)
    return {"startDate": end - days * 86_400_000, "endDate": end}


def test_members_have_the_recorded_shape(cursor: httpx.Client) -> None:
    answer = cursor.get("/teams/members").json()

    assert shape_differences(recorded("members.json"), answer) == []


def test_daily_usage_has_the_recorded_shape(cursor: httpx.Client) -> None:
    answer = cursor.post("/teams/daily-usage-data", json=_window(30)).json()
    active = {**answer, "data": [row for row in answer["data"] if row["isActive"]]}

    assert active["data"]
    assert shape_differences(recorded("daily-usage-data.json"), active) == []


def test_usage_events_have_the_recorded_shape(cursor: httpx.Client) -> None:
    answer = cursor.post(
        "/teams/filtered-usage-events", json={**_window(30), "pageSize": 100}
    ).json()

    assert shape_differences(recorded("usage-events.json"), answer) == []


def test_ai_code_commits_have_the_recorded_shape(cursor: httpx.Client) -> None:
    answer = cursor.get("/analytics/ai-code/commits", params=EVERYTHING).json()

    assert answer["items"]
    assert shape_differences(recorded("ai-code-commits.json"), answer) == []


def test_the_documented_kind_field_is_not_the_recorded_label() -> None:
    """The check notices a renamed field: the docs' `kind` against the examples' `kindLabel`."""
    event = recorded("usage-events.json")["usageEvents"][2]
    renamed = {("kind" if k == "kindLabel" else k): v for k, v in event.items()}

    assert shape_differences(event, renamed) == [
        ".kindLabel: missing from the fake",
        ".kind: only in the fake",
    ]
