"""Fault injection, changes between pages, region and self-hosted base URLs, and the live clock."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import pytest

from tests.fakes.sentry.conftest import next_url, read_all
from veelocity.demo.sentry_model import SentryOrganisation
from veelocity.fakes.sentry import DEMO_TOKEN, FakeSentry

ISSUES = "/organizations/{org}/issues/?query=&limit=100"


def test_a_status_fault_answers_that_status_then_recovers(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.faults.add("status", path="/issues/", status=502, count=2)
    url = ISSUES.format(org=org.slug)
    assert [client.get(url).status_code for _ in range(3)] == [502, 502, 200]
    assert client.get(f"/organizations/{org.slug}/projects/").status_code == 200


def test_a_hang_outlasts_the_clients_timeout(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.faults.add("hang", path="/releases/", seconds=2)
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"/organizations/{org.slug}/releases/", timeout=0.5)


@pytest.mark.parametrize("kind", ["reset", "malformed", "truncated"])
def test_broken_bodies(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation, kind: str
) -> None:
    fake.faults.add(kind, path="/issues/")
    url = ISSUES.format(org=org.slug)
    if kind == "reset":
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(url)
    else:
        answer = client.get(url)
        assert answer.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(answer.content)
    assert client.get(url).status_code == 200


def test_a_rate_limited_fault_is_a_429_mid_read(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.faults.add("rate_limited", path="cursor=", seconds=7)
    first = client.get(ISSUES.format(org=org.slug))
    throttled = client.get(next_url(first) or "")
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "7"
    assert throttled.json() == {"detail": "Request was throttled. Expected available in 7 seconds."}
    assert client.get(next_url(first) or "").status_code == 200


@pytest.mark.parametrize("status", [400, 404])
def test_an_expired_cursor_is_refused_only_when_a_cursor_is_sent(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation, status: int
) -> None:
    fake.faults.add("cursor_expired", path="cursor=", status=status)
    first = client.get(ISSUES.format(org=org.slug))
    assert first.status_code == 200
    expired = client.get(next_url(first) or "")
    assert expired.status_code == status
    assert set(expired.json()) == {"detail"}


def test_an_issue_merged_between_two_pages_loses_nothing_else(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.faults.add("change_page", path="/issues/", count=1)
    before = {i.id for i in org.issues}
    issues, _ = read_all(client, ISSUES.format(org=org.slug))
    read = {i["id"] for i in issues}
    after = fake.truth.issue_ids
    assert len(after) == len(before) - 1
    # The survivor was seen again now, so it moved to the top, behind the reader: a later
    # `lastSeen:>` read brings it back. Every other issue was read.
    survivor = max(org.issues, key=lambda i: i.last_seen)
    assert after - read <= {survivor.id}


def test_an_issue_deleted_between_pages_answers_404_for_its_events(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    doomed = org.issues[5].id
    fake.faults.add("change_page", path="/issues/", mutate=lambda o: o.issues.pop(5))
    first = client.get(ISSUES.format(org=org.slug))
    assert first.status_code == 200
    gone = client.get(f"/organizations/{org.slug}/issues/{doomed}/events/")
    assert (gone.status_code, gone.json()) == (
        404,
        {"detail": "The requested resource does not exist"},
    )


def test_latency_is_added_to_every_answer(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.faults.latency = 0.2
    started = time.monotonic()
    client.get(f"/organizations/{org.slug}/projects/")
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("prefix", ["", "/sentry", "/tools/errors"])
def test_any_prefix_before_api_0_serves_the_api_and_links_keep_it(
    origin: str, org: SentryOrganisation, prefix: str
) -> None:
    base = f"{origin}{prefix}/api/0"
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with httpx.Client(headers=headers) as http:
        answer = http.get(f"{base}/organizations/{org.slug}/issues/?query=&limit=10")
        assert answer.status_code == 200
        following = next_url(answer) or ""
        assert following.startswith(f"{base}/organizations/{org.slug}/issues/?")
        assert http.get(following).status_code == 200
        details = http.get(f"{base}/organizations/{org.slug}/").json()
        assert details["links"]["regionUrl"] == f"{origin}{prefix}"


def test_a_region_host_is_echoed_in_links(origin: str, org: SentryOrganisation) -> None:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}", "Host": "us.sentry.io"}
    with httpx.Client(headers=headers) as http:
        answer = http.get(f"{origin}/api/0/organizations/{org.slug}/projects/?per_page=1")
    assert answer.headers["link"].startswith(
        f"<http://us.sentry.io/api/0/organizations/{org.slug}/projects/?per_page=1&cursor="
    )


def test_paths_outside_the_api_and_writes_are_refused(
    client: httpx.Client, origin: str, org: SentryOrganisation
) -> None:
    assert httpx.get(f"{origin}/organizations/{org.slug}/").status_code == 404
    assert client.get("/organizations/acme/alerts/").status_code == 404
    assert client.post(f"/organizations/{org.slug}/releases/", json={}).status_code == 405


def test_before_request_and_advance_move_the_clock(
    org: SentryOrganisation, client: httpx.Client, fake: FakeSentry
) -> None:
    ticks: list[int] = []
    fake.before_request = lambda: ticks.append(1)
    start = org.now
    fake.advance(timedelta(days=1))
    client.get(f"/organizations/{org.slug}/projects/")
    assert ticks == [1]
    assert org.now == start + timedelta(days=1)


def test_live_mode_follows_the_real_clock(org: SentryOrganisation) -> None:
    fake = FakeSentry(org, live=True)
    start = org.now
    fake.live_anchor = (fake.live_anchor[0] - 5, start)
    fake.catch_up()
    assert timedelta(seconds=5) <= org.now - start < timedelta(seconds=60)


def test_extra_fields_stand_in_for_another_versions_additions(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    fake.extra_fields = {"seerFixability": 0.4, "integrationIssues": []}
    for path in ("issues/?query=", "projects/", "releases/", ""):
        answer = client.get(f"/organizations/{org.slug}/{path}").json()
        first = answer[0] if isinstance(answer, list) else answer
        assert first["seerFixability"] == 0.4
        assert "id" in first


def test_new_events_of_an_incident_are_listed_after_its_old_ones(
    fake: FakeSentry, client: httpx.Client, org: SentryOrganisation
) -> None:
    incident = next(i for i in org.issues if i.events)
    before = [e.event_id for e in incident.events]
    fake.advance(timedelta(hours=2))
    fake.add_events(incident.id, 3, users=2)
    events, _ = read_all(client, f"/issues/{incident.id}/events/")
    ids = [e["eventID"] for e in events]
    assert ids[3:] == list(reversed(before))
    assert len(set(ids[:3])) == 3
    detail = client.get(f"/organizations/{org.slug}/issues/{incident.id}/").json()
    assert detail["count"] == str(len(before) + 3)
    assert detail["lastSeen"].startswith(org.now.strftime("%Y-%m-%dT%H:%M:%S"))
