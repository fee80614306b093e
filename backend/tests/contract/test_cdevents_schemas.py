"""CDEvents held to the published v0.5.1 schemas: the conformance examples and the events
the tests send (tests/ingest/test_cdevents_ingest.py pushes both)."""

from __future__ import annotations

import pytest

from tests.contract.cdevents_schemas import conformance_examples, schema_problems
from tests.ingest.test_cdevents_ingest import month_of_cdevents

EXAMPLES = conformance_examples()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_conformance_example_conforms_to_its_schema(name: str) -> None:
    assert schema_problems(EXAMPLES[name]) == []


def test_the_events_the_tests_send_conform_to_the_schemas() -> None:
    for event in month_of_cdevents("acme/api"):
        assert schema_problems(event) == [], event["context"]["type"]


def test_the_schemas_catch_an_event_that_does_not_conform() -> None:
    [event, *_] = month_of_cdevents("acme/api")
    del event["subject"]["content"]["environment"]
    assert schema_problems(event)
