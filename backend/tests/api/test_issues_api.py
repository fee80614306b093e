"""The issue metrics, issue list and detail, cycles, Linear pickers, exports and the PR
detail's linked issues, on a small hand-built Linear history derived by the real derive."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_pull_request, make_repository
from tests.metrics.issue_builders import Move, make_cycle, make_linear_issue, make_workspace
from veelocity.derive import DeriveConfig, derive_all
from veelocity.models import Developer, LinearProject, LinearUser, Team, TeamMember, TeamRepository

WINDOW = {"start_date": "2026-01-05", "end_date": "2026-01-18"}
DAY = 86400
HOUR = 3600


@pytest.fixture
def history(db_session: Session) -> dict[str, int]:
    """ENG: A (backlog → started → completed, linked by branch to a deployed PR), B (added to
    the cycle, started), C (cancelled); OPS: D (completed). The cycle runs two weeks from T0."""
    api = make_repository(db_session, "acme/api")
    alice = Developer(login="alice", email="alice@example.com")
    team = Team(name="Platform", created_at=at())
    db_session.add_all([alice, team])
    db_session.flush()
    db_session.add_all(
        [
            TeamMember(team_id=team.id, developer_id=alice.id),
            TeamRepository(team_id=team.id, repository_id=api.id),
        ]
    )
    user = LinearUser(external_id="user-alice", name="Alice", developer_id=alice.id)
    project = LinearProject(external_id="project-apollo", name="Apollo")
    db_session.add_all([user, project])
    db_session.flush()

    eng = make_workspace(db_session, "ENG")
    ops = make_workspace(db_session, "OPS")
    cycle = make_cycle(db_session, eng, 1, at(), at(days=14))
    undated = make_cycle(db_session, eng, 2, None, None)
    upcoming = make_cycle(
        db_session,
        eng,
        3,
        datetime(2099, 1, 5, tzinfo=UTC),
        datetime(2099, 1, 19, tzinfo=UTC),
    )
    a = make_linear_issue(
        db_session,
        eng,
        created_at=at(days=-1),
        cycle=cycle,
        estimate=3,
        assignee_id=user.id,
        labels=["bug"],
        moves=[Move(at(days=1), "started"), Move(at(days=3), "completed")],
    )
    b = make_linear_issue(
        db_session,
        eng,
        created_at=at(days=2),
        cycle=cycle,
        estimate=2,
        project_id=project.id,
        moves=[Move(at(days=4), "started")],
    )
    c = make_linear_issue(
        db_session,
        eng,
        created_at=at(),
        cycle=cycle,
        estimate=8,
        moves=[Move(at(days=2), "canceled")],
    )
    d = make_linear_issue(
        db_session,
        ops,
        created_at=at(days=1),
        estimate=1,
        moves=[Move(at(days=2), "started"), Move(at(days=5), "completed")],
    )
    pr = make_pull_request(
        db_session,
        api,
        commits=[at(days=1, hours=2)],
        created_at=at(days=1, hours=3),
        merged_at=at(days=2),
        merge_commit_sha="sha-a",
        head_branch=f"alice/{a.identifier.lower()}-audit-log",
    )
    deployment = make_deployment(
        db_session, api, finished_at=at(days=2, hours=6), commits=["sha-a"]
    )
    derive_all(db_session, DeriveConfig())
    db_session.commit()
    return {
        "a": a.id,
        "b": b.id,
        "c": c.id,
        "d": d.id,
        "eng": eng.team.id,
        "ops": ops.team.id,
        "cycle": cycle.id,
        "undated": undated.id,
        "upcoming": upcoming.id,
        "team": team.id,
        "repo": api.id,
        "project": project.id,
        "pr": pr.id,
        "deployment": deployment.id,
        "user": user.id,
    }


def _get(client: TestClient, headers: dict[str, str], path: str, **params: object) -> object:
    response = client.get(path, params={**WINDOW, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _metrics(body: object, key: str = "metrics") -> dict[str, dict[str, object]]:
    return {m["slug"]: m for m in body[key]}  # type: ignore[index]


def test_flow_shows_lead_cycle_and_issue_to_production_with_its_phases(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    body = _get(client, admin_headers, "/api/v1/metrics/issues/flow", linear_team_id=history["eng"])
    flow = _metrics(body)
    assert flow["issue-lead-time"]["value"] == 4 * DAY
    assert flow["issue-lead-time"]["sample_size"] == 1
    assert flow["issue-cycle-time"]["value"] == 2 * DAY
    # started at day 1, first commit 2 h later, merged at day 2, deployed 6 h after
    assert flow["issue-to-production"]["value"] == 30 * HOUR
    phases = _metrics(body, "phases")
    assert phases["issue-before-pr-time"]["value"] == 2 * HOUR
    assert phases["issue-pr-cycle-time"]["value"] == 22 * HOUR
    assert phases["issue-deploy-time"]["value"] == 6 * HOUR
    in_state = {t["state_type"]: t for t in body["time_in_state_type"]}  # type: ignore[index]
    assert in_state["backlog"]["median_seconds"] == 2 * DAY
    assert in_state["started"]["median_seconds"] == 2 * DAY
    assert in_state["triage"]["sample_size"] == 0
    per_state = {t["state"]: t["median_seconds"] for t in body["time_in_state"]}  # type: ignore[index]
    assert per_state == {"Backlog": 2 * DAY, "Started": 2 * DAY}


def test_throughput_counts_completed_issues_and_points_per_week(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    metrics = _metrics(_get(client, admin_headers, "/api/v1/metrics/issues/throughput"))
    completed = metrics["issues-completed"]
    assert completed["value"] == 2
    assert [p["value"] for p in completed["series"]] == [2, 0]  # type: ignore[attr-defined]
    points = metrics["issue-points-completed"]
    assert points["value"] == 4  # A's 3 and D's 1; the cancelled C's 8 is left out
    assert [p["value"] for p in points["series"]] == [4, None]  # type: ignore[attr-defined]


def test_wip_and_backlog_follow_the_history_day_by_day(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    body = _get(client, admin_headers, "/api/v1/metrics/issues/wip", linear_team_id=history["eng"])
    days = {d["day"]: (d["wip"], d["backlog"]) for d in body["days"]}  # type: ignore[index]
    assert days["2026-01-05"] == (0, 2)  # A and C in the backlog
    assert days["2026-01-06"] == (1, 1)  # A started
    assert days["2026-01-07"] == (1, 1)  # C cancelled (it counted while in the backlog); B new
    assert days["2026-01-08"] == (0, 1)  # A completed
    assert days["2026-01-09"] == (1, 0)  # B started
    metrics = _metrics(body)
    assert metrics["backlog-size"]["value"] == 0
    assert metrics["work-in-progress"]["sample_size"] == 14


def test_the_issues_behind_a_day_of_wip_and_backlog(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    scope = {"linear_team_id": history["eng"]}
    day = _get(client, admin_headers, "/api/v1/metrics/issues/wip/2026-01-06", **scope)
    assert [i["id"] for i in day["wip"]] == [history["a"]]  # type: ignore[index]
    (waiting,) = day["backlog"]  # type: ignore[index]
    assert waiting["id"] == history["c"]
    assert waiting["age_seconds"] == (2 * DAY) - 9 * HOUR  # created 5 Jan 09:00, to 7 Jan 00:00
    later = _get(client, admin_headers, "/api/v1/metrics/issues/wip/2026-01-09", **scope)
    assert [i["id"] for i in later["wip"]] == [history["b"]]  # type: ignore[index]
    assert later["backlog"] == []  # type: ignore[index]
    bad = client.get("/api/v1/metrics/issues/wip/yesterday", headers=admin_headers)
    assert bad.status_code == 422


def test_a_team_author_or_repository_covers_assigned_and_linked_issues(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    for scope in (
        {"team_id": history["team"]},
        {"repo_id": history["repo"]},
        {"author": "alice"},
    ):
        metrics = _metrics(
            _get(client, admin_headers, "/api/v1/metrics/issues/throughput", **scope)
        )
        assert metrics["issues-completed"]["value"] == 1, scope
        page = _get(client, admin_headers, "/api/v1/issues", **scope)
        assert [i["id"] for i in page["items"]] == [history["a"]]  # type: ignore[index]


def test_unknown_scopes_are_404(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    for path in ("/api/v1/metrics/issues/flow", "/api/v1/metrics/issues/wip", "/api/v1/issues"):
        for param in ("linear_team_id", "project_id", "cycle_id", "team_id"):
            response = client.get(path, params={param: 99999}, headers=admin_headers)
            assert response.status_code == 404, (path, param)
        response = client.get(path, params={"linear_team_id": 2**31}, headers=admin_headers)
        assert response.status_code == 422


def test_issue_list_filters(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    def ids(**params: object) -> set[int]:
        page = _get(client, admin_headers, "/api/v1/issues", **params)
        return {i["id"] for i in page["items"]}  # type: ignore[index]

    assert ids() == {history[k] for k in "abcd"}
    assert ids(linear_team_id=history["ops"]) == {history["d"]}
    assert ids(state_type="started") == {history["b"]}
    assert ids(state_type=["completed", "canceled"]) == {history[k] for k in "acd"}
    assert ids(label="bug") == {history["a"]}
    assert ids(project_id=history["project"]) == {history["b"]}
    assert ids(cycle_id=history["cycle"]) == {history[k] for k in "abc"}
    assert ids(assignee_id=history["user"]) == {history["a"]}
    assert ids(completed_from="2026-01-09", completed_until="2026-01-10") == {history["d"]}
    assert ids(created_until="2026-01-05") == {history["a"], history["c"]}
    assert ids(q="issue eng") == {history[k] for k in "abc"}  # titles "Issue ENG-…"
    first = _get(client, admin_headers, f"/api/v1/issues/{history['a']}")
    assert ids(q=first["identifier"].lower()) == {history["a"]}  # type: ignore[index]


def test_nul_characters_in_filters_are_refused(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    for params in ({"q": "ENG\x00"}, {"label": "b\x00ug"}):
        response = client.get("/api/v1/issues", params=params, headers=admin_headers)
        assert response.status_code == 422, params


def test_issue_list_pages_through_every_issue_once(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    for sort in ("updated_at", "created_at", "completed_at", "lead_time", "cycle_time"):
        for order in ("asc", "desc"):
            seen: list[int] = []
            cursor = None
            while True:
                params: dict[str, object] = {"sort": sort, "order": order, "page_size": 1}
                if cursor:
                    params["cursor"] = cursor
                page = _get(client, admin_headers, "/api/v1/issues", **params)
                seen += [i["id"] for i in page["items"]]  # type: ignore[index]
                cursor = page["next_cursor"]  # type: ignore[index]
                if not cursor:
                    break
            assert sorted(seen) == sorted(history[k] for k in "abcd"), (sort, order)
    response = client.get("/api/v1/issues", params={"cursor": "nonsense"}, headers=admin_headers)
    assert response.status_code == 422


def test_issue_detail_shows_history_links_and_the_deployment(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    issue = _get(client, admin_headers, f"/api/v1/issues/{history['a']}")
    assert issue["state"] == {"name": "Completed", "type": "completed"}  # type: ignore[index]
    assert issue["assignee"] == "Alice"  # type: ignore[index]
    assert issue["labels"] == ["bug"]  # type: ignore[index]
    moves = [(h["from_state"]["name"], h["to_state"]["name"]) for h in issue["history"]]  # type: ignore[index]
    assert moves == [("Backlog", "Started"), ("Started", "Completed")]
    spent = {t["state"]["name"]: t["seconds"] for t in issue["time_in_state"]}  # type: ignore[index]
    assert spent == {"Backlog": 2 * DAY, "Started": 2 * DAY}
    (link,) = issue["links"]  # type: ignore[index]
    assert link["id"] == history["pr"]
    assert link["repository"] == "acme/api"
    assert link["evidence"] == "branch"
    assert issue["deployments"][0]["id"] == history["deployment"]  # type: ignore[index]
    assert issue["to_production"] == {  # type: ignore[index]
        "total_seconds": 30 * HOUR,
        "before_pr_seconds": 2 * HOUR,
        "pr_cycle_seconds": 22 * HOUR,
        "deploy_seconds": 6 * HOUR,
        "deployed_at": "2026-01-07T15:00:00Z",
        "deployment_id": history["deployment"],
    }
    assert client.get("/api/v1/issues/99999", headers=admin_headers).status_code == 404
    assert client.get("/api/v1/issues/0", headers=admin_headers).status_code == 422
    assert client.get(f"/api/v1/issues/{2**63}", headers=admin_headers).status_code == 422


def test_pull_request_detail_names_its_linked_issues(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    pr = _get(client, admin_headers, f"/api/v1/github/prs/{history['pr']}")
    (linked,) = pr["linked_issues"]  # type: ignore[index]
    assert linked["id"] == history["a"]
    assert linked["state"] == "completed"
    assert linked["evidence"] == "branch"


def test_cycles_are_listed_with_their_status(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    cycles = _get(client, admin_headers, "/api/v1/cycles", linear_team_id=history["eng"])
    statuses = {c["id"]: c["status"] for c in cycles}  # type: ignore[attr-defined]
    assert statuses == {
        history["cycle"]: "past",
        history["undated"]: "undated",
        history["upcoming"]: "upcoming",
    }
    assert _get(client, admin_headers, "/api/v1/cycles", linear_team_id=history["ops"]) == []
    response = client.get("/api/v1/cycles", params={"linear_team_id": 99999}, headers=admin_headers)
    assert response.status_code == 404


def test_cycle_detail_shows_its_figures_burn_up_and_issues(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    cycle = _get(client, admin_headers, f"/api/v1/cycles/{history['cycle']}")
    assert cycle["figures"] == {  # type: ignore[index]
        "committed": 1,
        "added": 1,
        "removed": 0,
        "completed": 1,
        "carried_over": 1,
        "completion_rate": 0.5,
        "committed_points": 3.0,
        "added_points": 2.0,
        "removed_points": 0.0,
        "completed_points": 3.0,
        "carried_over_points": 2.0,
        "completion_rate_points": 0.6,
    }
    issues = cycle["issues"]  # type: ignore[index]
    assert [i["id"] for i in issues["committed"]] == [history["a"]]
    assert [i["id"] for i in issues["added"]] == [history["b"]]
    assert [i["id"] for i in issues["completed"]] == [history["a"]]
    assert [i["id"] for i in issues["carried_over"]] == [history["b"]]
    burn_up = cycle["burn_up"]  # type: ignore[index]
    assert burn_up[0] == {
        "day": "2026-01-05",
        "scope": 1,
        "completed": 0,
        "scope_points": 3.0,
        "completed_points": 0.0,
    }
    assert (burn_up[3]["scope"], burn_up[3]["completed"]) == (2, 1)  # Jan 8: B joined, A done
    assert burn_up[-1]["day"] == "2026-01-19"
    for cycle_id in (history["undated"], history["upcoming"]):
        empty = _get(client, admin_headers, f"/api/v1/cycles/{cycle_id}")
        assert empty["figures"] is None  # type: ignore[index]
        assert empty["burn_up"] == []  # type: ignore[index]
    assert client.get("/api/v1/cycles/99999", headers=admin_headers).status_code == 404
    assert client.get(f"/api/v1/cycles/{2**31}", headers=admin_headers).status_code == 422


def test_linear_teams_and_projects_for_the_pickers(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    teams = _get(client, admin_headers, "/api/v1/linear/teams")
    assert [t["key"] for t in teams] == ["ENG", "OPS"]  # type: ignore[attr-defined]
    projects = _get(client, admin_headers, "/api/v1/linear/projects")
    assert [p["name"] for p in projects] == ["Apollo"]  # type: ignore[attr-defined]


def test_issue_list_and_metric_series_export_as_csv_and_json(
    client: TestClient, admin_headers: dict[str, str], history: dict[str, int]
) -> None:
    response = client.get(
        "/api/v1/export/issues", params={"linear_team_id": history["eng"]}, headers=admin_headers
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["id"] for r in rows} == {str(history[k]) for k in "abc"}
    by_id = {r["id"]: r for r in rows}
    assert by_id[str(history["a"])]["state_type"] == "completed"
    assert by_id[str(history["a"])]["labels"] == "bug"
    response = client.get(
        "/api/v1/export/issues", params={"format": "json", "label": "bug"}, headers=admin_headers
    )
    assert [r["id"] for r in response.json()] == [history["a"]]
    response = client.get(
        "/api/v1/export/metrics/issues/issues-completed", params=WINDOW, headers=admin_headers
    )
    assert response.text.splitlines() == [
        "period_start,value,sample_size",
        "2026-01-05,2.0,2",
        "2026-01-12,0.0,0",
    ]
    response = client.get(
        "/api/v1/export/metrics/issues/backlog-size",
        params={**WINDOW, "format": "json", "linear_team_id": history["eng"]},
        headers=admin_headers,
    )
    assert [r["value"] for r in response.json()] == [0.0, 0.0]
    missing = client.get("/api/v1/export/metrics/issues/nonsense", headers=admin_headers)
    assert missing.status_code == 404


def test_issue_routes_need_a_signed_in_user(client: TestClient, history: dict[str, int]) -> None:
    for path in (
        "/api/v1/issues",
        f"/api/v1/issues/{history['a']}",
        "/api/v1/cycles",
        "/api/v1/metrics/issues/flow",
        "/api/v1/linear/teams",
        "/api/v1/export/issues",
    ):
        assert client.get(path).status_code == 401, path


def test_the_window_ends_are_days() -> None:
    assert at(days=14) - at() == timedelta(days=14)
