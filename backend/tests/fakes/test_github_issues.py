"""The fake's issues list: GitHub's filters, order and pages, pull requests included."""

from __future__ import annotations

import httpx

from veelocity.demo import DemoOrganisation, Repository
from veelocity.fakes.github.payloads import iso


def _busiest(org: DemoOrganisation) -> Repository:
    return max(org.repositories, key=lambda r: len(r.issues))


def _all_pages(github: httpx.Client, path: str, params: dict[str, str]) -> list[dict]:
    response = github.get(path, params=params)
    items: list[dict] = []
    while True:
        assert response.status_code == 200
        items += response.json()
        if "next" not in response.links:
            return items
        response = github.get(response.links["next"]["url"])


def test_issues_and_pull_requests_are_listed_with_links_in_the_repositories_form(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = _busiest(small_org)
    first = github.get(f"/repos/acme/{repo.name}/issues", params={"state": "all", "per_page": 7})
    assert f"/repositories/{repo.id}/issues?" in first.headers["link"]
    items = _all_pages(github, f"/repos/acme/{repo.name}/issues", {"state": "all", "per_page": 7})
    issues = {i["number"] for i in items if "pull_request" not in i}
    pulls = {i["number"] for i in items if "pull_request" in i}
    assert issues == {i.number for i in repo.issues}
    assert pulls == {pr.number for pr in repo.pull_requests}
    # newest created first by default
    created = [i["created_at"] for i in items]
    assert created == sorted(created, reverse=True)


def test_a_pull_request_item_carries_its_pull_request_key_and_labels(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = _busiest(small_org)
    merged = next(pr for pr in repo.pull_requests if pr.merged_at and pr.labels)
    item = github.get(f"/repos/acme/{repo.name}/issues/{merged.number}").json()
    assert item["pull_request"]["merged_at"] == iso(merged.merged_at)
    assert item["pull_request"]["url"].endswith(f"/repos/acme/{repo.name}/pulls/{merged.number}")
    assert [label["name"] for label in item["labels"]] == merged.labels


def test_state_defaults_to_open(github: httpx.Client, small_org: DemoOrganisation) -> None:
    repo = _busiest(small_org)
    items = _all_pages(github, f"/repos/acme/{repo.name}/issues", {"per_page": "100"})
    assert {i["state"] for i in items} <= {"open"}
    open_count = sum(i.closed_at is None for i in repo.issues)
    open_count += sum(pr.closed_at is None for pr in repo.pull_requests)
    assert len(items) == open_count
    closed = _all_pages(github, f"/repos/acme/{repo.name}/issues", {"state": "closed"})
    assert {i["state"] for i in closed} == {"closed"}


def test_since_sort_and_direction(github: httpx.Client, small_org: DemoOrganisation) -> None:
    repo = _busiest(small_org)
    middle = sorted(i.updated_at for i in repo.issues)[len(repo.issues) // 2]
    since = iso(middle)
    assert since is not None
    params = {"state": "all", "since": since, "sort": "updated", "direction": "asc"}
    items = _all_pages(github, f"/repos/acme/{repo.name}/issues", params)
    updated = [i["updated_at"] for i in items]
    assert updated == sorted(updated)
    assert updated[0] >= since
    expected = {i.number for i in repo.issues if (iso(i.updated_at) or "") >= since}
    expected |= {pr.number for pr in repo.pull_requests if (iso(pr.updated_at) or "") >= since}
    assert {i["number"] for i in items} == expected


def test_labels_filter_keeps_items_with_every_label(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = next(r for r in small_org.repositories if any("incident" in i.labels for i in r.issues))
    items = _all_pages(
        github, f"/repos/acme/{repo.name}/issues", {"state": "all", "labels": "incident,bug"}
    )
    assert items
    assert all({"incident", "bug"} <= {label["name"] for label in i["labels"]} for i in items)
    assert {i["number"] for i in items} == {
        i.number for i in repo.issues if {"incident", "bug"} <= set(i.labels)
    }


def test_an_unchanged_issues_page_answers_304(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = _busiest(small_org)
    path, params = f"/repos/acme/{repo.name}/issues", {"state": "all", "per_page": "100"}
    first = github.get(path, params=params)
    assert first.headers["etag"].startswith('W/"')
    again = github.get(path, params=params, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_a_single_issue_and_an_unknown_number(
    github: httpx.Client, small_org: DemoOrganisation
) -> None:
    repo = _busiest(small_org)
    issue = repo.issues[0]
    body = github.get(f"/repos/acme/{repo.name}/issues/{issue.number}").json()
    assert (body["id"], body["title"], body["state"]) == (issue.id, issue.title, issue.state)
    assert "pull_request" not in body
    assert github.get(f"/repos/acme/{repo.name}/issues/99999999").status_code == 404
