"""The documents the connector sends: valid against Linear's schema, priced as Linear prices
them, and each under Linear's 10,000 points per query."""

from __future__ import annotations

import math

import pytest
from graphql import get_operation_ast, parse, validate
from graphql.execution.values import VariableValues, get_variable_values

from veelocity.connectors.linear import cost, queries
from veelocity.connectors.linear.queries import More, PageRequest
from veelocity.fakes.linear.complexity import Costing
from veelocity.fakes.linear.schema import linear_schema

SINCE = "2026-03-01T10:00:00+00:00"

DOCUMENTS = {
    "first run": queries.changes(
        {stream: PageRequest(first=queries.LIST_PAGE) for stream in queries.STREAMS}, teams=True
    ),
    "incremental": queries.changes(
        {
            stream: PageRequest(
                since=SINCE,
                first=queries.ISSUES_FIRST_PAGE if stream == "issues" else queries.LIST_PAGE,
            )
            for stream in queries.STREAMS
        },
        teams=True,
    ),
    "issues page": queries.changes(
        {"issues": PageRequest(since=SINCE, after="cursor", first=queries.ISSUES_PAGE)}
    ),
    "follow-ups": queries.more(
        {f"issue-{n}": More("cursor", attachments=n % 2 == 0) for n in range(100)}
    ),
    "viewer": queries.VIEWER,
    "team access": queries.team_access(["team-1", "team-2"]),
}


def _fake_price(document: str) -> int:
    schema = linear_schema()
    parsed = parse(document)
    operation = get_operation_ast(parsed)
    assert operation is not None
    coerced = get_variable_values(schema, operation.variable_definitions or [], {})
    assert isinstance(coerced, VariableValues)
    return Costing(schema, parsed, coerced).operation(operation)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_is_valid_against_linears_schema(name: str) -> None:
    assert validate(linear_schema(), parse(DOCUMENTS[name])) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_connector_prices_a_query_as_linear_does(name: str) -> None:
    points = cost.points(DOCUMENTS[name])
    assert points == _fake_price(DOCUMENTS[name])
    assert points <= cost.MAX_POINTS


def test_an_issue_page_costs_what_the_rules_say() -> None:
    # per issue: the node (1) and 14 scalars (1.4); 7 related objects with their id (7 × 1.1);
    # history: the connection (1), 5 entries of 16 scalars (5 × 2.6), pageInfo (1.2);
    # attachments: the connection (1), 1 attachment of 5 scalars (1.5), pageInfo (1.1)
    per_issue = 1 + 1.4 + 7 * 1.1 + (1 + 5 * 2.6 + 1.2) + (1 + 1.5 + 1.1)
    connection = 1 + 1.2  # the issues connection and its pageInfo
    expected = math.ceil(connection + queries.ISSUES_PAGE * per_issue - 1e-9)
    assert cost.points(DOCUMENTS["issues page"]) == expected
