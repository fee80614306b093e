"""What a complete sync of the fake's organisation must store: its ground truth, mapped the
way the connector promises (events keyed by kind, actor and time; finished deployments)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from veelocity.demo.model import DemoOrganisation, Repository
from veelocity.models import (
    Commit,
    Deployment,
    Issue,
    PullRequest,
)
from veelocity.models import PullRequestCommit as PRCommit
from veelocity.models import PullRequestEvent as PREvent
from veelocity.models import Repository as RepositoryRow

EventKey = tuple[str, str, datetime]
PATTERNS = ("deploy", "release", "publish")
#: a finished run's conclusion, and a finished deployment's latest status → stored outcome
RUN_OUTCOMES = {
    "success": "success",
    "failure": "failure",
    "timed_out": "failure",
    "startup_failure": "failure",
}
FINISHED = {"success": "success", "inactive": "success", "failure": "failure", "error": "failure"}


def _s(at: datetime) -> datetime:
    """GitHub gives times to the second."""
    return at.replace(microsecond=0)


def _pull_request_events(pr: Any) -> set[EventKey]:
    events: set[EventKey] = set()
    events |= {("review", r.author, _s(r.submitted_at)) for r in pr.reviews}
    events |= {("review_comment", c.author, _s(c.created_at)) for c in pr.review_comments}
    events |= {("comment", c.author, _s(c.created_at)) for c in pr.comments}
    for item in pr.timeline:
        if item.type == "READY_FOR_REVIEW_EVENT":
            events.add(("ready_for_review", item.actor, _s(item.created_at)))
        elif item.type == "REVIEW_REQUESTED_EVENT":
            events.add(("review_requested", item.actor, _s(item.created_at)))
    return events


def expected_pull_requests(org: DemoOrganisation) -> dict[str, tuple[set[str], set[EventKey]]]:
    """external_id → (commit shas, events)."""
    return {
        f"{repo.full_name}#{pr.number}": ({c.oid for c in pr.commits}, _pull_request_events(pr))
        for repo in org.repositories
        for pr in repo.pull_requests
    }


def _deployments_of(repo: Repository) -> dict[str, str]:
    """external_id → outcome of every finished deployment, run or published release."""
    found: dict[str, str] = {}
    if repo.deployments:
        found |= {
            f"{repo.full_name}/deployment/{d.id}": FINISHED[d.statuses[-1].state]
            for d in repo.deployments
            if d.statuses and d.statuses[-1].state in FINISHED
        }
    else:
        deploying = {w.id for w in repo.workflows if any(p in w.name.lower() for p in PATTERNS)}
        # each finished attempt of a run is a deployment; the first keeps the run's id
        found |= {
            f"{repo.full_name}/run/{run.id}"
            + ("" if attempt.attempt == 1 else f"/attempt/{attempt.attempt}"): RUN_OUTCOMES[
                attempt.conclusion
            ]
            for run in repo.workflow_runs
            if run.workflow_id in deploying
            for attempt in run.attempts
            if attempt.conclusion in RUN_OUTCOMES
        }
    found |= {
        f"{repo.full_name}/release/{r.id}": "success"
        for r in repo.releases
        if not r.draft and r.published_at is not None
    }
    return found


def expected_deployments(org: DemoOrganisation) -> dict[str, str]:
    """external_id → outcome (success or failure)."""
    return {key: value for repo in org.repositories for key, value in _deployments_of(repo).items()}


def expected_commits(org: DemoOrganisation) -> set[tuple[str, str]]:
    return {(repo.full_name, c.oid) for repo in org.repositories for c in repo.history}


IssueState = tuple[str, str | None, tuple[str, ...], datetime | None]


def expected_issues(org: DemoOrganisation) -> dict[str, IssueState]:
    """external_id → (state, state_reason, labels, closed_at); pull requests are no issues."""
    return {
        f"{repo.full_name}#{issue.number}": (
            issue.state,
            issue.state_reason,
            tuple(issue.labels),
            _s(issue.closed_at) if issue.closed_at else None,
        )
        for repo in org.repositories
        for issue in repo.issues
    }


def _aware(at: datetime | None) -> datetime | None:
    """SQLite gives naive times back; they are UTC."""
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def stored_issues(session_factory: Any) -> dict[str, IssueState]:
    with session_factory() as session:
        return {
            external_id: (state, reason, tuple(labels or ()), _aware(closed_at))
            for external_id, state, reason, labels, closed_at in session.execute(
                select(
                    Issue.external_id,
                    Issue.state,
                    Issue.state_reason,
                    Issue.labels,
                    Issue.closed_at,
                )
            )
        }


def stored(session_factory: Any) -> dict[str, Any]:
    """What the database holds, shaped like the expectations above."""
    with session_factory() as session:
        names = dict(session.execute(select(RepositoryRow.id, RepositoryRow.full_name)).all())
        prs = dict(session.execute(select(PullRequest.id, PullRequest.external_id)).all())
        commits: dict[str, set[str]] = defaultdict(set)
        for pull_request_id, sha in session.execute(select(PRCommit.pull_request_id, PRCommit.sha)):
            commits[prs[pull_request_id]].add(sha)
        events: dict[str, set[EventKey]] = defaultdict(set)
        for pull_request_id, kind, actor, at in session.execute(
            select(PREvent.pull_request_id, PREvent.kind, PREvent.actor_login, PREvent.at)
        ):
            events[prs[pull_request_id]].add((kind, actor, at))
        return {
            "pull_requests": {
                external_id: (commits[external_id], events[external_id])
                for external_id in prs.values()
            },
            "pull_request_count": len(prs),
            "deployments": dict(
                session.execute(select(Deployment.external_id, Deployment.status)).all()
            ),
            "issues": stored_issues(session_factory),
            "commits": {
                (names[repository_id], sha)
                for repository_id, sha in session.execute(select(Commit.repository_id, Commit.sha))
            },
        }


def differences(org: DemoOrganisation, session_factory: Any) -> list[str]:
    """Empty when the database holds exactly the organisation; else what differs."""
    found = stored(session_factory)
    problems: list[str] = []
    want_prs = expected_pull_requests(org)
    if set(found["pull_requests"]) != set(want_prs):
        missing = set(want_prs) - set(found["pull_requests"])
        extra = set(found["pull_requests"]) - set(want_prs)
        problems.append(f"pull requests: {len(missing)} missing, {len(extra)} extra")
    for key, (shas, events) in want_prs.items():
        got = found["pull_requests"].get(key)
        if got is None:
            continue
        if got[0] != shas:
            problems.append(f"{key}: commits {len(got[0])} stored, {len(shas)} expected")
        if got[1] != events:
            problems.append(
                f"{key}: events differ: missing {sorted(events - got[1])[:3]}, "
                f"extra {sorted(got[1] - events)[:3]}"
            )
    want_deployments = expected_deployments(org)
    if found["deployments"] != want_deployments:
        got = found["deployments"]
        missing = sorted(set(want_deployments) - set(got))
        extra = sorted(set(got) - set(want_deployments))
        wrong = sorted(k for k in set(got) & set(want_deployments) if got[k] != want_deployments[k])
        problems.append(
            f"deployments: {len(missing)} missing {missing[:3]}, {len(extra)} extra "
            f"{extra[:3]}, {len(wrong)} with another outcome {wrong[:3]}"
        )
    want_issues = expected_issues(org)
    if found["issues"] != want_issues:
        wrong = sorted(k for k in want_issues if found["issues"].get(k) != want_issues[k])
        extra = sorted(set(found["issues"]) - set(want_issues))
        problems.append(f"issues: {len(wrong)} missing or different {wrong[:3]}, extra {extra[:3]}")
    want_commits = expected_commits(org)
    if found["commits"] != want_commits:
        problems.append(
            f"commit graph: {len(want_commits - found['commits'])} missing, "
            f"{len(found['commits'] - want_commits)} extra"
        )
    return problems
