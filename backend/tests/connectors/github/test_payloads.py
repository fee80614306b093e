"""Mapping GitHub's payloads to records: real recorded REST answers, and GraphQL pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from tests.contract.recordings import plain
from veelocity.connectors.github import payloads
from veelocity.records import PullRequestCommitRecord, PullRequestEventRecord

from .recordings import body_of


def test_recorded_commits_map_to_the_commit_graph() -> None:
    body = body_of("Repository_commits", "/commits?")
    commits = [
        payloads.commit_record("sigmavirus24/github3.py", c)
        for c in payloads.parse_list(payloads.RestCommit, body)
    ]
    assert len(commits) == 25
    first = commits[0]
    assert first.sha == "977560f205a84449522988b52e196f4bf502f79a"
    assert first.authored_at is not None
    assert first.authored_at.tzinfo is not None
    assert all(len(parent) == 40 for c in commits for parent in c.parents)
    # a page of a real history links up: most parents are commits of the same page
    shas = {c.sha for c in commits}
    assert sum(parent in shas for c in commits for parent in c.parents) >= 20


def test_recorded_reviews_map_to_review_events() -> None:
    reviews = payloads.parse_list(
        payloads.RestReview, body_of("PullRequest_pull_reviews", "/reviews")
    )
    events = payloads.review_events(reviews, [])
    assert events
    assert {e.kind for e in events} == {"review"}
    assert events[0].actor == "sigmavirus24"
    assert {e.state for e in events} <= {"APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"}


def test_recorded_review_comments_map_to_review_comment_events() -> None:
    comments = payloads.parse_list(
        payloads.RestComment, body_of("PullRequest_review_comments", "/comments")
    )
    events = payloads.review_events([], comments)
    assert len(events) == len(comments) > 0
    assert all(e.kind == "review_comment" and e.actor for e in events)


def test_recorded_releases_map_to_release_deployments() -> None:
    releases = payloads.parse_list(
        payloads.RestRelease, body_of("Repository_releases", "/releases")
    )
    records = [payloads.release_record("sigmavirus24/github3.py", r) for r in releases]
    published = [r for r in records if r is not None]
    assert published
    release = published[0]
    assert release.environment == "release"
    assert release.status == "success"
    assert release.external_id.startswith("sigmavirus24/github3.py/release/")
    assert release.name


def test_a_draft_release_is_not_a_deployment() -> None:
    draft = payloads.RestRelease(
        id=1, tag_name="v1", draft=True, created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert payloads.release_record("acme/api", draft) is None


def make_pull_request_node(**overrides: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "databaseId": 7,
        "number": 42,
        "title": "Add billing export",
        "url": "https://github.com/acme/api/pull/42",
        "state": "MERGED",
        "isDraft": False,
        "createdAt": "2026-03-01T09:00:00Z",
        "updatedAt": "2026-03-02T12:00:00Z",
        "mergedAt": "2026-03-02T11:00:00Z",
        "closedAt": "2026-03-02T11:00:00Z",
        "additions": 120,
        "deletions": 8,
        "headRefName": "feature/billing-export",
        "author": {"login": "ada"},
        "mergeCommit": {"oid": "a" * 40},
        "labels": {"nodes": [{"name": "billing"}]},
        "reviews": {
            "pageInfo": {"hasNextPage": False},
            "nodes": [
                {
                    "author": {"login": "grace"},
                    "state": "APPROVED",
                    "submittedAt": "2026-03-02T10:00:00Z",
                    "comments": {
                        "pageInfo": {"hasNextPage": False},
                        "nodes": [
                            {"author": {"login": "grace"}, "createdAt": "2026-03-02T09:59:00Z"}
                        ],
                    },
                },
                {"author": {"login": "linus"}, "state": "PENDING", "submittedAt": None},
            ],
        },
        "comments": {
            "pageInfo": {"hasNextPage": False},
            "nodes": [{"author": None, "createdAt": "2026-03-01T10:00:00Z"}],
        },
        "commits": {
            "pageInfo": {"hasNextPage": False},
            "nodes": [{"commit": {"oid": "b" * 40, "authoredDate": "2026-02-28T17:00:00Z"}}],
        },
        "timelineItems": {
            "pageInfo": {"hasNextPage": False},
            "nodes": [
                {
                    "__typename": "ReviewRequestedEvent",
                    "actor": {"login": "ada"},
                    "createdAt": "2026-03-01T09:05:00Z",
                    "requestedReviewer": {"__typename": "User", "login": "grace"},
                },
                {
                    "__typename": "ReadyForReviewEvent",
                    "actor": {"login": "ada"},
                    "createdAt": "2026-03-01T09:04:00Z",
                },
            ],
        },
    }
    node.update(overrides)
    return node


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_graphql_pull_request_maps_with_its_nested_lists() -> None:
    node = payloads.GqlPullRequest.model_validate(make_pull_request_node())
    record = payloads.pull_request_record("acme/api", node)
    assert record.external_id == "acme/api#42"
    assert record.state == "merged"
    assert record.author == "ada"
    assert record.merge_commit_sha == "a" * 40
    assert record.labels == ("billing",)
    assert record.commits == (PullRequestCommitRecord("b" * 40, _at("2026-02-28T17:00:00Z")),)
    assert set(record.events or ()) == {
        PullRequestEventRecord("review", "grace", _at("2026-03-02T10:00:00Z"), state="APPROVED"),
        PullRequestEventRecord("review_comment", "grace", _at("2026-03-02T09:59:00Z")),
        PullRequestEventRecord("comment", "ghost", _at("2026-03-01T10:00:00Z")),
        PullRequestEventRecord(
            "review_requested", "ada", _at("2026-03-01T09:05:00Z"), subject="grace"
        ),
        PullRequestEventRecord("ready_for_review", "ada", _at("2026-03-01T09:04:00Z")),
    }
    assert node.overflowing() == []


def test_nested_lists_that_overflow_are_named_for_the_details_job() -> None:
    node = payloads.GqlPullRequest.model_validate(
        make_pull_request_node(
            commits={"pageInfo": {"hasNextPage": True}, "nodes": []},
            comments={"pageInfo": {"hasNextPage": True}, "nodes": []},
        )
    )
    assert node.overflowing() == ["comments", "commits"]


def test_an_unknown_pull_request_state_is_refused_with_its_number() -> None:
    node = payloads.GqlPullRequest.model_validate(make_pull_request_node(state="LOCKED"))
    with pytest.raises(ValueError, match="acme/api#42"):
        payloads.pull_request_record("acme/api", node)


def test_a_pull_request_without_its_creation_time_fails_validation() -> None:
    broken = make_pull_request_node()
    del broken["createdAt"]
    with pytest.raises(ValidationError, match="createdAt"):
        payloads.GqlPullRequest.model_validate(broken)


@pytest.mark.parametrize(
    ("state", "expected"),
    [("SUCCESS", "success"), ("INACTIVE", "success"), ("FAILURE", "failure"), ("ERROR", "failure")],
)
def test_finished_deployments_map_to_their_outcome(state: str, expected: str) -> None:
    node = payloads.GqlDeployment.model_validate(
        {
            "databaseId": 9,
            "environment": "production",
            "createdAt": "2026-03-03T10:00:00Z",
            "commitOid": "c" * 40,
            "latestStatus": {"state": state, "createdAt": "2026-03-03T10:05:00Z"},
        }
    )
    record = payloads.deployment_record("acme/api", node)
    assert record is not None
    assert record.status == expected
    assert record.finished_at == _at("2026-03-03T10:05:00Z")
    assert record.commit_sha == "c" * 40


def test_a_deployment_still_in_progress_is_not_recorded_yet() -> None:
    node = payloads.GqlDeployment.model_validate(
        {
            "databaseId": 9,
            "createdAt": "2026-03-03T10:00:00Z",
            "latestStatus": {"state": "IN_PROGRESS", "createdAt": "2026-03-03T10:01:00Z"},
        }
    )
    assert payloads.deployment_record("acme/api", node) is None


def test_only_finished_deployment_workflow_runs_become_deployments() -> None:
    run = {
        "id": 5,
        "name": "Deploy to production",
        "workflow_id": 3,
        "status": "completed",
        "conclusion": "failure",
        "created_at": "2026-03-03T10:00:00Z",
        "updated_at": "2026-03-03T10:09:00Z",
        "head_sha": "d" * 40,
    }
    record = payloads.workflow_run_record(
        "acme/api", payloads.RestWorkflowRun.model_validate(run), "Deploy to production"
    )
    assert record is not None
    assert record.status == "failure"
    assert record.environment == "Deploy to production"
    cancelled = payloads.RestWorkflowRun.model_validate({**run, "conclusion": "cancelled"})
    assert payloads.workflow_run_record("acme/api", cancelled, "Deploy") is None


def test_bot_logins_keep_their_bot_suffix_as_rest_spells_them() -> None:
    node = payloads.GqlPullRequest.model_validate(
        make_pull_request_node(author={"__typename": "Bot", "login": "dependabot"})
    )
    assert payloads.pull_request_record("acme/api", node).author == "dependabot[bot]"


def _recorded_issue_items() -> list[dict[str, Any]]:
    return [
        item
        for exchange in plain("octokit-paginate-issues.json")
        if exchange["method"] == "get" and isinstance(exchange["response"], list)
        for item in exchange["response"]
    ]


def test_recorded_issues_map_to_issue_records() -> None:
    items = payloads.parse_list(payloads.RestIssue, _recorded_issue_items())
    repository = "octokit-fixture-org/paginate-issues"
    records = [payloads.issue_record(repository, item) for item in items]
    assert len(records) == 13
    assert not any(item.is_pull_request for item in items)
    by_number = {r.number: r for r in records}
    assert sorted(by_number) == list(range(1, 14))
    first = by_number[13]
    assert first.external_id == f"{repository}#13"
    assert first.external_id == payloads.numbered_external_id(repository, 13)
    assert first.source == "github"
    assert first.title == "Test issue 13"
    assert first.author == "octokit-fixture-user-a"
    assert first.state == "open"
    assert first.state_reason is None
    assert first.closed_at is None
    assert first.labels == ()
    assert first.url is not None
    assert first.url.startswith("https://github.com/")
    assert first.url.endswith("/issues/13")
    assert first.created_at == datetime(2022, 7, 19, 4, 39, 16, tzinfo=UTC)


def test_a_pull_request_in_the_issues_list_is_recognised_and_labels_are_names() -> None:
    item = {
        **_recorded_issue_items()[0],
        "labels": [{"id": 1, "name": "incident", "color": "d73a4a"}, {"name": "severity:high"}],
        "state": "closed",
        "state_reason": "completed",
        "closed_at": "2022-07-20T10:00:00Z",
    }
    issue = payloads.RestIssue.model_validate(item)
    assert not issue.is_pull_request
    record = payloads.issue_record("o/r", issue)
    assert record.labels == ("incident", "severity:high")
    assert (record.state, record.state_reason) == ("closed", "completed")
    assert record.closed_at == datetime(2022, 7, 20, 10, tzinfo=UTC)
    pull = payloads.RestIssue.model_validate(
        {**item, "pull_request": {"url": "u", "html_url": "h", "merged_at": None}}
    )
    assert pull.is_pull_request


def test_an_issue_without_its_times_is_refused() -> None:
    item = {k: v for k, v in _recorded_issue_items()[0].items() if k != "updated_at"}
    with pytest.raises(ValidationError):
        payloads.RestIssue.model_validate(item)
