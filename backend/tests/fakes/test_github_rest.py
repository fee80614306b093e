"""The fake's REST API over real HTTP: lists, pagination, ETags, tokens and limits."""

from __future__ import annotations

import httpx

from veelocity.demo import DemoOrganisation
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, TokenSpec


def test_user_answers_with_the_token_scopes(github: httpx.Client) -> None:
    response = github.get("/user")
    assert response.status_code == 200
    assert response.headers["x-oauth-scopes"] == "repo, read:org, workflow"
    assert response.json()["type"] == "User"


def test_unknown_token_is_refused_with_bad_credentials(base_url: str) -> None:
    response = httpx.get(f"{base_url}/user", headers={"Authorization": "token nope"})
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"


def test_unknown_organisation_and_repository_are_not_found(github: httpx.Client) -> None:
    assert github.get("/orgs/nobody").status_code == 404
    response = github.get("/repos/acme/nothing-here/pulls")
    assert response.status_code == 404
    assert response.json()["message"] == "Not Found"


def test_organisation_repositories_are_listed(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    response = github.get("/orgs/acme/repos", params={"per_page": 100})
    assert response.status_code == 200
    names = {repo["name"] for repo in response.json()}
    assert names == {repo.name for repo in small_org.repositories}


def test_pull_requests_paginate_with_links_in_the_repositories_form(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    seen: list[int] = []
    response = github.get(
        f"/repos/acme/{repo.name}/pulls",
        params={"state": "all", "sort": "updated", "direction": "desc", "per_page": 10},
    )
    assert f"/repositories/{repo.id}/pulls?" in response.headers["link"]
    while True:
        assert response.status_code == 200
        seen += [pr["number"] for pr in response.json()]
        next_link = response.links.get("next")
        if next_link is None:
            break
        response = github.get(next_link["url"])
    assert sorted(seen) == [pr.number for pr in repo.pull_requests]
    assert "last" not in response.links


def test_per_page_is_capped_at_one_hundred(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = max(small_org.repositories, key=lambda r: len(r.workflow_runs))
    response = github.get(f"/repos/acme/{repo.name}/actions/runs", params={"per_page": 500})
    body = response.json()
    assert len(body["workflow_runs"]) == 100
    assert body["total_count"] == len(repo.workflow_runs)


def test_etag_gives_a_free_304_to_an_authenticated_client(github: httpx.Client) -> None:
    first = github.get("/repos/acme/api/pulls", params={"state": "all"})
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = github.get(
        "/repos/acme/api/pulls", params={"state": "all"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]


def test_rate_limit_headers_count_down(github: httpx.Client) -> None:
    first = github.get("/orgs/acme")
    second = github.get("/orgs/acme")
    assert first.headers["x-ratelimit-limit"] == "5000"
    assert first.headers["x-ratelimit-resource"] == "core"
    assert int(second.headers["x-ratelimit-remaining"]) == (
        int(first.headers["x-ratelimit-remaining"]) - 1
    )


def test_primary_limit_exhaustion_answers_403_with_remaining_zero(
    fake: FakeGitHub, github: httpx.Client
) -> None:
    fake.exhaust(DEMO_TOKEN)
    response = github.get("/repos/acme/api/pulls")
    assert response.status_code == 403
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert "rate limit exceeded" in response.json()["message"]
    assert int(response.headers["x-ratelimit-reset"]) > 0


def test_a_token_without_repo_scope_sees_no_private_repository(
    small_org: DemoOrganisation,
) -> None:
    from veelocity.fakes.github import run_fake_github

    fake = FakeGitHub(small_org, tokens=[TokenSpec("narrow-token", scopes=("read:org",))])
    with run_fake_github(fake) as url:
        headers = {"Authorization": "token narrow-token"}
        assert httpx.get(f"{url}/orgs/acme/repos", headers=headers).json() == []
        assert httpx.get(f"{url}/repos/acme/api", headers=headers).status_code == 404
        user = httpx.get(f"{url}/user", headers=headers)
        assert user.headers["x-oauth-scopes"] == "read:org"


def test_enterprise_paths_serve_the_same_api(github: httpx.Client) -> None:
    response = github.get("/api/v3/repos/acme/api")
    assert response.status_code == 200
    assert response.json()["url"].endswith("/api/v3/repos/acme/api")


def test_contributor_statistics_are_computed_first(github: httpx.Client) -> None:
    assert github.get("/repos/acme/api/stats/contributors").status_code == 202
    ready = github.get("/repos/acme/api/stats/contributors")
    assert ready.status_code == 200
    assert sum(entry["total"] for entry in ready.json()) > 0


def test_pull_request_details_and_nested_lists(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    pr = next(p for p in repo.pull_requests if p.reviews and p.review_comments and p.merged_at)
    path = f"/repos/acme/{repo.name}/pulls/{pr.number}"
    detail = github.get(path).json()
    assert detail["merged"] is True
    assert detail["additions"] == pr.additions
    assert detail["changed_files"] == len(pr.files)
    reviews = github.get(f"{path}/reviews").json()
    assert [r["state"] for r in reviews] == [r.state for r in pr.reviews]
    commits = github.get(f"{path}/commits").json()
    assert [c["sha"] for c in commits] == [c.oid for c in pr.commits]
    files = github.get(f"{path}/files").json()
    assert {f["filename"] for f in files} == {f.path for f in pr.files}
    comments = github.get(f"{path}/comments").json()
    assert len(comments) == len(pr.review_comments)


def test_commits_follow_the_default_branch_graph(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = small_org.repositories[0]
    commits = github.get(f"/repos/acme/{repo.name}/commits", params={"per_page": 100}).json()
    assert commits[0]["sha"] == repo.head_oid
    head = repo.history[-1]
    assert [p["sha"] for p in commits[0]["parents"]] == list(head.parents)


def test_deployments_and_their_statuses(github: httpx.Client, small_org: DemoOrganisation) -> None:
    repo = next(r for r in small_org.repositories if r.deployments)
    deployments = github.get(f"/repos/acme/{repo.name}/deployments").json()
    newest = max(repo.deployments, key=lambda d: (d.created_at, d.id))
    assert deployments[0]["id"] == newest.id
    statuses = github.get(f"/repos/acme/{repo.name}/deployments/{newest.id}/statuses").json()
    assert [s["state"] for s in statuses] == [s.state for s in reversed(newest.statuses)]


def test_a_304_costs_a_request_when_unauthenticated(base_url: str) -> None:
    first = httpx.get(f"{base_url}/orgs/acme")
    assert first.headers["x-ratelimit-limit"] == "60"
    again = httpx.get(f"{base_url}/orgs/acme", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert int(again.headers["x-ratelimit-remaining"]) == (
        int(first.headers["x-ratelimit-remaining"]) - 1
    )


def test_unauthenticated_clients_see_no_private_repository(base_url: str) -> None:
    assert httpx.get(f"{base_url}/repos/acme/api").status_code == 404
    assert httpx.post(
        f"{base_url}/graphql", json={"query": "{ viewer { login } }"}
    ).status_code == (401)


def test_rate_limit_endpoint_is_free_and_reports_every_window(github: httpx.Client) -> None:
    github.get("/orgs/acme")
    first = github.get("/rate_limit").json()
    second = github.get("/rate_limit").json()
    assert first == second
    assert set(first["resources"]) >= {"core", "search", "graphql"}
    assert first["resources"]["core"]["used"] == 1
    assert first["rate"] == first["resources"]["core"]


def test_exhaustion_can_answer_429(small_org: DemoOrganisation) -> None:
    from veelocity.fakes.github import run_fake_github

    fake = FakeGitHub(small_org, exhausted_status=429)
    fake.exhaust(DEMO_TOKEN)
    with run_fake_github(fake) as url:
        response = httpx.get(f"{url}/orgs/acme", headers={"Authorization": f"token {DEMO_TOKEN}"})
    assert response.status_code == 429
    assert response.headers["x-ratelimit-remaining"] == "0"


def test_workflow_runs_filter_like_github(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = next(r for r in small_org.repositories if r.kind == "service")
    path = f"/repos/acme/{repo.name}/actions/runs"
    since = sorted(run.created_at for run in repo.workflow_runs)[len(repo.workflow_runs) // 2]
    day = since.date().isoformat()
    recent = github.get(path, params={"created": f">={day}", "per_page": 100}).json()
    expected = [r for r in repo.workflow_runs if r.created_at.date().isoformat() >= day]
    assert recent["total_count"] == len(expected)
    failed = github.get(path, params={"status": "failure", "per_page": 100}).json()
    assert failed["workflow_runs"]
    assert {run["conclusion"] for run in failed["workflow_runs"]} == {"failure"}
    pushes = github.get(path, params={"event": "push", "branch": "main"}).json()
    assert {(run["event"], run["head_branch"]) for run in pushes["workflow_runs"]} == {
        ("push", "main")
    }


def test_deployments_filter_by_environment(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = next(r for r in small_org.repositories if r.kind == "service")
    production = github.get(
        f"/repos/acme/{repo.name}/deployments",
        params={"environment": "production", "per_page": 100},
    ).json()
    assert production
    assert {d["environment"] for d in production} == {"production"}


def test_if_modified_since_gives_a_304_until_the_pull_request_changes() -> None:
    from datetime import timedelta

    from veelocity.demo import generate
    from veelocity.demo.generate import comment_on
    from veelocity.fakes.github import run_fake_github

    from .conftest import SMALL

    org = generate(SMALL)
    repo = org.repositories[0]
    pr = repo.pull_requests[0]
    fake = FakeGitHub(org)
    path = f"/repos/acme/{repo.name}/pulls/{pr.number}"
    headers = {"Authorization": f"token {DEMO_TOKEN}"}
    with run_fake_github(fake) as url, httpx.Client(base_url=url, headers=headers) as client:
        first = client.get(path)
        stamp = first.headers["last-modified"]
        assert stamp.endswith(" GMT")
        same = client.get(path, headers={"If-Modified-Since": stamp})
        assert same.status_code == 304
        assert same.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]
        fake.advance(timedelta(hours=1))
        with fake.lock:
            comment_on(org, repo.name, pr.number, "Still relevant?")
        changed = client.get(path, headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200
    assert changed.json()["comments"] == len(pr.comments)


def test_an_earlier_attempt_of_a_rerun_run(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo, run = next(
        (r, run) for r in small_org.repositories for run in r.workflow_runs if len(run.attempts) > 1
    )
    latest = github.get(f"/repos/acme/{repo.name}/actions/runs/{run.id}").json()
    assert latest["run_attempt"] == len(run.attempts)
    earlier = github.get(latest["previous_attempt_url"]).json()
    assert earlier["run_attempt"] == len(run.attempts) - 1
    assert earlier["conclusion"] == run.attempts[-2].conclusion
    missing = github.get(f"/repos/acme/{repo.name}/actions/runs/{run.id}/attempts/9")
    assert missing.status_code == 404
