"""The fake's GraphQL API: executed against GitHub's schema, with GitHub's limits."""

from __future__ import annotations

from typing import Any

import httpx

from veelocity.demo import DemoOrganisation

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
