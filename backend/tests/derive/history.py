"""Random but plausible delivery histories, for equality and property tests."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes
from veelocity.models import (
    Commit,
    Deployment,
    DeploymentCommit,
    DeploymentListedCommit,
    Incident,
    Issue,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
PEOPLE = ["alice", "bob", "carol", "dave", "erin", "dependabot[bot]", "review-bot"]


def _t(rng: random.Random, base: datetime, low_hours: float, high_hours: float) -> datetime:
    return base + timedelta(seconds=int(rng.uniform(low_hours, high_hours) * 3600))


def generate(
    seed: int, *, repositories: int = 2, prs_per_repo: int = 12
) -> list[tuple[str, dict[str, Any]]]:
    """(kind, row) pairs in upstream arrival order; kinds: repository, commit, pr, deployment,
    incident."""
    rng = random.Random(seed)
    items: list[tuple[str, dict[str, Any]]] = []
    for r in range(repositories):
        repo = f"acme/service-{r}"
        items.append(("repository", {"full_name": repo}))
        head = f"{repo}-root"
        items.append(
            (
                "commit",
                {
                    "repo": repo,
                    "sha": head,
                    "parents": [],
                    "authored_at": START - timedelta(days=400),
                },
            )
        )
        clock = START
        merged_titles: list[tuple[int, str]] = []
        deployed_heads: list[str] = []
        for n in range(1, prs_per_repo + 1):
            clock = _t(rng, clock, 2, 30)
            author = rng.choice(PEOPLE[:5])
            created = clock
            first_commit = _t(rng, created, -20, 1)
            draft = rng.random() < 0.2
            ready = _t(rng, created, 0, 5) if draft else None
            merged = rng.random() < 0.85
            merged_at = _t(rng, created, 1, 72) if merged else None
            title = f"Change {n}"
            head_branch = f"feature/{n}"
            if merged_titles and rng.random() < 0.15:
                number, original = rng.choice(merged_titles)
                title, head_branch = f'Revert "{original}"', f"revert-{number}-x"
            elif rng.random() < 0.1:
                head_branch = f"hotfix/{n}"
            events = []
            for _ in range(rng.randint(0, 4)):
                actor = rng.choice(PEOPLE)
                kind = rng.choice(["review", "comment", "review_comment"])
                state = (
                    rng.choice(["APPROVED", "COMMENTED", "CHANGES_REQUESTED"])
                    if kind == "review"
                    else None
                )
                events.append(
                    {"kind": kind, "actor": actor, "at": _t(rng, created, -1, 60), "state": state}
                )
            if ready:
                events.append(
                    {"kind": "ready_for_review", "actor": author, "at": ready, "state": None}
                )
            merge_sha = f"{repo}-m{n}" if merged else None
            items.append(
                (
                    "pr",
                    {
                        "repo": repo,
                        "number": n,
                        "title": title,
                        "author": author if rng.random() > 0.05 else None,
                        "head_branch": head_branch,
                        "created_at": created,
                        "merged_at": merged_at,
                        "is_draft": draft and not merged and ready is None,
                        "merge_sha": merge_sha,
                        "additions": int(rng.lognormvariate(3, 1.5)),
                        "deletions": int(rng.lognormvariate(2, 1.5)),
                        "commits": [first_commit, _t(rng, first_commit, 0, 3)],
                        "events": events,
                    },
                )
            )
            if merged and merge_sha:
                branch = f"{repo}-b{n}"
                items.append(
                    (
                        "commit",
                        {
                            "repo": repo,
                            "sha": branch,
                            "parents": [head],
                            "authored_at": first_commit,
                        },
                    )
                )
                items.append(
                    (
                        "commit",
                        {
                            "repo": repo,
                            "sha": merge_sha,
                            "parents": [head, branch],
                            "authored_at": merged_at,
                        },
                    )
                )
                head = merge_sha
                merged_titles.append((n, title))
                clock = max(clock, merged_at)
            if rng.random() < 0.5:
                finished = _t(rng, clock, 0.5, 10)
                status = "failure" if rng.random() < 0.2 else "success"
                environment = "production" if rng.random() < 0.85 else "staging"
                listed = [head] if rng.random() < 0.15 else None
                deployed = head
                if len(deployed_heads) >= 2 and not listed and rng.random() < 0.12:
                    deployed = deployed_heads[-2]  # a rollback to the commit before the last
                deployed_heads.append(deployed)
                items.append(
                    (
                        "deployment",
                        {
                            "repo": repo,
                            "external_id": f"{repo}-d{n}",
                            "status": status,
                            "environment": environment,
                            "finished_at": finished,
                            "started_at": finished - timedelta(minutes=rng.randint(1, 30)),
                            "commit_sha": deployed,
                            "commits": listed,
                        },
                    )
                )
                if status == "success" and rng.random() < 0.3:
                    started = _t(rng, finished, 0.1, 24 * 9)
                    resolved = _t(rng, started, 0.1, 48) if rng.random() < 0.8 else None
                    incident = {
                        "repo": repo,
                        "external_id": f"{repo}-i{n}",
                        "started_at": started,
                        "resolved_at": resolved,
                    }
                    # Every third one is a GitHub issue, labelled as an incident or not.
                    items.append(("issue" if n % 3 == 0 else "incident", incident))
                clock = max(clock, finished)
    # Upstream delivers out of order: deployments may arrive before the PRs they ship.
    repositories_first = [item for item in items if item[0] == "repository"]
    rest = [item for item in items if item[0] != "repository"]
    rng.shuffle(rest)
    return repositories_first + rest


#: labels and closing reason of generated issues, in turn: incidents and issues that are not
_ISSUE_KINDS: list[tuple[list[str], str | None]] = [
    (["incident"], "completed"),
    (["Incident", "sev1"], "completed"),
    (["bug"], "completed"),
    (["incident"], "not_planned"),
]


def write(session: Session, items: list[tuple[str, dict[str, Any]]]) -> ChangeSet:
    changes = ChangeSet()
    repos = {
        r.full_name: r.id for r in session.execute(select(Repository.full_name, Repository.id))
    }
    for kind, row in items:
        if kind == "repository":
            repository = Repository(
                full_name=row["full_name"], default_branch="main", created_at=START
            )
            session.add(repository)
            session.flush()
            repos[row["full_name"]] = repository.id
        elif kind == "commit":
            session.add(
                Commit(
                    repository_id=repos[row["repo"]],
                    sha=row["sha"],
                    parents=row["parents"],
                    authored_at=row["authored_at"],
                    committed_at=row["authored_at"],
                )
            )
            changes.repository_ids_with_new_commits.add(repos[row["repo"]])
            changes.new_commit_shas.setdefault(repos[row["repo"]], set()).add(row["sha"])
        elif kind == "pr":
            pr = PullRequest(
                source="test",
                external_id=f"{row['repo']}#{row['number']}",
                repository_id=repos[row["repo"]],
                number=row["number"],
                title=row["title"],
                author_login=row["author"],
                head_branch=row["head_branch"],
                state="merged" if row["merged_at"] else "open",
                is_draft=row["is_draft"],
                created_at=row["created_at"],
                updated_at=row["merged_at"] or row["created_at"],
                merged_at=row["merged_at"],
                merge_commit_sha=row["merge_sha"],
                additions=row["additions"],
                deletions=row["deletions"],
                labels=[],
            )
            session.add(pr)
            session.flush()
            for index, authored in enumerate(row["commits"]):
                session.add(
                    PullRequestCommit(
                        pull_request_id=pr.id,
                        sha=f"{pr.external_id}-c{index}",
                        authored_at=authored,
                    )
                )
            seen = set()
            for event in row["events"]:
                key = (event["kind"], event["actor"], event["at"])
                if key in seen:
                    continue
                seen.add(key)
                session.add(
                    PullRequestEvent(
                        pull_request_id=pr.id,
                        kind=event["kind"],
                        actor_login=event["actor"],
                        at=event["at"],
                        state=event["state"],
                    )
                )
            changes.pull_request_ids.add(pr.id)
        elif kind == "deployment":
            deployment = Deployment(
                source="test",
                external_id=row["external_id"],
                repository_id=repos[row["repo"]],
                environment=row["environment"],
                status=row["status"],
                started_at=row["started_at"],
                finished_at=row["finished_at"],
                commit_sha=row["commit_sha"],
                has_commit_list=row["commits"] is not None,
            )
            session.add(deployment)
            session.flush()
            for sha in row["commits"] or []:
                session.add(DeploymentListedCommit(deployment_id=deployment.id, sha=sha))
            changes.deployment_ids.add(deployment.id)
        elif kind == "issue":
            labels, state_reason = _ISSUE_KINDS[len(changes.issue_ids) % len(_ISSUE_KINDS)]
            issue = Issue(
                source="github",
                external_id=row["external_id"],
                repository_id=repos[row["repo"]],
                title="Checkout is down",
                state="closed" if row["resolved_at"] else "open",
                state_reason=state_reason if row["resolved_at"] else None,
                labels=labels,
                created_at=row["started_at"],
                updated_at=row["resolved_at"] or row["started_at"],
                closed_at=row["resolved_at"],
            )
            session.add(issue)
            session.flush()
            changes.issue_ids.add(issue.id)
        elif kind == "incident":
            incident = Incident(
                source="test",
                external_id=row["external_id"],
                title="Outage",
                repository_id=repos[row["repo"]],
                started_at=row["started_at"],
                resolved_at=row["resolved_at"],
            )
            session.add(incident)
            session.flush()
            changes.incident_ids.add(incident.id)
    session.flush()
    return changes


def build_random_history(
    session: Session,
    *,
    seed: int,
    incremental: bool,
    config: DeriveConfig,
    slices: int = 4,
    repositories: int = 2,
    prs_per_repo: int = 12,
) -> None:
    items = generate(seed, repositories=repositories, prs_per_repo=prs_per_repo)
    if not incremental:
        write(session, items)
        derive_all(session, config)
        return
    repositories_rows = [i for i in items if i[0] == "repository"]
    rest = [i for i in items if i[0] != "repository"]
    write(session, repositories_rows)
    size = max(1, len(rest) // slices + 1)
    for start in range(0, len(rest), size):
        changes = write(session, rest[start : start + size])
        derive_changes(session, config, changes)


def derived_snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    session.expire_all()
    deployments = {d.id: d.external_id for d in session.scalars(select(Deployment))}
    return {
        "pull_request": sorted(
            (
                pr.external_id,
                deployments.get(pr.deployment_id) if pr.deployment_id else None,
                pr.deployed_at,
                pr.first_commit_at,
                pr.opened_at,
                pr.first_review_at,
                pr.approved_at,
                pr.coding_seconds,
                pr.pickup_seconds,
                pr.review_seconds,
                pr.deploy_seconds,
                pr.merge_seconds,
                pr.cycle_seconds,
                pr.lead_time_seconds,
                pr.size,
                pr.is_revert,
                pr.is_hotfix,
                pr.is_bot_author,
            )
            for pr in session.scalars(select(PullRequest))
        ),
        "deployment": sorted(
            (
                d.external_id,
                d.is_failed,
                d.failure_reason,
                d.is_rework,
                d.rework_reason,
                d.recovered_at,
                d.recovery_seconds,
                deployments.get(d.previous_deployment_id) if d.previous_deployment_id else None,
                d.is_production,
            )
            for d in session.scalars(select(Deployment))
        ),
        "incident": sorted(
            (
                i.source,
                i.external_id if i.source != "revert" else "revert",
                i.started_at,
                i.resolved_at,
                deployments.get(i.attributed_deployment_id) if i.attributed_deployment_id else None,
                i.attribution_reason,
            )
            for i in session.scalars(select(Incident))
        ),
        "deployment_commit": sorted(
            (deployments[dc.deployment_id], dc.sha)
            for dc in session.scalars(select(DeploymentCommit))
        ),
    }
