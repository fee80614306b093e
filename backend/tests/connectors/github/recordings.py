"""Real GitHub exchanges recorded by github3.py's test suite (BSD-3-Clause, see
recorded/github3py.LICENSE; copied from sigmavirus24/github3.py tests/cassettes). Bodies are
base64 of gzip, as Betamax stores them."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "recorded"


@dataclass(frozen=True)
class Exchange:
    uri: str
    status: int
    headers: dict[str, list[str]]
    body: Any


def exchanges(name: str) -> list[Exchange]:
    cassette = json.loads((DATA / f"github3py-{name}.json").read_text())
    found = []
    for interaction in cassette["http_interactions"]:
        response = interaction["response"]
        stored = response["body"]
        raw = (
            base64.b64decode(stored["base64_string"])
            if stored.get("base64_string")
            else stored.get("string", "").encode()
        )
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        found.append(
            Exchange(
                interaction["request"]["uri"],
                response["status"]["code"],
                response["headers"],
                json.loads(raw) if raw else None,
            )
        )
    return found


def body_of(name: str, uri_part: str) -> Any:
    return next(e.body for e in exchanges(name) if uri_part in e.uri)
