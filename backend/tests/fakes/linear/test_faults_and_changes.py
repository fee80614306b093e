"""Injected faults, changes between syncs, statistics and the ground truth."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from tests.fakes.linear.builders import make_workspace
from tests.fakes.linear.conftest import post
from veelocity.demo.linear import LinearConfig, generate_workspace
from veelocity.fakes.linear import DEMO_KEY, FakeLinear, LinearGroundTruth, run_fake_linear

PAGE = """query Page($after: String) {
  issues(first: 5, after: $after, orderBy: updatedAt, includeArchived: true) {
    pageInfo { hasNextPage endCursor } nodes { id identifier updatedAt } } }"""


def test_a_status_fault_answers_that_status_then_clears(
    client: httpx.Client, fake: FakeLinear
) -> None:
    fake.faults.add("status", path="Page", status=502)
    assert post(client, PAGE).status_code == 502
    assert post(client, PAGE).status_code == 200


def test_faults_match_the_operation_name_or_the_query(
    client: httpx.Client, fake: FakeLinear
) -> None:
    fake.faults.add("status", path="stateHistory", status=503)
    assert post(client, PAGE).status_code == 200
    response = post(client, "{ issues { nodes { stateHistory { nodes { id } } } } }")
    assert response.status_code == 503


def test_an_error_can_come_with_http_200(client: httpx.Client, fake: FakeLinear) -> None:
    fake.faults.add("errors_with_200", message="Something broke")
    response = post(client, PAGE)
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["message"] == "Something broke"


@pytest.mark.parametrize("status", [400, 429])
def test_a_rate_limited_fault_in_either_form(
    client: httpx.Client, fake: FakeLinear, status: int
) -> None:
    fake.faults.add("rate_limited", status=status, seconds=7)
    response = post(client, PAGE)
    assert response.status_code == status
    assert response.headers["retry-after"] == "7"
    assert response.json()["errors"][0]["extensions"]["code"] == "RATELIMITED"


@pytest.mark.parametrize("kind", ["malformed", "truncated"])
def test_broken_bodies_do_not_parse(client: httpx.Client, fake: FakeLinear, kind: str) -> None:
    fake.faults.add(kind)
    with pytest.raises(ValueError):  # noqa: PT011  # json's error is a ValueError
        post(client, PAGE).json()


def test_a_reset_drops_the_connection_mid_body(client: httpx.Client, fake: FakeLinear) -> None:
    fake.faults.add("reset")
    with pytest.raises(httpx.TransportError):
        post(client, PAGE)


def test_a_hang_outlasts_the_client_timeout(base_url: str, fake: FakeLinear) -> None:
    fake.faults.add("hang", seconds=2)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{base_url}/graphql",
            json={"query": PAGE},
            headers={"Authorization": DEMO_KEY},
            timeout=0.3,
        )


def test_change_page_updates_an_issue_between_two_pages(
    client: httpx.Client, fake: FakeLinear
) -> None:
    fake.faults.add("change_page", path="Page")
    first = post(client, PAGE).json()["data"]["issues"]
    second = post(client, PAGE, after=first["pageInfo"]["endCursor"]).json()["data"]["issues"]
    # The stalest issue jumped to the top after page one: paging on never shows it again.
    top = max(fake.workspace.issues, key=lambda i: i.updated_at)
    seen = {n["id"] for n in first["nodes"] + second["nodes"]}
    assert top.id not in {n["id"] for n in second["nodes"]}
    newest_on_page_one = max(datetime.fromisoformat(n["updatedAt"]) for n in first["nodes"])
    assert top.updated_at > newest_on_page_one
    assert len(seen) == 10


def test_latency_delays_every_answer(client: httpx.Client, fake: FakeLinear) -> None:
    fake.faults.latency = 0.2
    assert post(client, PAGE).elapsed >= timedelta(seconds=0.2)


def test_moving_an_issue_gives_it_a_new_identifier_and_a_team_change_in_history(
    client: httpx.Client, fake: FakeLinear
) -> None:
    issue = fake.workspace.issues[0]
    ops = fake.workspace.teams[1]
    fake.advance(timedelta(hours=1))
    fake.move_issue(issue.id, ops.id)
    query = """query($id: String!) { issue(id: $id) { identifier team { key } state { type }
        updatedAt history(first: 1) { nodes { fromTeam { key } toTeam { key } } } } }"""
    answer = post(client, query, id=issue.id).json()["data"]["issue"]
    assert answer["identifier"] == "OPS-13"
    assert answer["team"] == {"key": "OPS"}
    assert answer["state"] == {"type": "completed"}
    assert answer["history"]["nodes"] == [{"fromTeam": {"key": "ENG"}, "toTeam": {"key": "OPS"}}]
    assert answer["updatedAt"].startswith("2026-06-01T13:00")


def test_a_renamed_and_an_archived_state(client: httpx.Client, fake: FakeLinear) -> None:
    team = fake.workspace.teams[0]
    started, triage = team.states[3], team.states[0]
    fake.rename_state(started.id, "Doing")
    fake.archive_state(triage.id)
    query = """query($a: Boolean) { workflowStates(first: 50, includeArchived: $a) {
        nodes { id name archivedAt } } }"""
    shown = post(client, query).json()["data"]["workflowStates"]["nodes"]
    assert triage.id not in {s["id"] for s in shown}
    assert {"id": started.id, "name": "Doing", "archivedAt": None} in shown
    everything = post(client, query, a=True).json()["data"]["workflowStates"]["nodes"]
    assert triage.id in {s["id"] for s in everything}


def test_a_deleted_team_and_its_issues_are_gone(client: httpx.Client, fake: FakeLinear) -> None:
    ops = fake.workspace.teams[1]
    fake.delete_team(ops.id)
    response = post(client, f'{{ team(id: "{ops.id}") {{ key }} }}')
    assert response.json()["errors"][0]["message"] == "Entity not found"
    issues = post(client, "{ issues(first: 100, includeArchived: true) { nodes { identifier } } }")
    assert all(n["identifier"].startswith("ENG-") for n in issues.json()["data"]["issues"]["nodes"])
    assert fake.truth.team_ids == {fake.workspace.teams[0].id}


def test_added_history_changes_the_state_and_the_spans(
    client: httpx.Client, fake: FakeLinear
) -> None:
    issue = fake.workspace.issues[0]
    team = fake.workspace.teams[0]
    done, canceled = team.states[4].id, team.states[5].id
    fake.advance(timedelta(days=1))
    fake.add_history(issue.id, from_state_id=done, to_state_id=canceled)
    query = """query($id: String!) { issue(id: $id) { state { type } canceledAt
        stateHistory(first: 1) { nodes { state { type } endedAt } } } }"""
    answer = post(client, query, id=issue.id).json()["data"]["issue"]
    assert answer["state"] == {"type": "canceled"}
    assert answer["canceledAt"] == "2026-06-02T12:00:00.000Z"
    assert answer["stateHistory"]["nodes"] == [{"state": {"type": "canceled"}, "endedAt": None}]


def test_before_request_runs_before_every_answer() -> None:
    calls: list[int] = []
    fake = FakeLinear(make_workspace(), before_request=lambda: calls.append(1))
    with run_fake_linear(fake) as url:
        for _ in range(3):
            httpx.post(
                f"{url}/graphql",
                json={"query": "{ viewer { id } }"},
                headers={"Authorization": DEMO_KEY},
            )
    assert len(calls) == 3


def test_stats_count_requests_and_points_per_operation(
    client: httpx.Client, fake: FakeLinear
) -> None:
    post(client, PAGE)
    post(client, "query Me { viewer { id name } }")
    post(client, "{ nope }")
    snapshot = fake.stats.snapshot()
    assert snapshot["requests"] == 3
    assert snapshot["errors"] == 1  # the invalid query, which costs nothing
    # Page: 1 + 5 x (1 + 0.3) + pageInfo 1.2 = 8.7, rounded up; Me: 1.2, rounded up
    assert fake.stats.complexity_by_operation == {"Page": 9, "Me": 2}
    assert fake.stats.per_request == [9, 2]
    assert snapshot["complexity"] == 11


def test_a_full_read_of_a_generated_workspace_matches_its_truth() -> None:
    workspace = generate_workspace(LinearConfig(seed=5, teams=3, issues=150, months=2))
    truth = LinearGroundTruth(workspace)
    query = """query All($after: String) { issues(first: 50, after: $after,
        includeArchived: true) { pageInfo { hasNextPage endCursor } nodes { id identifier
        history(first: 50) { pageInfo { hasNextPage } nodes { id } }
        attachments(first: 50) { nodes { id } } } } }"""
    identifiers, history, attachments = set(), set(), set()
    with (
        run_fake_linear(workspace) as url,
        httpx.Client(base_url=url, headers={"Authorization": DEMO_KEY}) as http,
    ):
        after = None
        while True:
            page = post(http, query, after=after).json()["data"]["issues"]
            for node in page["nodes"]:
                assert node["history"]["pageInfo"]["hasNextPage"] is False
                identifiers.add(node["identifier"])
                history |= {h["id"] for h in node["history"]["nodes"]}
                attachments |= {a["id"] for a in node["attachments"]["nodes"]}
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert identifiers == truth.identifiers
    assert history == truth.history_ids
    assert attachments == truth.attachment_ids
    assert len(truth.issue_ids) == 150
