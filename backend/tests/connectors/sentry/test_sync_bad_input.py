"""What Sentry may answer that a sync must survive: clear outcomes, nothing stored lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from veelocity.demo.sentry_model import Release, SentryOrganisation
from veelocity.fakes.sentry import FakeSentry
from veelocity.models.sentry import SentryDeploy, SentryIssue, SentryProject, SentryRelease
from veelocity.sync.context import SyncError

from .conftest import Harness, configure_sentry


def test_an_unknown_organisation_is_named_and_what_is_stored_stays(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    _fake, origin = served
    harness.run()
    stored = harness.count(SentryIssue.id)
    configure_sentry(harness.context, base_url=f"{origin}/api/0/", organization="umbrella")

    with pytest.raises(SyncError) as raised:
        harness.run()

    assert raised.value.code == "not_configured"
    assert "no organisation 'umbrella'" in raised.value.message
    assert harness.count(SentryIssue.id) == stored


def test_a_renamed_project_keeps_its_row_and_issues(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    harness.run()
    project = organisation.projects[0]
    issues = harness.count(SentryIssue.id)

    fake.rename_project(project.id, "storefront", "Storefront")
    harness.run()

    assert harness.rows(
        SentryProject.slug, SentryProject.name, where=[SentryProject.external_id == project.id]
    ) == [("storefront", "Storefront")]
    assert harness.count(SentryProject.id) == len(organisation.projects)
    assert harness.count(SentryIssue.id) == issues


def _add_release(
    fake: FakeSentry, organisation: SentryOrganisation, version: str, commits: list[str]
) -> None:
    newest = max(release.date_created for release in organisation.releases)
    with fake.lock:
        organisation.releases.append(
            Release(
                version=version,
                short_version=version,
                date_created=newest + timedelta(minutes=1),
                date_released=None,
                projects=[organisation.projects[0].id],
                commits=commits,
                last_commit=None,
                id=len(organisation.releases) + 10_000,
            )
        )
        fake.views.changed()


def test_a_release_without_commits_is_stored_without_asking_for_them(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    harness.run()
    fake.stats.reset()

    _add_release(fake, organisation, "web@9.9.9", [])
    harness.run()

    assert harness.rows(
        SentryRelease.commit_shas,
        SentryRelease.last_commit_sha,
        where=[SentryRelease.version == "web@9.9.9"],
    ) == [([], None)]
    assert fake.stats.by_path["/organizations/{org}/releases/{version}/commits/"] == 0


def test_a_release_whose_last_commit_is_not_named_has_its_commits_read(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    harness.run()
    shas = ["a" * 40, "b" * 40]

    _add_release(fake, organisation, "web@10.0.0", shas)
    harness.run()

    assert harness.rows(
        SentryRelease.commit_shas, where=[SentryRelease.version == "web@10.0.0"]
    ) == [(shas,)]


def test_a_release_that_matches_no_deployment_is_stored_with_its_project(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    _add_release(fake, organisation, "mobile@1.0.0", [])

    harness.run()

    assert harness.rows(
        SentryRelease.project_external_ids,
        SentryRelease.deployment_id,
        where=[SentryRelease.version == "mobile@1.0.0"],
    ) == [([organisation.projects[0].id], None)]


def test_issues_merged_or_deleted_after_a_sync_stay_stored(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    harness.run()
    gone, source, target = (issue.id for issue in organisation.issues[:3])
    stored = harness.count(SentryIssue.id)

    fake.delete_issue(gone)
    merged = fake.merge_issues(source, target)
    fake.advance(timedelta(minutes=10))
    fake.add_events(target, 5)
    harness.run()

    assert harness.count(SentryIssue.id) == stored
    assert harness.rows(SentryIssue.event_count, where=[SentryIssue.external_id == target]) == [
        (merged.count,)
    ]


def test_issues_deleted_between_two_pages_lose_nothing_else(
    harness: Harness, served: tuple[FakeSentry, str], organisation: SentryOrganisation
) -> None:
    fake, _origin = served
    oldest = min(organisation.issues, key=lambda issue: issue.last_seen).id

    def delete_one(org: SentryOrganisation) -> None:
        org.issues = [issue for issue in org.issues if issue.id != oldest]

    fake.faults.add("change_page", path=r"/issues/\?", mutate=delete_one)
    harness.run()

    assert fake.truth.issue_ids <= harness.values(SentryIssue.external_id)


@pytest.mark.parametrize("status", [400, 404])
def test_a_cursor_that_expires_restarts_the_pass_and_misses_nothing(
    harness: Harness, served: tuple[FakeSentry, str], status: int
) -> None:
    fake, _origin = served
    fake.faults.add("cursor_expired", path=r"/issues/\?", skip=1, status=status)

    harness.run()

    assert harness.values(SentryIssue.external_id) == fake.truth.issue_ids
    assert fake.stats.by_path["/organizations/{org}/issues/"] == 4 + 1 + 1


def test_a_429_in_the_middle_of_the_issues_is_waited_out(
    harness: Harness, served: tuple[FakeSentry, str]
) -> None:
    fake, _origin = served
    fake.faults.add("rate_limited", path=r"/issues/\?", skip=2, seconds=1)

    harness.run()

    assert fake.stats.rate_limited == 1
    assert harness.values(SentryIssue.external_id) == fake.truth.issue_ids


def test_a_self_hosted_sentry_under_a_path_is_read_from_its_api_root(
    make_harness: Callable[..., Harness], served: tuple[FakeSentry, str]
) -> None:
    fake, origin = served
    harness = make_harness()
    configure_sentry(harness.context, base_url=f"{origin}/sentry")

    harness.run()

    assert harness.values(SentryIssue.external_id) == fake.truth.issue_ids
    assert harness.values(SentryDeploy.external_id) == fake.truth.deploy_ids
