"""Loading the recorded real GitHub responses kept next to the contract tests."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).with_name("recorded")


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    status: int
    headers: dict[str, str]
    body: Any


def _first(value: Any) -> str:
    return str(value[0]) if isinstance(value, list) else str(value)


def betamax(name: str) -> list[Exchange]:
    """The exchanges of a github3.py cassette (bodies are base64 of gzip, or plain)."""
    document = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    exchanges = []
    for interaction in document["http_interactions"]:
        request, response = interaction["request"], interaction["response"]
        raw_body = response["body"]
        if "base64_string" in raw_body:
            raw = base64.b64decode(raw_body["base64_string"])
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
        else:
            raw = raw_body.get("string", "").encode()
        exchanges.append(
            Exchange(
                method=request["method"].upper(),
                url=request["uri"],
                request_headers={k.lower(): _first(v) for k, v in request["headers"].items()},
                status=int(response["status"]["code"]),
                headers={k.lower(): _first(v) for k, v in response["headers"].items()},
                body=json.loads(raw) if raw.strip() else None,
            )
        )
    return exchanges


def recorded_item(name: str, path_part: str) -> Any:
    """The first item (or the object) of the recorded response whose URL contains a part."""
    for exchange in betamax(name):
        if path_part in exchange.url and exchange.status == 200:
            body = exchange.body
            return body[0] if isinstance(body, list) else body
    raise LookupError(f"{name} has no 200 response for {path_part}")


def plain(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))
