"""The issue search, time windows, sorts, release filters and stats_v2 answer what Sentry would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx

from tests.fakes.sentry.conftest import read_all
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import FakeSentry


def _ids(client: httpx.Client, url: str) -> set[str]:
    issues, _ = read_all(client, url)
    return {issue["id"] for issue in issues}


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def test_without_a_query_only_unresolved_issues_are_listed(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    unresolved = {i.id for i in org.issues if i.status == "unresolved"}
    assert _ids(client, f"/organizations/{org.slug}/issues/") == unresolved
    assert len(unresolved) < len(org.issues)


def test_an_empty_query_lists_every_issue(client: httpx.Client, org: SentryOrganisation) -> None:
    assert _ids(client, f"/organizations/{org.slug}/issues/?query=") == {i.id for i in org.issues}


def test_last_seen_after_a_watermark_lists_what_changed_since(
    client: httpx.Client, fake: FakeSentry, org: SentryOrganisation
) -> None:
    watermark = org.now - timedelta(days=10)
    url = f"/organizations/{org.slug}/issues/?query={quote(f'lastSeen:>{_iso(watermark)}')}"
    assert _ids(client, url) == fake.truth.issue_ids_seen_after(watermark)
    quiet = next(i for i in org.issues if i.last_seen < watermark)
    fake.advance(timedelta(hours=1))
    fake.add_events(quiet.id, 3)
    assert quiet.id in _ids(client, url)


def test_status_level_environment_and_project_filters(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    base = f"/organizations/{org.slug}/issues/"
    resolved = _ids(client, f"{base}?query=is:resolved")
    assert resolved == {i.id for i in org.issues if i.status == "resolved"}
    fatal = _ids(client, f"{base}?query={quote('is:unresolved level:fatal')}")
    assert fatal == {i.id for i in org.issues if i.status == "unresolved" and i.level == "fatal"}
    staging = _ids(client, f"{base}?query=&environment=staging")
    assert staging == {i.id for i in org.issues if i.environment == "staging"}
    two = org.projects[:2]
    chosen = _ids(client, f"{base}?query=&project={two[0].id}&project={two[1].id}")
    assert chosen == {i.id for i in org.issues if i.project_id in {p.id for p in two}}
    everything = _ids(client, f"{base}?query=&project=-1")
    assert everything == {i.id for i in org.issues}


def test_stats_period_and_start_end_keep_issues_seen_in_the_window(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    base = f"/organizations/{org.slug}/issues/?query="
    recent = _ids(client, f"{base}&statsPeriod=7d")
    assert recent == {i.id for i in org.issues if i.last_seen >= org.now - timedelta(days=7)}
    start, end = org.now - timedelta(days=30), org.now - timedelta(days=20)
    window = _ids(client, f"{base}&start={_iso(start)}&end={_iso(end)}")
    assert window == {
        i.id
        for i in org.issues
        if i.first_seen <= end and i.last_seen >= start.replace(microsecond=0)
    }


def test_sort_orders(client: httpx.Client, org: SentryOrganisation) -> None:
    base = f"/organizations/{org.slug}/issues/?query=&limit=100"
    newest = client.get(f"{base}&sort=new").json()
    first_seen = [i["firstSeen"] for i in newest]
    assert first_seen == sorted(first_seen, reverse=True)
    frequent = client.get(f"{base}&sort=freq").json()
    counts = [int(i["count"]) for i in frequent]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == max(i.count for i in org.issues)
    assert client.get(f"{base}&sort=sideways").status_code == 400


def test_an_unknown_search_key_is_refused(client: httpx.Client, org: SentryOrganisation) -> None:
    answer = client.get(f"/organizations/{org.slug}/issues/?query=colour:blue")
    assert answer.status_code == 400
    assert "colour" in answer.json()["detail"]


def test_releases_filter_by_version_prefix_and_project(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    project = org.projects[0]
    prefix = f"{project.slug}@"
    named, _ = read_all(client, f"/organizations/{org.slug}/releases/?query={quote(prefix)}")
    assert {r["version"] for r in named} == {
        r.version for r in org.releases if r.version.startswith(prefix)
    }
    owned, _ = read_all(client, f"/organizations/{org.slug}/releases/?project={project.id}")
    assert {r["version"] for r in owned} == {
        r.version for r in org.releases if project.id in r.projects
    }


def test_a_releases_deploys_and_commits(client: httpx.Client, org: SentryOrganisation) -> None:
    release = next(r for r in org.releases if len(r.deploys) == 2 and len(r.commits) > 1)
    version = quote(release.version, safe="")
    deploys = client.get(f"/organizations/{org.slug}/releases/{version}/deploys/").json()
    assert [d["environment"] for d in deploys] == ["production", "staging"]
    commits = client.get(f"/organizations/{org.slug}/releases/{version}/commits/").json()
    assert [c["id"] for c in commits] == release.commits
    detail = client.get(f"/organizations/{org.slug}/releases/{version}/").json()
    assert (detail["commitCount"], detail["deployCount"]) == (len(release.commits), 2)
    assert detail["lastCommit"]["id"] == release.last_commit
    missing = client.get(f"/organizations/{org.slug}/releases/no-such-version/deploys/")
    assert missing.status_code == 404


def test_a_release_named_project_at_version_is_found_url_encoded(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    release = next(r for r in org.releases if "@" in r.version)
    answer = client.get(f"/organizations/{org.slug}/releases/{quote(release.version, safe='')}/")
    assert answer.status_code == 200
    assert answer.json()["version"] == release.version


def test_stats_v2_per_project_and_day_adds_up_to_the_truth(
    client: httpx.Client, fake: FakeSentry, org: SentryOrganisation
) -> None:
    answer = client.get(
        f"/organizations/{org.slug}/stats_v2/",
        params={
            "groupBy": "project",
            "field": "sum(quantity)",
            "interval": "1d",
            "statsPeriod": "90d",
            "category": "error",
            "outcome": "accepted",
        },
    ).json()
    served: dict[tuple[str, str], int] = {}
    for group in answer["groups"]:
        for moment, events in zip(
            answer["intervals"], group["series"]["sum(quantity)"], strict=True
        ):
            if events:
                served[(str(group["by"]["project"]), moment[:10])] = events
        assert group["totals"]["sum(quantity)"] == sum(group["series"]["sum(quantity)"])
    truth = {(p, day.isoformat()): n for (p, day), n in fake.truth.events_per_project_day.items()}
    assert served == truth


def test_stats_v2_hourly_matches_the_daily_figures(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    def totals(interval: str) -> dict[int, int]:
        answer = client.get(
            f"/organizations/{org.slug}/stats_v2/",
            params={
                "groupBy": "project",
                "field": "sum(quantity)",
                "interval": interval,
                "start": "2026-05-20T00:00:00",
                "end": "2026-05-27T00:00:00",
            },
        ).json()
        return {g["by"]["project"]: g["totals"]["sum(quantity)"] for g in answer["groups"]}

    assert totals("1h") == totals("1d")


def test_stats_v2_needs_a_group_by_and_a_field(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    url = f"/organizations/{org.slug}/stats_v2/"
    no_group = client.get(url, params={"field": "sum(quantity)", "statsPeriod": "1d"})
    assert no_group.status_code == 400
    no_field = client.get(url, params={"groupBy": "project", "statsPeriod": "1d"})
    assert no_field.status_code == 400


def test_events_of_an_issue_within_a_window_and_environment(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    incident = next(i for i in org.issues if len(i.events) > 100)
    start = incident.first_seen
    end = start + timedelta(hours=2)
    url = f"/issues/{incident.id}/events/?start={_iso(start)}&end={_iso(end)}"
    events, _ = read_all(client, url)
    expected = [e for e in incident.events if start.replace(microsecond=0) <= e.date_created <= end]
    assert len(events) == len(expected)
    other, _ = read_all(client, f"/issues/{incident.id}/events/?environment=staging")
    assert other == []
