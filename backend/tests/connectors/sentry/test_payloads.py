"""The connector reads Sentry's own response examples (the OpenAPI subset) and answers from
other Sentry versions: extra fields are ignored, missing optional ones are empty, and an
answer without what the store needs is refused by name."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from veelocity.connectors.base import ConnectorError
from veelocity.connectors.sentry import payloads
from veelocity.connectors.sentry.client import next_cursor
from veelocity.records.sentry import SentryErrorStatRecord

SUBSET = Path(__file__).parents[2] / "contract" / "sentry" / "openapi-subset.json"
ORG = "/api/0/organizations/{organization_id_or_slug}"


def _example(path: str) -> Any:
    spec = json.loads(SUBSET.read_text())
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    if "example" in content:
        return content["example"]
    return next(iter(content["examples"].values()))["value"]


def test_sentrys_project_example() -> None:
    [project] = [payloads.project(item) for item in _example(f"{ORG}/projects/")]

    assert (project.external_id, project.slug, project.name, project.platform) == (
        "3",
        "prime-mover",
        "Prime Mover",
        None,
    )
    assert project.created_at == datetime(2018, 11, 6, 21, 19, 58, 536000, tzinfo=UTC)


def test_sentrys_releases_example() -> None:
    first, second = (
        payloads.release_record(payloads.release(item), None, None)
        for item in _example(f"{ORG}/releases/")
    )

    assert (first.version, first.short_version, first.project_slugs) == (
        "2.0rc2",
        "2.0rc2",
        ("pump-station",),
    )
    assert second.version == "2b6af31b2edccc73a629108b17344dfe20858780"
    assert second.last_commit_sha is None
    assert (first.commit_shas, first.deploys) == (None, None)


def test_sentrys_release_deploys_and_commits_examples() -> None:
    [deploy] = [payloads.deploy(item) for item in _example(f"{ORG}/releases/{{version}}/deploys/")]
    [sha] = [payloads.commit_sha(i) for i in _example(f"{ORG}/releases/{{version}}/commits/")]

    assert (deploy.external_id, deploy.environment, deploy.started_at) == ("1234567", "prod", None)
    assert deploy.finished_at == datetime(2020, 8, 31, 19, 40, 38, 651670, tzinfo=UTC)
    assert sha == "acbafc639127fd89d10f474520104517ff1d709e"


def test_sentrys_issue_list_example_reads_count_as_a_number() -> None:
    [issue] = [
        payloads.issue(item)
        for item in _example(
            "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/issues/"
        )
    ]

    assert (issue.external_id, issue.short_id, issue.project_external_id) == (
        "1",
        "PUMP-STATION-1",
        "2",
    )
    assert (issue.level, issue.status, issue.event_count, issue.user_count) == (
        "error",
        "unresolved",
        1,
        0,
    )
    assert issue.first_seen == datetime(2018, 11, 6, 21, 19, 55, tzinfo=UTC)
    assert issue.detailed is False


def test_sentrys_issue_detail_example_names_its_first_release() -> None:
    issue = payloads.issue(_example(f"{ORG}/issues/{{issue_id}}/"), detailed=True)

    assert issue.first_release_version == "17642328ead24b51867165985996d04b29310337"
    assert issue.tags == {}
    assert issue.detailed


def test_sentrys_event_example_names_environment_and_release() -> None:
    [event] = [payloads.event(item) for item in _example("/api/0/issues/{issue_id}/events/")]

    assert (event.external_id, event.environment, event.release_version, event.user_key) == (
        "9fac2ceed9344f2bbfdd1fdacb0ed9b1",
        "production",
        "17642328ead24b51867165985996d04b29310337",
        None,
    )


def test_sentrys_stats_example_grouped_by_project() -> None:
    body = _example(f"{ORG}/stats_v2/")
    body["groups"] = [
        {"by": {"project": 42}, "totals": {"sum(quantity)": 7}, "series": {"sum(quantity)": [7]}}
    ]

    assert payloads.error_stats(body) == [SentryErrorStatRecord("42", date(2022, 2, 28), 7)]


def test_another_versions_extra_fields_and_missing_optional_ones_are_tolerated() -> None:
    item = {
        "id": 77,
        "shortId": "API-2",
        "status": "resolved",
        "firstSeen": "2026-01-02T03:04:05.123456Z",
        "lastSeen": "2026-01-03T00:00:00Z",
        "count": "9007199254740993",
        "project": {"id": 5, "slug": "api"},
        "tags": [{"key": "environment", "topValues": [{"value": "prod"}]}],
        "assignedTo": {"type": "team", "id": "8", "name": "backend"},
        "firstRelease": "api@1.2.0",
        "seerFixabilityScore": 0.4,
        "priorityLockedAt": None,
    }

    issue = payloads.issue(item, detailed=True)

    assert (issue.external_id, issue.project_external_id, issue.event_count) == (
        "77",
        "5",
        9007199254740993,
    )
    assert issue.tags == {"environment": "prod"}
    assert issue.assigned_to == "team:backend"
    assert issue.first_release_version == "api@1.2.0"
    assert issue.resolved_at == datetime(2026, 1, 3, tzinfo=UTC)


def test_an_issue_without_its_first_event_time_is_refused_by_name() -> None:
    with pytest.raises(ConnectorError, match=r"an issue we cannot read \(firstSeen"):
        payloads.issue({"id": "1", "shortId": "X-1", "status": "unresolved", "project": {}})


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            '<https://sentry.io/api/0/x/?&cursor=0:0:1>; rel="previous"; results="false"; '
            'cursor="0:0:1", <https://sentry.io/api/0/x/?&cursor=0:100:0>; rel="next"; '
            'results="true"; cursor="0:100:0"',
            "0:100:0",
        ),
        (
            '<https://sentry.io/api/0/x/?&cursor=0:0:1>; rel="previous"; results="true"; '
            'cursor="0:0:1", <https://sentry.io/api/0/x/?&cursor=0:200:0>; rel="next"; '
            'results="false"; cursor="0:200:0"',
            None,
        ),
        ('<https://sentry.io/api/0/x/?cursor=1420837590:0:0>; rel="next"', "1420837590:0:0"),
        ("", None),
    ],
)
def test_the_next_cursor_comes_from_the_link_header(link: str, expected: str | None) -> None:
    assert next_cursor(link) == expected
