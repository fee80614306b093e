"""The fake's REST payloads have the fields and types of GitHub's real, recorded ones.

Every field of a recorded payload must be in the fake's, with the same JSON type wherever
both are non-null, recursively. The fake may add only the fields listed in NEWER_FIELDS,
which GitHub added after the recordings were made (they are in today's API description).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, run_fake_github

from .recordings import betamax, plain, recorded_item

# Added by GitHub to every object after the older recordings were made.
NEWER_EVERYWHERE = {"node_id"}
NEWER_FIELDS = {
    "commit": {"node_id"},
    "deployment": {
        "node_id",
        "original_environment",
        "transient_environment",
        "production_environment",
    },
    "deployment_status": {"node_id", "environment", "environment_url", "log_url"},
    "release": {"node_id"},
    "workflow_run": {"display_title"},
    "repository": set(),
    # A pull request in the issues list: GitHub adds these two to the issue's fields.
    "pull_request_issue": {"draft", "pull_request"},
}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_differences(real: Any, fake: Any, allowed_extra: set[str], path: str = "") -> list[str]:
    """Where the fake's payload does not have the real one's fields and types."""
    problems: list[str] = []
    if real is None or fake is None:
        return problems
    if _kind(real) != _kind(fake):
        return [f"{path or '.'}: real is {_kind(real)}, fake is {_kind(fake)}"]
    if isinstance(real, dict):
        for key, value in real.items():
            if key not in fake:
                problems.append(f"{path}.{key}: missing from the fake")
            else:
                problems += shape_differences(value, fake[key], set(), f"{path}.{key}")
        for key in fake.keys() - real.keys() - allowed_extra - NEWER_EVERYWHERE:
            problems.append(f"{path}.{key}: only in the fake")
    elif isinstance(real, list) and real and fake:
        problems += shape_differences(real[0], fake[0], set(), f"{path}[0]")
    return problems


@pytest.fixture(scope="module")
def org() -> DemoOrganisation:
    return generate(DemoConfig(seed=11, repositories=4, developers=8, months=2))


@pytest.fixture(scope="module")
def github(org: DemoOrganisation) -> Iterator[httpx.Client]:
    with run_fake_github(FakeGitHub(org)) as url:
        headers = {"Authorization": f"token {DEMO_TOKEN}"}
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            yield client


FULL = {"Accept": "application/vnd.github.v3.full+json"}


def _service(org: DemoOrganisation) -> str:
    return next(r.name for r in org.repositories if r.kind == "service")


def _library(org: DemoOrganisation) -> str:
    return next(r.name for r in org.repositories if r.releases)


def _reviewed(org: DemoOrganisation) -> tuple[str, int]:
    for repo in org.repositories:
        for pr in repo.pull_requests:
            if pr.reviews and pr.review_comments and pr.merged_at:
                return repo.name, pr.number
    raise LookupError("no reviewed pull request")


def test_pull_request_list_item(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Repository_pull_requests.json", "/pulls?")
    fake = github.get(f"/repos/acme/{_service(org)}/pulls", params={"state": "all"}, headers=FULL)
    assert shape_differences(real, fake.json()[0], set()) == []


def test_pull_request_detail(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-PullRequest_pull_reviews.json", "/pulls/671")
    name, number = _reviewed(org)
    fake = github.get(f"/repos/acme/{name}/pulls/{number}", headers=FULL).json()
    assert shape_differences(real, fake, set()) == []


def test_review(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-PullRequest_pull_reviews.json", "/reviews")
    name, number = _reviewed(org)
    fake = github.get(f"/repos/acme/{name}/pulls/{number}/reviews", headers=FULL).json()[0]
    assert shape_differences(real, fake, set()) == []


def test_review_comment(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-PullRequest_review_comments.json", "/comments")
    name, number = _reviewed(org)
    fake = github.get(f"/repos/acme/{name}/pulls/{number}/comments", headers=FULL).json()[0]
    assert shape_differences(real, fake, set()) == []


def test_commit(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Repository_commits.json", "/commits?")
    fake = github.get(f"/repos/acme/{_service(org)}/commits").json()[0]
    assert shape_differences(real, fake, NEWER_FIELDS["commit"]) == []


def test_deployment(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Repository_deployments.json", "/deployments?")
    fake = github.get(f"/repos/acme/{_service(org)}/deployments").json()[0]
    assert shape_differences(real, fake, NEWER_FIELDS["deployment"]) == []


def test_deployment_status(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Deployment_statuses.json", "/statuses")
    service = _service(org)
    deployment = github.get(f"/repos/acme/{service}/deployments").json()[0]
    fake = github.get(f"/repos/acme/{service}/deployments/{deployment['id']}/statuses").json()[0]
    assert shape_differences(real, fake, NEWER_FIELDS["deployment_status"]) == []


def test_release(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Repository_releases.json", "/releases?")
    fake = github.get(f"/repos/acme/{_library(org)}/releases").json()[0]
    assert shape_differences(real, fake, NEWER_FIELDS["release"]) == []


def test_workflow_run(github: httpx.Client, org: DemoOrganisation) -> None:
    real = plain("devlake-workflow-run.json")
    runs = github.get(f"/repos/acme/{_service(org)}/actions/runs").json()
    assert set(runs) == {"total_count", "workflow_runs"}
    fake = runs["workflow_runs"][0]
    assert shape_differences(real, fake, NEWER_FIELDS["workflow_run"]) == []


def test_repository(github: httpx.Client, org: DemoOrganisation) -> None:
    real = recorded_item("github3py-Repository_pull_requests.json", "/github3.py")
    fake = github.get(f"/repos/acme/{_service(org)}").json()
    # The recording is of a user's repository; an organisation's also names the organisation.
    allowed = {"organization"}
    differences = shape_differences(real, fake, allowed)
    assert differences == []


def _recorded_issues() -> list[Any]:
    return [
        item
        for exchange in plain("octokit-paginate-issues.json")
        if exchange["method"] == "get" and isinstance(exchange["response"], list)
        for item in exchange["response"]
    ]


def test_issue_list_item(github: httpx.Client, org: DemoOrganisation) -> None:
    real = _recorded_issues()[0]
    listed = github.get(
        f"/repos/acme/{_service(org)}/issues", params={"state": "all", "labels": "incident"}
    ).json()
    fake = next(item for item in listed if "pull_request" not in item)
    assert fake["labels"], "an incident issue has labels to compare"
    labelled = {**real, "labels": [_recorded_label()]}
    assert shape_differences(labelled, fake, set()) == []


def test_a_pull_request_in_the_issues_list_is_an_issue_with_a_pull_request_key(
    github: httpx.Client, org: DemoOrganisation
) -> None:
    real = _recorded_issues()[0]
    listed = github.get(f"/repos/acme/{_service(org)}/issues", params={"state": "all"}).json()
    fake = next(item for item in listed if "pull_request" in item)
    assert shape_differences(real, fake, NEWER_FIELDS["pull_request_issue"]) == []
    assert set(fake["pull_request"]) == {"url", "html_url", "diff_url", "patch_url", "merged_at"}


def test_a_single_issue_has_the_list_item_shape(
    github: httpx.Client, org: DemoOrganisation
) -> None:
    real = _recorded_issues()[0]
    repo = next(r for r in org.repositories if r.issues)
    fake = github.get(f"/repos/acme/{repo.name}/issues/{repo.issues[0].number}").json()
    assert shape_differences(real, fake, set()) == []
    assert fake["number"] == repo.issues[0].number


def _recorded_label() -> Any:
    """A label as GitHub sends it (the recorded issues have none; a recorded PR has)."""
    real_pr = recorded_item("github3py-Repository_pull_requests.json", "/pulls?")
    labels = real_pr.get("labels") or []
    if labels:
        return labels[0]
    return {
        "id": 1,
        "node_id": "LA_x",
        "url": "https://api.github.com/repos/o/r/labels/bug",
        "name": "bug",
        "color": "d73a4a",
        "default": True,
        "description": "Something isn't working",
    }


def test_the_comparison_catches_a_missing_field_and_a_wrong_type() -> None:
    real = {"id": 1, "user": {"login": "a"}, "draft": False}
    fake = {"id": "1", "user": {}, "draft": False}
    assert shape_differences(real, fake, set()) == [
        ".id: real is number, fake is str",
        ".user.login: missing from the fake",
    ]


def test_a_conditional_request_answers_like_the_recorded_304(
    github: httpx.Client, org: DemoOrganisation
) -> None:
    recorded = next(e for e in betamax("github3py-Branch_latest_sha.json") if e.status == 304)
    etag = github.get(f"/repos/acme/{_service(org)}/commits").headers["etag"]
    fake = github.get(f"/repos/acme/{_service(org)}/commits", headers={"If-None-Match": etag})
    assert (fake.status_code, recorded.status) == (304, 304)
    assert recorded.body is None
    assert fake.content == b""
    assert recorded.headers["etag"]
    assert fake.headers["etag"] == etag
    assert {"x-ratelimit-remaining", "x-ratelimit-reset"} <= recorded.headers.keys()
    assert {"x-ratelimit-remaining", "x-ratelimit-reset"} <= fake.headers.keys()


def _rels(link: str) -> set[str]:
    return {part.split('rel="')[1].rstrip('"') for part in link.split(", ")}


def test_link_headers_take_the_recorded_form(github: httpx.Client, org: DemoOrganisation) -> None:
    recorded_links = []
    for exchange in plain("octokit-paginate-issues.json"):
        headers = exchange.get("rawHeaders") or []
        pairs = {k.lower(): v for k, v in zip(headers[::2], headers[1::2], strict=False)}
        if "link" in pairs:
            recorded_links.append(pairs["link"])
    first_page, middle_page = recorded_links[0], recorded_links[1]
    service = next(r for r in org.repositories if r.name == _service(org))
    fake_first = github.get(f"/repos/acme/{service.name}/commits", params={"per_page": 3})
    fake_middle = github.get(fake_first.links["next"]["url"])
    for recorded, fake in ((first_page, fake_first), (middle_page, fake_middle)):
        assert "/repositories/" in recorded
        assert f"/repositories/{service.id}/commits?" in fake.headers["link"]
        assert _rels(fake.headers["link"]) == _rels(recorded)
