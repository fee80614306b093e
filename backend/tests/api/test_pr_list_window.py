"""The PR list's window: PRs open at some time in it, whatever their state today."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, make_pull_request, make_repository


def test_the_window_keeps_prs_open_at_some_time_in_it(
    client: TestClient, admin_headers: dict[str, str], db_session: Session
) -> None:
    api = make_repository(db_session, "acme/api")
    titles = {
        "merged before the window": {"created_at": at(days=1), "merged_at": at(days=2)},
        "closed before the window": {
            "created_at": at(days=1),
            "merged_at": None,
            "state": "closed",
            "closed_at": at(days=3),
        },
        "merged inside it": {"created_at": at(days=5), "merged_at": at(days=12)},
        "opened before it, merged inside": {"created_at": at(days=2), "merged_at": at(days=11)},
        "still open from before it": {"created_at": at(days=1), "merged_at": None},
        "opened after it": {"created_at": at(days=20), "merged_at": None},
    }
    for title, dates in titles.items():
        make_pull_request(db_session, api, title=title, updated_at=at(days=21), **dates)
    db_session.commit()

    # The window is the days of at(days=10) to at(days=14), both included.
    first, last = at(days=10).date().isoformat(), at(days=14).date().isoformat()
    page = client.get(
        "/api/v1/github/prs",
        params={"active_from": first, "active_until": last},
        headers=admin_headers,
    )

    assert page.status_code == 200, page.text
    assert {item["title"] for item in page.json()["items"]} == {
        "merged inside it",
        "opened before it, merged inside",
        "still open from before it",
    }
