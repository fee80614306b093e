"""Every GraphQL document the connector sends is one GitHub's real schema accepts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_schema, parse, validate

from veelocity.connectors.github import queries
from veelocity.fakes.github.limits import analyse

SCHEMA = Path(__file__).parent / "recorded" / "schema.graphql"


@cache
def github_schema() -> GraphQLSchema:
    # The published SDL repeats two fields of EnterpriseOwnerInfo and deprecates some
    # interface fields only on their implementations; GitHub serves it as it is, so it is
    # taken as valid (graphql-core records a schema's own check in _validation_errors).
    schema = build_schema(SCHEMA.read_text(), assume_valid_sdl=True)
    schema._validation_errors = []
    return schema


@pytest.mark.parametrize("name", sorted(queries.ALL))
def test_query_is_valid_against_githubs_schema(name: str) -> None:
    errors = validate(github_schema(), parse(queries.ALL[name]))
    assert errors == [], [error.message for error in errors]


def test_a_query_github_would_reject_is_rejected() -> None:
    broken = queries.PULL_REQUESTS.replace("mergedAt", "mergedWhen")
    errors = validate(github_schema(), parse(broken))
    assert any("mergedWhen" in error.message for error in errors)


def test_a_full_pull_request_page_stays_under_githubs_node_limit() -> None:
    per_pull_request = (
        queries.REVIEWS * (1 + queries.REVIEW_COMMENTS)
        + queries.COMMENTS
        + queries.COMMITS
        + queries.TIMELINE
        + queries.LABELS
    )
    assert 100 * (1 + per_pull_request) < 500_000


def test_a_full_pull_request_page_costs_about_twenty_points_by_githubs_rules() -> None:
    # The fake GitHub prices queries as GitHub documents it (connections assumed full).
    document = parse(queries.PULL_REQUESTS)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    analysis = analyse(
        github_schema(), document, operation, {"owner": "acme", "name": "api", "first": 100}
    )
    assert analysis.errors == []
    assert analysis.cost <= 21
