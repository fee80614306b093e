"""How fast the generated organisation and the fake GitHub are (the connector's floor).

    cd backend && .venv/bin/python benchmarks/fake_github.py [--pull-requests 10000]

Prints: generation time; per-page times of GraphQL pull-request pages with nested lists and
of REST pages, over real HTTP; and the time to page through every pull request with GraphQL
in one sequential client, which bounds what a sync against the fake can reach.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from typing import Any

import httpx

from veelocity.demo import DemoConfig, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, TokenSpec, run_fake_github

PAGE = """
query($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining }
  repository(owner: $owner, name: $name) {
    pullRequests(first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title state isDraft createdAt updatedAt closedAt mergedAt
        additions deletions changedFiles baseRefName headRefName
        author { login } mergeCommit { oid }
        reviews(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes { id author { login } state submittedAt }
        }
        comments(first: 10) {
          pageInfo { hasNextPage endCursor } nodes { id author { login } createdAt }
        }
        reviewThreads(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes { comments(first: 5) { nodes { id author { login } createdAt } } }
        }
        commits(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes { commit { oid authoredDate committedDate parents(first: 2) { nodes { oid } } } }
        }
        timelineItems(first: 10, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) {
          pageInfo { hasNextPage endCursor }
          nodes {
            __typename
            ... on ReadyForReviewEvent { createdAt }
            ... on ReviewRequestedEvent {
              createdAt requestedReviewer { ... on User { login } ... on Bot { login } }
            }
          }
        }
      }
    }
  }
}
"""


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pull-requests", type=int, default=10_000)
    parser.add_argument("--repositories", type=int, default=50)
    parser.add_argument("--developers", type=int, default=200)
    args = parser.parse_args()

    started, cpu = time.perf_counter(), time.process_time()
    org = generate(
        DemoConfig(
            seed=42,
            repositories=args.repositories,
            developers=args.developers,
            months=6,
            pull_requests=args.pull_requests,
        )
    )
    generation = time.perf_counter() - started
    generation_cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"generate: {org.pull_request_count:,} pull requests in {len(org.repositories)} "
        f"repositories in {generation:.1f} s ({generation_cpu:.1f} s of CPU; "
        f"process peak RSS {rss:.0f} MB)"
    )
    fake = FakeGitHub(org, tokens=[TokenSpec(DEMO_TOKEN, graphql_limit=1_000_000)])
    with run_fake_github(fake) as url:
        headers = {"Authorization": f"bearer {DEMO_TOKEN}"}
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            client.post("/graphql", json={"query": "{ viewer { login } }"})  # loads the schema
            page_times: list[float] = []
            sizes: list[int] = []
            points = 0
            started = time.perf_counter()
            for repo in org.repositories:
                after: str | None = None
                while True:
                    variables: dict[str, Any] = {"owner": org.login, "name": repo.name}
                    variables["after"] = after
                    began = time.perf_counter()
                    response = client.post("/graphql", json={"query": PAGE, "variables": variables})
                    page_times.append(time.perf_counter() - began)
                    sizes.append(len(response.content))
                    body = response.json()
                    points += body["data"]["rateLimit"]["cost"]
                    page = body["data"]["repository"]["pullRequests"]
                    if not page["pageInfo"]["hasNextPage"]:
                        break
                    after = page["pageInfo"]["endCursor"]
            total = time.perf_counter() - started
            print(
                f"GraphQL: every pull request with nested lists in {len(page_times)} pages, "
                f"{total:.1f} s sequentially, {points} points; per page {_ms(page_times)}, "
                f"{statistics.mean(sizes) / 1024:.0f} KiB on average"
            )
            rest_times: list[float] = []
            for repo in org.repositories:
                began = time.perf_counter()
                response = client.get(
                    f"/repos/{repo.full_name}/pulls",
                    params={"state": "all", "per_page": 100},
                )
                rest_times.append(time.perf_counter() - began)
                assert len(response.json()) == min(100, len(repo.pull_requests))
            print(f"REST: first pages of 100 pull requests, {_ms(rest_times)}")
    print(f"fake: {fake.stats.snapshot()}")


if __name__ == "__main__":
    main()
