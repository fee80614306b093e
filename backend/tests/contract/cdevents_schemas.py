"""The published CDEvents v0.5.1 schemas (copied with their licence into cdevents/), as
validators, and the conformance examples that come with them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

CDEVENTS = Path(__file__).with_name("cdevents")

#: The schema file of each event kind (the type without its version).
SCHEMA_FILES = {
    "dev.cdevents.service.deployed": "servicedeployed.json",
    "dev.cdevents.service.upgraded": "serviceupgraded.json",
    "dev.cdevents.service.rolledback": "servicerolledback.json",
    "dev.cdevents.incident.detected": "incidentdetected.json",
    "dev.cdevents.incident.reported": "incidentreported.json",
    "dev.cdevents.incident.resolved": "incidentresolved.json",
}


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((CDEVENTS / "schemas").rglob("*.json")):
        document = json.loads(path.read_text())
        resources.append((document["$id"], Resource.from_contents(document)))
    registry: Registry = Registry().with_resources(resources)
    return registry


def validator_for(event_type: str) -> Draft202012Validator:
    kind = event_type.rsplit(".", 3)[0]
    schema = json.loads((CDEVENTS / "schemas" / SCHEMA_FILES[kind]).read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def schema_problems(event: dict[str, Any]) -> list[str]:
    """Where a CDEvent breaks its published schema; empty when it conforms."""
    validator = validator_for(event["context"]["type"])
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(event)
    ]


def conformance_examples() -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text())
        for path in sorted((CDEVENTS / "conformance").glob("*.json"))
    }
