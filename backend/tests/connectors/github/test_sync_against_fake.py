"""The GitHub sync end to end against the local fake GitHub (real HTTP, real database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from veelocity.connectors.github import streams
from veelocity.demo.generate import comment_on, generate
from veelocity.demo.model import ChangedFile, DemoOrganisation, TimelineEvent
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub, TokenSpec, run_fake_github
from veelocity.models import PullRequest, PullRequestFile, Repository, SyncCheckpoint

from .conftest import SMALL, Harness, configure_github
from .truth import differences


@pytest.fixture(scope="module")
def small_org() -> DemoOrganisation:
    return generate(SMALL)


def test_a_full_sync_stores_exactly_the_organisation(
    harness: Harness, org: DemoOrganisation
) -> None:
    harness.run()
    assert differences(org, harness.context.session_factory) == []
    assert harness.reporter.items > 0
    assert harness.reporter.requests > 0
    assert harness.reporter.rate_limit_remaining is not None


def test_an_incremental_sync_with_nothing_changed_costs_one_request_per_stream(
    harness: Harness, served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    harness.run()
    fake.stats.reset()
    harness.run()
    repositories = len(org.repositories)
    streams_per_repository = 5  # commits, pull requests, deployments, releases, issues
    snapshot = fake.stats.snapshot()
    # the organisation's listing, then at most one request per repository per stream
    assert snapshot["requests"] <= 1 + repositories * (streams_per_repository + 1)
    # listing, commits, releases, issues
    assert snapshot["not_modified"] >= 1 + 3 * repositories
    assert differences(org, harness.context.session_factory) == []


def test_a_new_comment_is_picked_up_by_the_next_sync(
    harness: Harness, org: DemoOrganisation
) -> None:
    harness.run()
    repository = org.repositories[0]
    comment_on(org, repository.name, 1, "Looks good to me")
    harness.run()
    assert differences(org, harness.context.session_factory) == []


def test_explicit_repositories_are_synced_without_an_organisation(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    _fake, base_url = served
    harness = make_harness()
    name = org.repositories[1].full_name
    configure_github(harness.context, base_url=base_url, token=DEMO_TOKEN, repositories=[name])
    harness.run()
    stored = {external_id.split("#")[0] for (external_id,) in harness.rows(PullRequest.external_id)}
    assert stored == {name}


def test_a_rejected_token_fails_with_bad_credentials(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    _fake, base_url = served
    harness = make_harness()
    configure_github(
        harness.context, base_url=base_url, token="ghp_wrong", organizations=[org.login]
    )
    with pytest.raises(Exception, match="401") as raised:
        harness.run()
    assert getattr(raised.value, "code", None) == "bad_credentials"


def test_an_unknown_organisation_is_named(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str]
) -> None:
    _fake, base_url = served
    harness = make_harness()
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=["no-such-org"]
    )
    with pytest.raises(Exception, match="no-such-org") as raised:
        harness.run()
    assert getattr(raised.value, "code", None) == "not_found"


def test_an_unknown_repository_is_named(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    _fake, base_url = served
    harness = make_harness()
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, repositories=[f"{org.login}/nope"]
    )
    with pytest.raises(Exception, match=f"{org.login}/nope") as raised:
        harness.run()
    assert getattr(raised.value, "code", None) == "not_found"


def test_a_pull_request_with_more_comments_than_a_page_is_completed_by_fill_details(
    harness: Harness, org: DemoOrganisation
) -> None:
    repository = org.repositories[0]
    for index in range(45):
        comment_on(org, repository.name, 2, f"comment {index}")
        org.now += timedelta(seconds=1)
    harness.run()
    marks = harness.rows(SyncCheckpoint.scope, where=[SyncCheckpoint.stream == streams.PR_DETAILS])
    assert (f"{repository.full_name}#2",) in marks
    assert differences(org, harness.context.session_factory) != []
    harness.fill()
    assert differences(org, harness.context.session_factory) == []
    assert (
        harness.rows(SyncCheckpoint.scope, where=[SyncCheckpoint.stream == streams.PR_DETAILS])
        == []
    )


def test_a_second_token_takes_over_when_the_first_runs_out(
    make_harness: Callable[..., Harness], org: DemoOrganisation
) -> None:
    spare = "ghp_spare000000000000000000000000000000000"
    fake = FakeGitHub(org, tokens=[TokenSpec(DEMO_TOKEN), TokenSpec(spare)])
    fake.exhaust(DEMO_TOKEN, "core")
    fake.exhaust(DEMO_TOKEN, "graphql")
    with run_fake_github(fake) as base_url:
        harness = make_harness()
        configure_github(
            harness.context,
            base_url=base_url,
            token=f"{DEMO_TOKEN}, {spare}",
            organizations=[org.login],
        )
        harness.run()
    assert differences(org, harness.context.session_factory) == []


def test_every_token_spent_stops_with_rate_limited_and_when_it_resets(
    make_harness: Callable[..., Harness], org: DemoOrganisation
) -> None:
    fake = FakeGitHub(org)
    fake.exhaust(DEMO_TOKEN, "core")
    with run_fake_github(fake) as base_url:
        harness = make_harness()
        configure_github(
            harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
        )
        with pytest.raises(Exception, match="UTC") as raised:
            harness.run()
    assert getattr(raised.value, "code", None) == "rate_limited"
    assert getattr(raised.value, "resets_at", None) is not None


def test_a_pull_request_with_a_long_timeline_is_completed_by_fill_details(
    harness: Harness, org: DemoOrganisation
) -> None:
    repository = org.repositories[1]
    pull_request = repository.pull_requests[0]
    reviewer = next(m.login for m in org.members if m.login != pull_request.author)
    for index in range(40):
        at = pull_request.created_at + timedelta(minutes=index + 1)
        pull_request.timeline.append(
            TimelineEvent(
                id=990_000 + index,
                node_id=f"RRE_{990_000 + index}",
                type="REVIEW_REQUESTED_EVENT",
                actor=pull_request.author,
                created_at=at,
                requested_reviewer=reviewer,
            )
        )
    pull_request.updated_at = org.now
    harness.run()
    assert differences(org, harness.context.session_factory) != []
    harness.fill()
    assert differences(org, harness.context.session_factory) == []


def test_fill_details_stores_file_lists_and_sizes_leave_out_lock_files(
    harness: Harness, org: DemoOrganisation
) -> None:
    repository = org.repositories[0]
    wide = next(pr for pr in repository.pull_requests if pr.merged_at is not None)
    # more files than one GraphQL page holds: read whole over REST
    wide.files = [ChangedFile(f"src/module_{index}.py", 2, 1) for index in range(130)]
    wide.files.append(ChangedFile("web/package-lock.json", 500, 300))
    harness.run()
    assert harness.count(PullRequestFile.path) == 0
    harness.fill()

    merged = {
        (r.full_name, pr.number): pr
        for r in org.repositories
        for pr in r.pull_requests
        if pr.merged_at is not None
    }
    stored = harness.rows(
        Repository.full_name,
        PullRequest.number,
        PullRequest.id,
        PullRequest.size,
        PullRequest.files_known,
        where=[Repository.id == PullRequest.repository_id, PullRequest.merged_at.is_not(None)],
    )
    assert len(stored) == len(merged)
    files = defaultdict(set)
    for pull_request_id, path, additions, deletions in harness.rows(
        PullRequestFile.pull_request_id,
        PullRequestFile.path,
        PullRequestFile.additions,
        PullRequestFile.deletions,
    ):
        files[pull_request_id].add((path, additions, deletions))
    lock_only = 0
    for full_name, number, pull_request_id, size, files_known in stored:
        expected = merged[(full_name, number)]
        assert files_known
        assert files[pull_request_id] == {
            (f.path, f.additions, f.deletions) for f in expected.files
        }
        counted = [f for f in expected.files if not f.path.endswith((".lock", "package-lock.json"))]
        assert size == sum(f.additions + f.deletions for f in counted)
        lock_only += bool(expected.files) and not counted
    assert lock_only > 0, "the demo's dependency updates change only lock files"
    assert len(files[_id_of(stored, repository.full_name, wide.number)]) == 131

    # the lists are the checkpoint: nothing is asked again
    requests = harness.reporter.requests
    harness.fill()
    assert harness.reporter.requests == requests


def test_without_size_exclusions_no_file_list_is_fetched(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    _fake, base_url = served
    harness = make_harness(pr_size_exclude=[])
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
    )
    harness.run()
    harness.fill()
    assert harness.count(PullRequest.id, PullRequest.files_known.is_(True)) == 0


def _id_of(rows: list[Any], full_name: str, number: int) -> int:
    return next(row[2] for row in rows if row[0] == full_name and row[1] == number)
