"""Linear issues on the database: flow figures, issue-to-production, incidents, and the
incremental derive agreeing with a full one."""

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tests.builders import (
    at,
    everything,
    make_commit,
    make_deployment,
    make_pull_request,
    make_repository,
)
from tests.derive.linear_builders import (
    Workspace,
    make_attachment,
    make_linear_issue,
    make_linear_team,
    set_labels,
    set_state,
)
from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes
from veelocity.models import (
    Incident,
    IssuePullRequestLink,
    LinearIssue,
    Repository,
    Team,
    TeamRepository,
)

config = DeriveConfig()
HOUR = 3600


def _derive(session: Session, *issues: LinearIssue, **changes: Any) -> None:
    derive_changes(session, config, ChangeSet(linear_issue_ids={i.id for i in issues}, **changes))


def _issue(session: Session, workspace: Workspace, path: list[tuple[float, str]]) -> LinearIssue:
    (created, first), *later = path
    issue = make_linear_issue(session, workspace, state=first, created_at=at(created))
    for hours, state in later:
        set_state(session, workspace, issue, state, at(hours))
    return issue


def test_flow_figures_are_written_from_the_history(db_session: Session) -> None:
    eng = make_linear_team(db_session)
    done = _issue(db_session, eng, [(0, "backlog"), (2, "started"), (6, "completed")])
    reopened = _issue(
        db_session, eng, [(0, "unstarted"), (1, "started"), (2, "completed"), (3, "started")]
    )
    cancelled = _issue(db_session, eng, [(0, "triage"), (1, "started"), (4, "canceled")])
    never = make_linear_issue(db_session, eng, state="backlog", created_at=at(0))
    _derive(db_session, done, reopened, cancelled, never)

    assert (done.flow_started_at, done.flow_completed_at) == (at(2), at(6))
    assert (done.lead_seconds, done.cycle_seconds) == (6 * HOUR, 4 * HOUR)
    assert done.state_type_seconds == {"backlog": 2 * HOUR, "started": 4 * HOUR}
    assert reopened.flow_started_at == at(1)
    assert reopened.flow_completed_at is None
    assert reopened.lead_seconds is None
    assert cancelled.is_canceled
    assert (cancelled.flow_completed_at, cancelled.cycle_seconds) == (None, None)
    assert cancelled.state_type_seconds == {"triage": HOUR, "started": 3 * HOUR}
    assert (never.flow_started_at, never.state_type_seconds) == (None, {})


def _shipped_pr(
    session: Session, repo: Repository, sha: str, *, first_commit: float, merged: float, **kw: Any
) -> Any:
    make_commit(session, repo, sha, [], at(merged))
    return make_pull_request(
        session,
        repo,
        commits=[at(first_commit)],
        created_at=at(first_commit),
        merged_at=at(merged),
        merge_commit_sha=sha,
        **kw,
    )


