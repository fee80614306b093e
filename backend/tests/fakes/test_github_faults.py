"""Fault injection, per test: each fault does to a real client what GitHub's would."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import pytest

from veelocity.demo import DemoOrganisation, advance, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github

from .conftest import SMALL

QUERY = '{ repository(owner: "acme", name: "api") { pullRequests(first: 5) { totalCount } } }'


def test_added_latency_delays_every_response(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.latency = 0.2
    started = time.monotonic()
    assert github.get("/orgs/acme").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_server_errors_hit_the_matching_requests_count_times(
    fake: FakeGitHub, github: httpx.Client
) -> None:
    fake.faults.add("status", path=r"/pulls", status=502, count=2)
    assert github.get("/repos/acme/api").status_code == 200
    assert github.get("/repos/acme/api/pulls").status_code == 502
    assert github.get("/repos/acme/api/pulls").status_code == 502
    assert github.get("/repos/acme/api/pulls").status_code == 200


def test_gateway_timeout_has_github_message(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("status", status=504)
    response = github.get("/orgs/acme")
    assert response.status_code == 504
    assert "couldn't respond to your request in time" in response.json()["message"]


def test_a_hang_times_the_client_out(fake: FakeGitHub, base_url: str) -> None:
    fake.faults.add("hang", seconds=3)
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{base_url}/orgs/acme", headers=headers, timeout=0.5)


def test_a_reset_drops_the_connection_mid_body(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("reset", path="/pulls")
    with pytest.raises(httpx.RemoteProtocolError):
        github.get("/repos/acme/api/pulls")
    assert github.get("/repos/acme/api/pulls").status_code == 200


def test_malformed_and_truncated_json(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("malformed", path="/orgs/acme$")
    fake.faults.add("truncated", path="/repos/acme/api$")
    with pytest.raises(json.JSONDecodeError):
        github.get("/orgs/acme").json()
    truncated = github.get("/repos/acme/api")
    assert truncated.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        truncated.json()


def test_secondary_rate_limit_answers_403_with_retry_after(
    fake: FakeGitHub, github: httpx.Client
) -> None:
    fake.faults.add("secondary_rate_limit", seconds=42)
    response = github.get("/repos/acme/api/pulls")
    assert response.status_code == 403
    assert response.headers["retry-after"] == "42"
    assert response.json()["message"].startswith("You have exceeded a secondary rate limit")


def test_graphql_rate_limited_comes_with_http_200(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("graphql_rate_limited", path="/graphql")
    response = github.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    assert response.json()["errors"][0]["type"] == "RATE_LIMITED"
    assert response.headers["x-ratelimit-remaining"] == "0"
    fake.faults.add("graphql_rate_limited", path="/graphql", message="graphql_rate_limit")
    newer = github.post("/graphql", json={"query": QUERY}).json()
    assert newer["errors"][0]["code"] == "graphql_rate_limit"


def test_spent_graphql_points_answer_rate_limited(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.exhaust(DEMO_TOKEN, "graphql")
    body = github.post("/graphql", json={"query": QUERY}).json()
    assert body["errors"][0]["type"] == "RATE_LIMITED"
    assert "data" not in body


def test_a_page_too_heavy_to_answer_in_time_is_a_502(
    small_org: DemoOrganisation, github: httpx.Client, fake: FakeGitHub
) -> None:
    fake.graphql_timeout_nodes = 10
    query = """{ repository(owner: "acme", name: "api") {
      pullRequests(first: 30) { nodes { number } } } }"""
    response = github.post("/graphql", json={"query": query})
    assert response.status_code == 502
    assert "timeout" in response.json()["errors"][0]["message"]
    small = '{ repository(owner: "acme", name: "api") { pullRequests(first: 5) { totalCount } } }'
    assert github.post("/graphql", json={"query": small}).status_code == 200


def test_skip_lets_the_first_requests_through(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("status", path="/orgs/acme$", status=500, skip=1)
    assert github.get("/orgs/acme").status_code == 200
    assert github.get("/orgs/acme").status_code == 500
    assert github.get("/orgs/acme").status_code == 200


def test_a_page_changes_between_two_requests() -> None:
    org = generate(SMALL)
    fake = FakeGitHub(org)
    params = {"state": "all", "sort": "updated", "direction": "desc", "per_page": 10}
    with run_fake_github(fake) as url:
        headers = {"Authorization": f"token {DEMO_TOKEN}"}
        with httpx.Client(base_url=url, headers=headers) as client:
            fake.faults.add("change_page", path="/repos/acme/api/pulls")
            first = client.get("/repos/acme/api/pulls", params=params).json()
            again = client.get("/repos/acme/api/pulls", params=params).json()
    # The least recently updated pull request was updated in between: it now leads.
    assert again[0]["number"] not in [pr["number"] for pr in first]
    assert [pr["number"] for pr in again[1:]] == [pr["number"] for pr in first[:-1]]


def test_faults_are_counted_in_stats(fake: FakeGitHub, github: httpx.Client) -> None:
    fake.faults.add("status", status=500)
    github.get("/orgs/acme")
    etag = github.get("/orgs/acme").headers["etag"]
    github.get("/orgs/acme", headers={"If-None-Match": etag})
    github.post("/graphql", json={"query": QUERY})
    stats = fake.stats.snapshot()
    assert stats["rest"] == 3
    assert stats["graphql"] == 1
    assert stats["errors"] == 1
    assert stats["not_modified"] == 1
    assert stats["graphql_points"] == 1


def test_live_mode_lets_the_organisation_follow_the_clock() -> None:
    org = generate(SMALL)
    fake = FakeGitHub(org, live=True)
    started, org_start = fake.live_anchor
    # Pretend the fake has been up for two days.
    fake.live_anchor = (started - timedelta(days=2).total_seconds(), org_start)
    before = org.pull_request_count
    with run_fake_github(fake) as url:
        httpx.get(f"{url}/orgs/acme", headers={"Authorization": f"token {DEMO_TOKEN}"})
    assert org.now >= org_start + timedelta(days=2)
    assert org.pull_request_count > before


def test_ground_truth_matches_what_the_api_lists(
    small_org: DemoOrganisation, fake: FakeGitHub, github: httpx.Client
) -> None:
    listed: set[tuple[str, int]] = set()
    for repo in fake.truth.repositories():
        url: str | None = f"/repos/{repo}/pulls?state=all&per_page=100"
        while url:
            response = github.get(url)
            listed |= {(repo, pr["number"]) for pr in response.json()}
            url = response.links.get("next", {}).get("url")
    assert listed == set(fake.truth.pull_requests())
    assert fake.truth.counts()["pull_requests"] == small_org.pull_request_count


def test_advanced_organisation_serves_new_activity() -> None:
    org = generate(SMALL)
    local = FakeGitHub(org)
    headers = {"Authorization": f"token {DEMO_TOKEN}"}
    with run_fake_github(local) as url, httpx.Client(base_url=url, headers=headers) as client:
        before = client.get("/repos/acme/api/pulls", params={"state": "all"}).json()[0]["number"]
        local.advance(timedelta(days=5))
        after = client.get("/repos/acme/api/pulls", params={"state": "all"}).json()[0]["number"]
        advance(org, timedelta(days=5))
        latest = client.get("/repos/acme/api/pulls", params={"state": "all"}).json()[0]["number"]
    assert before < after < latest


def test_too_many_requests_a_minute_meet_the_secondary_limit(
    fake: FakeGitHub, github: httpx.Client
) -> None:
    fake.rest_per_minute = 3
    statuses = [github.get("/orgs/acme").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 403]
    response = github.get("/orgs/acme")
    assert response.headers["retry-after"] == "60"
    assert "secondary rate limit" in response.json()["message"]


def test_too_many_concurrent_requests_meet_the_secondary_limit(
    fake: FakeGitHub, base_url: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fake.max_concurrent = 2
    fake.faults.latency = 0.5
    headers = {"Authorization": f"token {DEMO_TOKEN}"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(
                lambda _: httpx.get(f"{base_url}/orgs/acme", headers=headers).status_code,
                range(6),
            )
        )
    assert statuses.count(403) >= 1
    assert statuses.count(200) >= 1
