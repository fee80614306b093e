"""The fake's GraphQL API: executed against GitHub's schema, with GitHub's limits."""

from __future__ import annotations

from typing import Any

import httpx

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github

PULL_REQUESTS = """
query($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining nodeCount }
  repository(owner: $owner, name: $name) {
    pullRequests(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number isDraft createdAt updatedAt mergedAt additions deletions changedFiles
        baseRefName headRefName author { login } mergeCommit { oid }
        reviews(first: 20) { totalCount nodes { author { login } state submittedAt } }
        comments(first: 20) { totalCount nodes { author { login } createdAt } }
        reviewThreads(first: 20) { nodes { comments(first: 10) { nodes { createdAt } } } }
        commits(first: 20) {
          totalCount
          nodes { commit { oid authoredDate committedDate parents(first: 2) { nodes { oid } } } }
        }
        timelineItems(first: 20, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) {
          nodes {
            __typename
            ... on ReadyForReviewEvent { createdAt }
            ... on ReviewRequestedEvent { createdAt requestedReviewer { ... on User { login } } }
          }
        }
        files(first: 20) { nodes { path additions deletions } }
      }
    }
  }
}
"""


def _post(github: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = github.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_pull_requests_page_newest_updated_first_with_nested_lists(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    numbers: list[int] = []
    after = None
    while True:
        body = _post(github, PULL_REQUESTS, owner="acme", name=repo.name, after=after)
        assert "errors" not in body, body
        page = body["data"]["repository"]["pullRequests"]
        numbers += [node["number"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = sorted(repo.pull_requests, key=lambda p: (p.updated_at, p.number), reverse=True)
    assert numbers == [p.number for p in expected]


def test_nested_values_match_the_organisation(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    body = _post(github, PULL_REQUESTS, owner="acme", name=repo.name)
    node = body["data"]["repository"]["pullRequests"]["nodes"][-1]
    pr = repo.pull_requests[node["number"] - 1]
    assert node["author"]["login"] == pr.author
    assert node["additions"] == pr.additions
    assert node["reviews"]["totalCount"] == len(pr.reviews)
    oids = [n["commit"]["oid"] for n in node["commits"]["nodes"]]
    assert oids == [c.oid for c in pr.commits][:20]


def test_the_query_cost_is_reported_and_charged(github: httpx.Client) -> None:
    body = _post(github, PULL_REQUESTS, owner="acme", name="api")
    rate = body["data"]["rateLimit"]
    # Requests to fill every connection: 1 for the pull requests, 50 for each of the 6 nested
    # lists, 50*20 for thread comments and 50*20 for commit parents; divided by 100.
    assert rate["cost"] == round((1 + 6 * 50 + 50 * 20 + 50 * 20) / 100)
    assert rate["nodeCount"] == 50 + 6 * 50 * 20 + 50 * 20 * 10 + 50 * 20 * 2
    again = _post(github, PULL_REQUESTS, owner="acme", name="api")
    assert again["data"]["rateLimit"]["remaining"] == rate["remaining"] - rate["cost"]


def test_an_invalid_query_is_rejected_like_github(github: httpx.Client) -> None:
    body = _post(github, "{ viewer { loginx } }")
    assert "data" not in body
    assert "Cannot query field 'loginx' on type 'User'" in body["errors"][0]["message"]


def test_a_connection_without_first_is_rejected(github: httpx.Client) -> None:
    body = _post(
        github, '{ repository(owner: "acme", name: "api") { pullRequests { totalCount } } }'
    )
    assert body["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"


def test_first_above_one_hundred_is_rejected(github: httpx.Client) -> None:
    query = '{ repository(owner: "acme", name: "api") { pullRequests(first: 101) { totalCount } } }'
    body = _post(github, query)
    assert body["errors"][0]["type"] == "EXCESSIVE_PAGINATION"
    assert "exceeds the `first` limit of 100 records" in body["errors"][0]["message"]


def test_more_than_500000_nodes_is_rejected(github: httpx.Client) -> None:
    query = """{ repository(owner: "acme", name: "api") {
      pullRequests(first: 100) { nodes { reviewThreads(first: 100) {
        nodes { comments(first: 100) { totalCount } } } } } } }"""
    body = _post(github, query)
    assert body["errors"][0]["type"] == "MAX_NODE_LIMIT_EXCEEDED"


def test_unknown_repository_is_not_found(github: httpx.Client) -> None:
    body = _post(github, '{ repository(owner: "acme", name: "nope") { name } }')
    assert body["data"] == {"repository": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_default_branch_history_has_parents(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    query = """query($name: String!) { repository(owner: "acme", name: $name) {
      defaultBranchRef { target { ... on Commit {
        history(first: 5) { nodes { oid parents(first: 2) { nodes { oid } } } } } } } } }"""
    body = _post(github, query, name=repo.name)
    nodes = body["data"]["repository"]["defaultBranchRef"]["target"]["history"]["nodes"]
    assert nodes[0]["oid"] == repo.head_oid
    assert [p["oid"] for p in nodes[0]["parents"]["nodes"]] == list(repo.history[-1].parents)


def test_enterprise_graphql_path(github: httpx.Client) -> None:
    response = github.post("/api/graphql", json={"query": "{ viewer { login } }"})
    assert response.json()["data"]["viewer"]["login"]


def test_node_lookup_finds_a_pull_request(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    pr = small_org.repositories[1].pull_requests[0]
    query = "query($id: ID!) { node(id: $id) { ... on PullRequest { number title } } }"
    body = _post(github, query, id=pr.node_id)
    assert body["data"]["node"] == {"number": pr.number, "title": pr.title}


def test_fragments_aliases_directives_and_typename(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    query = """
    query($name: String!, $withTitle: Boolean!) {
      repository(owner: "acme", name: $name) {
        kind: __typename
        first: pullRequests(first: 2) { nodes { ...Basics } }
        last: pullRequests(last: 1) { nodes { number title @include(if: $withTitle) } }
      }
    }
    fragment Basics on PullRequest { number author { __typename ... on User { login } } }
    """
    body = _post(github, query, name=repo.name, withTitle=False)
    data = body["data"]["repository"]
    assert data["kind"] == "Repository"
    first = data["first"]["nodes"]
    assert [n["number"] for n in first] == [1, 2]
    author = repo.pull_requests[0].author
    if author.endswith("[bot]"):
        assert first[0]["author"] == {"__typename": "Bot"}
    else:
        assert first[0]["author"] == {"__typename": "User", "login": author}
    assert data["last"]["nodes"] == [{"number": len(repo.pull_requests)}]


def test_wrongly_typed_variables_are_rejected(github: httpx.Client) -> None:
    query = """query($n: Int!) {
      repository(owner: "acme", name: "api") { pullRequest(number: $n) { title } } }"""
    body = _post(github, query, n="seven")
    assert "data" not in body
    assert "$n" in body["errors"][0]["message"]


def test_nested_lists_page_with_their_own_cursors(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo, pr = next(
        (r, p) for r in small_org.repositories for p in r.pull_requests if len(p.reviews) >= 3
    )
    query = """query($name: String!, $number: Int!, $after: String) {
      repository(owner: "acme", name: $name) { pullRequest(number: $number) {
        reviews(first: 2, after: $after) {
          pageInfo { hasNextPage endCursor } nodes { id } } } } }"""
    ids: list[str] = []
    after = None
    while True:
        body = _post(github, query, name=repo.name, number=pr.number, after=after)
        reviews = body["data"]["repository"]["pullRequest"]["reviews"]
        ids += [n["id"] for n in reviews["nodes"]]
        if not reviews["pageInfo"]["hasNextPage"]:
            break
        after = reviews["pageInfo"]["endCursor"]
    assert ids == [r.node_id for r in pr.reviews]


def test_a_bad_cursor_is_an_error_not_a_crash(github: httpx.Client) -> None:
    query = """{ repository(owner: "acme", name: "api") {
      pullRequests(first: 5, after: "bm90IGEgY3Vyc29y") { totalCount } } }"""
    body = _post(github, query)
    assert body["data"]["repository"]["pullRequests"] is None
    assert body["errors"][0]["type"] == "INVALID_CURSOR_ARGUMENTS"
    assert body["errors"][0]["path"] == ["repository", "pullRequests"]


def test_nodes_answers_null_for_unknown_ids(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    pr = small_org.repositories[0].pull_requests[0]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequest { number } } }"
    body = _post(github, query, ids=[pr.node_id, "PR_unknown"])
    assert body["data"]["nodes"] == [{"number": pr.number}, None]


def test_several_operations_need_an_operation_name(github: httpx.Client) -> None:
    query = "query A { viewer { login } } query B { viewer { id } }"
    body = _post(github, query)
    assert body["errors"][0]["message"].startswith("Must provide operation name")
    chosen = github.post("/graphql", json={"query": query, "operationName": "B"}).json()
    assert set(chosen["data"]["viewer"]) == {"id"}


def test_mutations_are_refused(github: httpx.Client) -> None:
    body = _post(github, 'mutation { addStar(input: {starrableId: "x"}) { clientMutationId } }')
    assert "read-only" in body["errors"][0]["message"]


def test_the_documented_cost_example_costs_51_points() -> None:
    """GitHub's own example: 1 + 100 + 100 * 50 = 5,101 requests, 51 points, 305,100 nodes."""
    from graphql import OperationDefinitionNode, parse

    from veelocity.fakes.github.limits import analyse
    from veelocity.fakes.github.schema import github_schema

    document = parse(
        """query { viewer { login repositories(first: 100) { edges { node { id
          issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name }
          } } } } } } } } } }"""
    )
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    analysis = analyse(github_schema(), document, operation, {})
    assert analysis.errors == []
    assert analysis.requests == 5_101
    assert analysis.cost == 51
    assert analysis.nodes == 305_100


DEPLOYMENTS = """
query($owner: String!, $name: String!, $after: String, $order: DeploymentOrder,
      $environments: [String!]) {
  repository(owner: $owner, name: $name) {
    deployments(first: 7, after: $after, orderBy: $order, environments: $environments) {
      pageInfo { hasNextPage endCursor }
      nodes { databaseId environment createdAt }
    }
  }
}
"""


def _deployment_ids(github: httpx.Client, name: str, **variables: Any) -> list[int]:
    ids: list[int] = []
    after = None
    while True:
        body = _post(github, DEPLOYMENTS, owner="acme", name=name, after=after, **variables)
        assert "errors" not in body, body
        page = body["data"]["repository"]["deployments"]
        ids += [node["databaseId"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


def test_deployments_follow_order_by_and_default_to_oldest_first(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = next(r for r in small_org.repositories if r.deployments)
    oldest_first = [d.id for d in sorted(repo.deployments, key=lambda d: (d.created_at, d.id))]
    newest = {"field": "CREATED_AT", "direction": "DESC"}
    assert _deployment_ids(github, repo.name, order=newest) == oldest_first[::-1]
    assert _deployment_ids(github, repo.name) == oldest_first
    staging = [d.id for d in repo.deployments if d.environment == "staging"]
    assert _deployment_ids(github, repo.name, order=newest, environments=["staging"]) == sorted(
        staging, key=oldest_first.index, reverse=True
    )


RELEASES = """
query($owner: String!, $name: String!, $order: ReleaseOrder) {
  repository(owner: $owner, name: $name) {
    releases(first: 100, orderBy: $order) { nodes { databaseId name } }
  }
}
"""


def test_releases_follow_order_by() -> None:
    org = generate(DemoConfig(seed=5, repositories=4, developers=6, months=2))
    library = org.repositories[3]
    by_time = [r.id for r in sorted(library.releases, key=lambda r: (r.created_at, r.id))]
    assert len(by_time) > 1
    with (
        run_fake_github(FakeGitHub(org)) as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as github,
    ):
        for order, expected in (
            ({"field": "CREATED_AT", "direction": "ASC"}, by_time),
            ({"field": "CREATED_AT", "direction": "DESC"}, by_time[::-1]),
            (None, by_time[::-1]),
        ):
            body = _post(github, RELEASES, owner="acme", name=library.name, order=order)
            nodes = body["data"]["repository"]["releases"]["nodes"]
            assert [n["databaseId"] for n in nodes] == expected, order