def test_issue_to_production_follows_the_first_deployment_of_a_linked_pr(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    issue = _issue(db_session, eng, [(0, "unstarted"), (2, "started"), (20, "completed")])
    _shipped_pr(db_session, repo, "a", first_commit=5, merged=10, head_branch="eng-1-a")
    issue.identifier = "ENG-1"
    deployment = make_deployment(db_session, repo, finished_at=at(12), commit_sha="a")
    derive_changes(db_session, config, everything(db_session))
    _derive(db_session, issue)
    assert issue.production_deployment_id == deployment.id
    assert issue.deployed_at == at(12)
    assert issue.to_production_seconds == 10 * HOUR
    assert (issue.before_pr_seconds, issue.pr_cycle_seconds, issue.deploy_seconds) == (
        3 * HOUR,
        5 * HOUR,
        2 * HOUR,
    )


def test_a_new_deployment_of_a_linked_pr_gives_the_issue_its_production_time(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    issue = _issue(db_session, eng, [(0, "started")])
    pr = _shipped_pr(db_session, repo, "b", first_commit=1, merged=3)
    make_attachment(db_session, issue, f"https://github.com/{repo.full_name}/pull/{pr.number}")
    pr.url = f"https://github.com/{repo.full_name}/pull/{pr.number}"
    derive_changes(db_session, config, everything(db_session))
    _derive(db_session, issue)
    assert issue.production_deployment_id is None
    deployment = make_deployment(db_session, repo, finished_at=at(8), commit_sha="b")
    derive_changes(db_session, config, ChangeSet(deployment_ids={deployment.id}))
    assert (issue.production_deployment_id, issue.to_production_seconds) == (
        deployment.id,
        8 * HOUR,
    )


def _incident_of(session: Session, issue: LinearIssue) -> Incident | None:
    return session.scalar(select(Incident).where(Incident.issue_id == issue.issue_id))


def test_a_linear_issue_labelled_as_an_incident_is_attributed_through_its_linked_pr(
    db_session: Session,
) -> None:
    api = make_repository(db_session, "acme/api")
    web = make_repository(db_session, "acme/web")
    eng = make_linear_team(db_session)
    earlier = make_deployment(db_session, api, finished_at=at(1))
    make_deployment(db_session, web, finished_at=at(2))
    issue = make_linear_issue(
        db_session, eng, state="started", created_at=at(3), labels=["Incident"], number=77
    )
    make_pull_request(db_session, api, head_branch="eng-77-fix", created_at=at(4), merged_at=None)
    derive_changes(db_session, config, everything(db_session))
    _derive(db_session, issue)
    incident = _incident_of(db_session, issue)
    assert incident is not None
    assert (incident.source, incident.repository_id) == ("linear_issue", api.id)
    assert incident.attributed_deployment_id == earlier.id
    assert incident.attribution_reason is not None
    assert "acme/api" in incident.attribution_reason


def test_without_links_a_linear_incident_goes_through_its_teams_repositories(
    db_session: Session,
) -> None:
    api = make_repository(db_session, "acme/api")
    web = make_repository(db_session, "acme/web")
    team = Team(name="engineering", created_at=at(0))
    db_session.add(team)
    db_session.flush()
    db_session.add_all([TeamRepository(team_id=team.id, repository_id=r.id) for r in (api, web)])
    eng = make_linear_team(db_session, name="Engineering")
    make_deployment(db_session, api, finished_at=at(1))
    latest = make_deployment(db_session, web, finished_at=at(2))
    issue = make_linear_issue(db_session, eng, created_at=at(3), labels=["incident"])
    derive_changes(db_session, config, everything(db_session))
    _derive(db_session, issue)
    incident = _incident_of(db_session, issue)
    assert incident is not None
    assert (incident.repository_id, incident.attributed_deployment_id) == (web.id, latest.id)


def test_a_linear_incident_goes_away_when_relabelled_or_cancelled(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    deployment = make_deployment(db_session, repo, finished_at=at(1))
    relabelled = make_linear_issue(db_session, eng, created_at=at(2), labels=["incident"], number=5)
    cancelled = make_linear_issue(db_session, eng, created_at=at(2), labels=["incident"], number=6)
    make_pull_request(db_session, repo, head_branch="eng-5-and-eng-6", merged_at=None)
    derive_changes(db_session, config, everything(db_session))
    _derive(db_session, relabelled, cancelled)
    assert _incident_of(db_session, relabelled) is not None
    assert _incident_of(db_session, cancelled) is not None
    assert deployment.is_failed

    set_labels(db_session, relabelled, ["bug"])
    set_state(db_session, eng, cancelled, "canceled", at(3))
    _derive(db_session, relabelled, cancelled)
    assert _incident_of(db_session, relabelled) is None
    assert _incident_of(db_session, cancelled) is None
    assert not deployment.is_failed


def _snapshot(session: Session) -> dict[str, Any]:
    issues = session.execute(
        select(
            LinearIssue.id,
            LinearIssue.flow_started_at,
            LinearIssue.flow_completed_at,
            LinearIssue.is_canceled,
            LinearIssue.lead_seconds,
            LinearIssue.cycle_seconds,
            LinearIssue.state_type_seconds,
            LinearIssue.production_deployment_id,
            LinearIssue.deployed_at,
            LinearIssue.to_production_seconds,
            LinearIssue.before_pr_seconds,
            LinearIssue.pr_cycle_seconds,
            LinearIssue.deploy_seconds,
        ).order_by(LinearIssue.id)
    ).all()
    links = session.execute(
        select(
            IssuePullRequestLink.linear_issue_id,
            IssuePullRequestLink.pull_request_id,
            IssuePullRequestLink.evidence,
            IssuePullRequestLink.detail,
        ).order_by(IssuePullRequestLink.linear_issue_id, IssuePullRequestLink.pull_request_id)
    ).all()
    incidents = session.execute(
        select(
            Incident.issue_id,
            Incident.repository_id,
            Incident.attributed_deployment_id,
            Incident.attribution_reason,
        ).order_by(Incident.issue_id)
    ).all()
    return {"issues": issues, "links": links, "incidents": incidents}


def test_deriving_change_by_change_ends_where_deriving_everything_does(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    ops = make_linear_team(db_session, key="OPS", name="Operations")
    # the PRs arrive first, with their deployments
    prs = [
        _shipped_pr(db_session, repo, f"s{n}", first_commit=n, merged=n + 2, head_branch=branch)
        for n, branch in enumerate(["eng-1-a", "ops-2-b", "nothing", "ENG-3"], start=1)
    ]
    prs[2].body_references = ["OPS-2", "ENG-1"]
    deployments = [
        make_deployment(db_session, repo, finished_at=at(n + 3), commit_sha=f"s{n}")
        for n in range(1, 5)
    ]
    derive_changes(
        db_session,
        config,
        ChangeSet(
            pull_request_ids={p.id for p in prs},
            deployment_ids={d.id for d in deployments},
            repository_ids_with_new_commits={repo.id},
        ),
    )
    # then the issues, page by page, then more history
    first = _issue(db_session, eng, [(0, "backlog"), (1, "started")])
    first.identifier = "ENG-1"
    second = make_linear_issue(db_session, ops, number=2, labels=["incident"], created_at=at(8))
    _derive(db_session, first, second)
    third = _issue(db_session, eng, [(0, "unstarted"), (2, "started"), (9, "completed")])
    third.identifier = "ENG-3"
    make_attachment(db_session, third, "https://example.com/design/ENG-3")
    _derive(db_session, third)
    set_state(db_session, eng, first, "completed", at(12))
    _derive(db_session, first)
    incremental = _snapshot(db_session)
    assert len(incremental["links"]) == 5
    assert len(incremental["incidents"]) == 1

    db_session.execute(delete(IssuePullRequestLink))
    db_session.execute(
        update(LinearIssue).values(
            flow_started_at=None, lead_seconds=None, production_deployment_id=None
        )
    )
    derive_all(db_session, config)
    assert _snapshot(db_session) == incremental
