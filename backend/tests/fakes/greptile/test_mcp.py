"""The MCP server of the fake Greptile: JSON-RPC 2.0, code reviews and pull requests."""

from __future__ import annotations

import httpx

from tests.fakes.greptile.conftest import call_tool
from veelocity.demo import DemoOrganisation
from veelocity.demo.ai_model import GreptileAccount
from veelocity.fakes.greptile import FakeGreptile


def test_ping_answers_an_empty_result(greptile: httpx.Client) -> None:
    answer = greptile.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})

    assert answer.json() == {"jsonrpc": "2.0", "id": 1, "result": {}}


def test_code_reviews_page_by_offset_newest_first(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    seen: list[dict[str, object]] = []
    offset = 0
    while True:
        page = call_tool(greptile, "list_code_reviews", limit=20, offset=offset)
        seen += page["codeReviews"]
        offset += 20
        if offset >= page["total"]:
            break

    assert len(seen) == len(account.code_reviews) == page["total"]
    created = [str(r["createdAt"]) for r in seen]
    assert created == sorted(created, reverse=True)
    assert {r["status"] for r in seen} <= {"COMPLETED", "SKIPPED"}


def test_code_reviews_are_the_greptile_reviews_on_github(
    greptile: httpx.Client, ai_org: DemoOrganisation
) -> None:
    on_github = {
        (f"{r.owner}/{r.name}", pr.number)
        for r in ai_org.repositories
        for pr in r.pull_requests
        for v in pr.reviews
        if v.author == "greptile-apps[bot]"
    }

    reviews = call_tool(greptile, "list_code_reviews", status="COMPLETED", limit=100)["codeReviews"]

    assert reviews
    for review in reviews:
        pr = review["mergeRequest"]
        assert (pr["repository"]["name"], pr["number"]) in on_github


def test_code_reviews_filter_by_repository_and_pull_request(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    one = account.code_reviews[0]

    found = call_tool(
        greptile,
        "list_code_reviews",
        name=one.repository,
        remote="github",
        defaultBranch=one.default_branch,
        prNumber=one.pr_number,
    )

    assert found["total"] >= 1
    assert {r["mergeRequest"]["number"] for r in found["codeReviews"]} == {one.pr_number}


def test_pull_requests_filter_by_state(greptile: httpx.Client, account: GreptileAccount) -> None:
    closed = call_tool(greptile, "list_pull_requests", state="closed", limit=100)

    assert closed["total"] == sum(1 for mr in account.merge_requests if mr.state == "closed")
    assert {mr["state"] for mr in closed["mergeRequests"]} == {"closed"}


def test_a_partial_repository_filter_is_invalid_params(greptile: httpx.Client) -> None:
    answer = greptile.post(
        "/mcp",
        json={
            "jsonrpc": "2.0",
            "id": 7,
            "method": "tools/call",
            "params": {"name": "list_code_reviews", "arguments": {"name": "acme/x"}},
        },
    ).json()

    assert answer["id"] == 7
    assert answer["error"]["code"] == -32602


def test_a_limit_over_one_hundred_is_invalid_params(greptile: httpx.Client) -> None:
    answer = greptile.post(
        "/mcp",
        json={
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "list_pull_requests", "arguments": {"limit": 101}},
        },
    ).json()

    assert answer["error"]["code"] == -32602


def test_an_unknown_method_is_method_not_found(greptile: httpx.Client) -> None:
    answer = greptile.post("/mcp", json={"jsonrpc": "2.0", "id": 3, "method": "resources/list"})

    assert answer.json()["error"]["code"] == -32601


def test_a_body_that_is_not_json_is_a_parse_error(greptile: httpx.Client) -> None:
    answer = greptile.post("/mcp", content=b"{not json")

    assert answer.json() == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": "Parse error"},
    }


def test_a_wrong_key_is_an_internal_error_as_greptile_documents(base_url: str) -> None:
    answer = httpx.post(
        f"{base_url}/mcp",
        json={"jsonrpc": "2.0", "id": 4, "method": "ping"},
        headers={"Authorization": "Bearer wrong"},
    )

    assert answer.status_code == 200
    assert answer.json()["error"]["code"] == -32603


def test_a_status_fault_breaks_the_mcp_endpoint(fake: FakeGreptile, greptile: httpx.Client) -> None:
    fake.faults.add("status", path="/mcp", status=503)

    first = greptile.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    second = greptile.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})

    assert (first.status_code, second.status_code) == (503, 200)
