"""Every answer the fake Linear gives fits Linear's schema.

Each response is executed again by graphql-core against the vendored schema, reading the
answer as the data source: a null in a non-null field, a list where an object belongs, a
number where a string belongs, or a malformed DateTime/TimelessDate/JSONObject shows up as an
error or as a value that does not survive the round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import GraphQLScalarType, GraphQLSchema, build_schema, graphql_sync

from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.demo.linear_model import Attachment
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, run_fake_linear
from veelocity.fakes.linear.schema import SCHEMA_PATH

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TIMELESS_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ISSUE_FIELDS = """
  id identifier number title description url priority priorityLabel estimate
  createdAt updatedAt startedAt completedAt canceledAt archivedAt branchName labelIds trashed
  team { id key } state { id name type } cycle { id number } project { id name }
  assignee { id email } creator { id } parent { id identifier }
  labels { nodes { id name color } }
  history(first: 20) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      id createdAt updatedAt actorId actor { id }
      fromStateId toStateId fromState { id type } toState { id type }
      fromCycleId toCycleId fromCycle { id } toCycle { id }
      fromEstimate toEstimate fromAssigneeId toAssigneeId fromTeamId toTeamId
      fromPriority toPriority addedLabelIds removedLabelIds archived autoClosed
    }
  }
  stateHistory(first: 20) { nodes { id stateId startedAt endedAt state { id name } } }
  attachments(first: 10) {
    edges { cursor node { id url title subtitle sourceType metadata createdAt updatedAt } }
  }
"""

QUERIES = {
    "viewer and organization": """{ viewer { id name displayName email active admin isMe
        createdAt updatedAt url } organization { id name urlKey createdAt userCount } }""",
    "teams": """{ teams(first: 10, includeArchived: true) {
        pageInfo { hasNextPage endCursor }
        nodes { id key name createdAt updatedAt archivedAt cyclesEnabled issueCount
          states { nodes { id name type position color createdAt updatedAt archivedAt } }
          cycles { nodes { id number name startsAt endsAt completedAt createdAt updatedAt
                           isActive isPast isFuture team { id } } }
          members { nodes { id email } } } } }""",
    "workflow states, cycles, projects, users, labels": """{
        workflowStates(first: 100) { nodes { id name type team { id } } }
        cycles(first: 100, orderBy: updatedAt) { nodes { id number startsAt endsAt } }
        projects(first: 50, includeArchived: true) { nodes { id name state createdAt updatedAt
          startedAt targetDate completedAt archivedAt url teams { nodes { id } } } }
        users(first: 100) { nodes { id name displayName email active createdAt updatedAt } }
        issueLabels(first: 100) { nodes { id name color createdAt updatedAt team { id } } } }""",
    "issues": "{ issues(first: 25, orderBy: updatedAt, includeArchived: true) "
    "{ pageInfo { hasNextPage endCursor } nodes {" + ISSUE_FIELDS + "} } }",
    "issues updated lately": """{ issues(first: 30, filter: {updatedAt: {gt: "-P2W"}},
        orderBy: updatedAt) { edges { cursor node { id updatedAt } } } }""",
}


def _checked(name: str, pattern: re.Pattern[str] | None, kind: type) -> GraphQLScalarType:
    def serialize(value: Any) -> Any:
        if not isinstance(value, kind) or (pattern is not None and not pattern.match(str(value))):
            raise TypeError(f"{name} cannot represent {value!r}")
        return value

    return GraphQLScalarType(name, serialize=serialize)


@pytest.fixture(scope="module")
def strict_schema() -> GraphQLSchema:
    schema = build_schema(
        SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid_sdl=True, assume_valid=True
    )
    for name, checked in {
        "DateTime": _checked("DateTime", DATE_TIME, str),
        "TimelessDate": _checked("TimelessDate", TIMELESS_DATE, str),
        "JSONObject": _checked("JSONObject", None, dict),
    }.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        scalar.coerce_output_value = checked.coerce_output_value
    return schema


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    workspace = generate_workspace(LinearConfig(seed=11, teams=3, issues=200, months=3))
    # The standalone workspace links no pull requests; give the latest issue one, as Linear's
    # GitHub integration would.
    latest = max(workspace.issues, key=lambda issue: issue.updated_at)
    latest.attachments.append(
        Attachment(
            id="7d7c3a52-3f7e-4a57-9a43-5d2f1b0c9e01",
            url="https://github.com/acme/api/pull/42",
            title="Add audit log",
            subtitle="Merged",
            source_type="github",
            metadata={"status": "merged", "number": 42},
            created_at=latest.updated_at,
            updated_at=latest.updated_at,
        )
    )
    with run_fake_linear(FakeLinear(workspace)) as url:
        yield url


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_answer_fits_linears_schema(
    strict_schema: GraphQLSchema, base_url: str, name: str
) -> None:
    query = QUERIES[name]
    response = httpx.post(
        f"{base_url}/graphql", json={"query": query}, headers={"Authorization": DEMO_KEY}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer
    again = graphql_sync(strict_schema, query, root_value=answer["data"])
    assert again.errors is None, again.errors[:3]
    assert again.data == answer["data"]


def test_the_answer_is_not_trivially_empty(base_url: str) -> None:
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": QUERIES["issues"]},
        headers={"Authorization": DEMO_KEY},
    )
    nodes = response.json()["data"]["issues"]["nodes"]
    assert len(nodes) == 25
    assert any(n["history"]["nodes"] for n in nodes)
    assert any(n["attachments"]["edges"] for n in nodes)
    assert any(n["cycle"] for n in nodes)
