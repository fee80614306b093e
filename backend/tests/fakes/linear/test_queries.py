"""Queries as Linear answers them: validation, costs, paging, filters, archived items."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.fakes.linear.builders import NOW
from tests.fakes.linear.conftest import post
from veelocity.fakes.linear import FakeLinear

ISSUES_PAGE = """
query Issues($after: String, $first: Int, $archived: Boolean, $since: DateTimeOrDuration) {
  issues(first: $first, after: $after, orderBy: updatedAt, includeArchived: $archived,
         filter: {updatedAt: {gt: $since}}) {
    pageInfo { hasNextPage endCursor }
    nodes { id identifier updatedAt archivedAt }
  }
}
"""


def all_pages(client: httpx.Client, **variables: object) -> list[dict[str, str]]:
    nodes: list[dict[str, str]] = []
    after = None
    while True:
        answer = post(client, ISSUES_PAGE, after=after, **variables).json()["data"]["issues"]
        nodes += answer["nodes"]
        if not answer["pageInfo"]["hasNextPage"]:
            return nodes
        after = answer["pageInfo"]["endCursor"]


def test_a_query_linear_would_reject_is_refused_with_its_validation_error(
    client: httpx.Client,
) -> None:
    response = post(client, "{ issues { nodes { id storyPoints } } }")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "storyPoints" in error["message"]


@pytest.mark.parametrize(
    ("query", "points"),
    [
        # an object (1) with two scalars (0.2): 1.2, rounded up
        ("{ viewer { id name } }", 2),
        # 1 + 10 x (node 1 + two scalars 0.2) + pageInfo (1 + 0.2) = 14.2
        ("{ issues(first: 10) { nodes { id title } pageInfo { hasNextPage endCursor } } }", 15),
        # first defaults to 50: 1 + 50 x (edge 1 + cursor 0.1 + node 1 + id 0.1) = 111
        ("{ issues { edges { cursor node { id } } } }", 111),
        # spans: 1 + 5 x 1.3 = 7.5 per issue; 1 + 20 x (1 + 0.1 + 7.5) = 173
        (
            "{ issues(first: 20) { nodes { id stateHistory(first: 5) "
            "{ nodes { stateId startedAt endedAt } } } } }",
            173,
        ),
    ],
)
def test_complexity_is_counted_as_linear_documents_it(
    client: httpx.Client, query: str, points: int
) -> None:
    response = post(client, query)
    assert response.status_code == 200, response.text
    assert response.headers["x-complexity"] == str(points)
    remaining = int(response.headers["x-ratelimit-complexity-remaining"])
    assert remaining == 250_000 - points


def test_a_query_over_ten_thousand_points_is_refused(client: httpx.Client) -> None:
    query = "{ issues(first: 250) { nodes { id history(first: 50) { nodes { id toStateId } } } } }"
    response = post(client, query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert int(response.headers["x-complexity"]) > 10_000


def test_pages_cover_every_issue_once_newest_update_first(
    client: httpx.Client, fake: FakeLinear
) -> None:
    nodes = all_pages(client, first=5, archived=True)
    assert sorted(n["id"] for n in nodes) == sorted(i.id for i in fake.workspace.issues)
    stamps = [n["updatedAt"] for n in nodes]
    assert stamps == sorted(stamps, reverse=True)


def test_archived_issues_are_left_out_unless_asked_for(client: httpx.Client) -> None:
    shown = all_pages(client, first=50)
    everything = all_pages(client, first=50, archived=True)
    assert all(n["archivedAt"] is None for n in shown)
    assert len(everything) - len(shown) == 8  # issues 3, 6, 9, 12 of both teams


def test_updated_at_filter_returns_only_later_changes(
    client: httpx.Client, fake: FakeLinear
) -> None:
    since = NOW - timedelta(days=15)
    nodes = all_pages(client, first=3, archived=True, since=since.isoformat())
    expected = {i.id for i in fake.workspace.issues if i.updated_at > since}
    assert {n["id"] for n in nodes} == expected
    assert 0 < len(expected) < len(fake.workspace.issues)


def test_a_duration_filter_counts_back_from_the_workspace_clock(client: httpx.Client) -> None:
    nodes = all_pages(client, first=50, archived=True, since="-P15D")
    assert nodes == all_pages(
        client, first=50, archived=True, since=(NOW - timedelta(days=15)).isoformat()
    )


def test_created_at_is_the_default_order_and_edges_carry_cursors(client: httpx.Client) -> None:
    first = post(client, "{ issues(first: 2) { edges { cursor node { id createdAt } } } }")
    edges = first.json()["data"]["issues"]["edges"]
    assert edges[0]["node"]["createdAt"] > edges[1]["node"]["createdAt"]
    after = post(
        client,
        "query($c: String) { issues(first: 1, after: $c) { nodes { createdAt } } }",
        c=edges[0]["cursor"],
    )
    assert after.json()["data"]["issues"]["nodes"][0]["createdAt"] == edges[1]["node"]["createdAt"]


def test_last_and_before_page_backwards(client: httpx.Client) -> None:
    page = post(client, "{ issues(first: 4) { edges { cursor node { id } } } }")
    edges = page.json()["data"]["issues"]["edges"]
    back = post(
        client,
        "query($c: String) { issues(last: 2, before: $c) { nodes { id } } }",
        c=edges[3]["cursor"],
    )
    assert [n["id"] for n in back.json()["data"]["issues"]["nodes"]] == [
        edges[1]["node"]["id"],
        edges[2]["node"]["id"],
    ]


def test_team_and_id_filters_narrow_issues(client: httpx.Client, fake: FakeLinear) -> None:
    team = fake.workspace.teams[1]
    by_team = post(
        client,
        "query($t: ID) { issues(first: 100, includeArchived: true, "
        "filter: {team: {id: {eq: $t}}}) { nodes { identifier } } }",
        t=team.id,
    )
    identifiers = {n["identifier"] for n in by_team.json()["data"]["issues"]["nodes"]}
    assert identifiers == {f"OPS-{n}" for n in range(1, 13)}
    wanted = [fake.workspace.issues[0].id, fake.workspace.issues[4].id]  # neither archived
    by_id = post(
        client,
        "query($ids: [ID!]) { issues(filter: {id: {in: $ids}}) { nodes { id } } }",
        ids=wanted,
    )
    assert {n["id"] for n in by_id.json()["data"]["issues"]["nodes"]} == set(wanted)


def test_a_filter_the_fake_does_not_implement_is_refused_not_ignored(client: httpx.Client) -> None:
    response = post(client, '{ issues(filter: {title: {eq: "x"}}) { nodes { id } } }')
    assert response.status_code == 400
    assert "title" in response.json()["errors"][0]["message"]


def test_an_issue_reads_with_its_history_spans_labels_and_attachments(
    client: httpx.Client, fake: FakeLinear
) -> None:
    issue = fake.workspace.issues[0]
    query = """query($id: String!) { issue(id: $id) {
        identifier state { type } team { key } labels { nodes { name } } labelIds
        history(first: 2) { pageInfo { hasNextPage } nodes { fromState { type } toState { type } } }
        stateHistory { nodes { state { type } startedAt endedAt } }
        attachments { nodes { url sourceType } } } }"""
    answer = post(client, query, id="ENG-1").json()["data"]["issue"]
    assert answer["identifier"] == "ENG-1"
    assert answer["team"]["key"] == "ENG"
    assert answer["labels"]["nodes"] == [{"name": "incident"}]
    assert answer["labelIds"] == issue.label_ids
    history = answer["history"]
    assert history["pageInfo"]["hasNextPage"] is True  # three entries, two per page
    assert [(h["fromState"]["type"], h["toState"]["type"]) for h in history["nodes"]] == [
        ("started", "completed"),
        ("backlog", "started"),
    ]
    spans = answer["stateHistory"]["nodes"]
    assert [s["state"]["type"] for s in spans] == ["completed", "started", "backlog"]
    assert spans[0]["endedAt"] is None
    assert spans[1]["endedAt"] == spans[0]["startedAt"]
    assert answer["attachments"]["nodes"] == [
        {"url": "https://github.com/acme/api/pull/7", "sourceType": "github"}
    ]


def test_teams_carry_their_states_cycles_and_members(client: httpx.Client) -> None:
    query = """{ teams { nodes { key states { nodes { type } } cycles { nodes { number }
        } members { nodes { email } } } } }"""
    teams = post(client, query).json()["data"]["teams"]["nodes"]
    assert sorted(t["key"] for t in teams) == ["ENG", "OPS"]
    for team in teams:
        assert {s["type"] for s in team["states"]["nodes"]} == {
            "triage",
            "backlog",
            "unstarted",
            "started",
            "completed",
            "canceled",
        }
        assert team["cycles"]["nodes"] == [{"number": 1}]
        assert team["members"]["nodes"] == [{"email": "ada@acme.example"}]


def test_the_base_url_answers_graphql_too(client: httpx.Client) -> None:
    response = client.post("/", json={"query": "{ organization { urlKey } }"})
    assert response.json() == {"data": {"organization": {"urlKey": "acme"}}}


def test_pages_stop_at_250_items(fake: FakeLinear, client: httpx.Client) -> None:
    fake.workspace.issues *= 30  # the same issues again: only the count matters here
    page = post(client, "{ issues(first: 300, includeArchived: true) { nodes { id } } }")
    assert len(page.json()["data"]["issues"]["nodes"]) == 250
