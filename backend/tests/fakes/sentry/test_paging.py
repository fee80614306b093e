"""Cursor paging as Sentry documents it: both rels always present, results flags, cursors."""

from __future__ import annotations

import re

import httpx

from tests.fakes.sentry.conftest import next_url, read_all
from veelocity.demo.sentry_model import SentryOrganisation

LINK = re.compile(
    r'^<(?P<prev_url>[^>]+)>; rel="previous"; results="(?P<prev>true|false)"; '
    r'cursor="(?P<prev_cursor>-?\d+:\d+:1)", '
    r'<(?P<next_url>[^>]+)>; rel="next"; results="(?P<next>true|false)"; '
    r'cursor="(?P<next_cursor>-?\d+:\d+:0)"$'
)


def test_reading_every_issue_page_by_page_returns_each_once(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    issues, pages = read_all(client, f"/organizations/{org.slug}/issues/?query=&limit=100")
    ids = [issue["id"] for issue in issues]
    assert len(ids) == len(set(ids)) == len(org.issues)
    assert pages == 4  # 350 issues, 100 a page


def test_the_link_header_always_names_both_rels_with_their_results(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    first = client.get(f"/organizations/{org.slug}/issues/?query=&limit=100")
    link = LINK.match(first.headers["link"])
    assert link is not None, first.headers["link"]
    assert (link["prev"], link["next"]) == ("false", "true")
    # The URL repeats the query, then the cursor; the cursor parameter matches the attribute.
    assert link["next_url"].endswith(f"?query=&limit=100&cursor={link['next_cursor']}")
    last_url = None
    url: str | None = link["next_url"]
    while url:
        last_url = url
        url = next_url(client.get(url))
    last = client.get(last_url or "")
    final = LINK.match(last.headers["link"])
    assert final is not None
    assert (final["prev"], final["next"]) == ("true", "false")


def test_issue_cursors_carry_the_last_value_so_ties_are_not_lost(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    # Thirty issues seen at the very same moment, straddling a page boundary.
    moment = org.now
    for issue in org.issues[:30]:
        issue.last_seen = moment
    issues, _ = read_all(client, f"/organizations/{org.slug}/issues/?query=&limit=20")
    assert sorted(i["id"] for i in issues) == sorted(i.id for i in org.issues)
    first = client.get(f"/organizations/{org.slug}/issues/?query=&limit=20")
    value, offset, is_prev = first.headers["link"].rsplit('cursor="', 1)[1].rstrip('"').split(":")
    assert (value, offset, is_prev) == (str(int(moment.timestamp() * 1000)), "20", "0")


def test_a_previous_cursor_goes_back_to_the_page_before(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    first = client.get(f"/organizations/{org.slug}/issues/?query=&limit=50")
    second = client.get(next_url(first) or "")
    link = LINK.match(second.headers["link"])
    assert link is not None
    assert link["prev"] == "true"
    back = client.get(link["prev_url"])
    assert [i["id"] for i in back.json()] == [i["id"] for i in first.json()]


def test_releases_page_by_offset(client: httpx.Client, org: SentryOrganisation) -> None:
    releases, pages = read_all(client, f"/organizations/{org.slug}/releases/?per_page=25")
    assert [r["version"] for r in releases] == [
        r.version for r in sorted(org.releases, key=lambda r: r.date_created, reverse=True)
    ]
    assert pages == 3
    first = client.get(f"/organizations/{org.slug}/releases/?per_page=25")
    assert 'cursor="0:25:0"' in first.headers["link"]


def test_an_issues_events_page_newest_first(client: httpx.Client, org: SentryOrganisation) -> None:
    incident = next(i for i in org.issues if len(i.events) > 100)
    events, pages = read_all(client, f"/issues/{incident.id}/events/?per_page=50")
    assert [e["eventID"] for e in events] == [e.event_id for e in reversed(incident.events)]
    assert pages == -(-len(incident.events) // 50)


def test_a_quiet_issue_answers_as_many_events_as_it_counts(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    quiet = next(i for i in org.issues if not i.events and i.count > 5)
    events, _ = read_all(client, f"/organizations/{org.slug}/issues/{quiet.id}/events/")
    assert len(events) == quiet.count
    assert len({e["eventID"] for e in events}) == quiet.count
    assert len({e["user"]["id"] for e in events if e["user"]}) == quiet.user_count


def test_a_malformed_cursor_and_an_oversized_page_are_refused(
    client: httpx.Client, org: SentryOrganisation
) -> None:
    bad = client.get(f"/organizations/{org.slug}/issues/?cursor=yesterday")
    assert (bad.status_code, bad.json()) == (400, {"detail": "Invalid cursor parameter."})
    big = client.get(f"/organizations/{org.slug}/issues/?limit=101")
    assert big.status_code == 400
    assert big.json()["detail"].startswith("Invalid limit parameter.")
    releases = client.get(f"/organizations/{org.slug}/releases/?per_page=500")
    assert releases.status_code == 400
