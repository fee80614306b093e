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
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
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
    sentry: bool = False,
) -> None:
    """`sentry`: Sentry projects, releases and issues too, arriving among the rest."""
    items = generate(seed, repositories=repositories, prs_per_repo=prs_per_repo)
    sentry_items = generate_sentry(seed, items) if sentry else []
    if not incremental:
        write(session, items)
        write_sentry(session, sentry_items)
        derive_all(session, config)
        return
    repositories_rows = [i for i in items if i[0] == "repository"]
    rest = [i for i in items if i[0] != "repository"]
    write(session, repositories_rows)
    projects = [i for i in sentry_items if i[0] == "sentry_project"]
    sentry_rest = [i for i in sentry_items if i[0] != "sentry_project"]
    write_sentry(session, projects)
    size = max(1, len(rest) // slices + 1)
    sentry_size = max(1, len(sentry_rest) // slices + 1)
    for number, start in enumerate(range(0, len(rest), size)):
        changes = write(session, rest[start : start + size])
        first = number * sentry_size
        changes.merge(write_sentry(session, sentry_rest[first : first + sentry_size]))
        derive_changes(session, config, changes)
    leftover = sentry_rest[(len(range(0, len(rest), size))) * sentry_size :]
    if leftover:
        derive_changes(session, config, write_sentry(session, leftover))


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


# --- Sentry ------------------------------------------------------------------------------------


def _burst(rng: random.Random, start: datetime, release: str | None) -> list[dict[str, Any]]:
    """Events within 24 h of `start` (the sync reads no more): below both thresholds, over
    the events threshold, or over the users threshold with few events."""
    kind = rng.random()
    if kind < 0.45:
        count, users = rng.randint(3, 60), rng.randint(1, 6)
    elif kind < 0.75:
        count, users = rng.randint(100, 130), rng.randint(1, 9)
    else:
        count, users = rng.randint(10, 40), rng.randint(10, 14)
    offsets = sorted([0] + [rng.randint(0, 86_000) for _ in range(count - 1)])
    return [
        {
            "at": start + timedelta(seconds=offset),
            "user": f"user-{index % users}",
            "environment": "production" if rng.random() < 0.9 else "staging",
            "release": release,
        }
        for index, offset in enumerate(offsets)
    ]


def generate_sentry(
    seed: int, items: list[tuple[str, dict[str, Any]]]
) -> list[tuple[str, dict[str, Any]]]:
    """Sentry items for a generated history: a project per repository, a release per commit
    deployed to production (named by the commit) and some that match nothing, and issues
    breaking out after deployments — some crossing the thresholds, some regressing days
    later, some resolved in a later release or commit."""
    rng = random.Random(seed * 7919 + 17)
    found: list[tuple[str, dict[str, Any]]] = []
    shipped: dict[str, list[dict[str, Any]]] = {}
    for kind, row in items:
        if kind == "repository":
            repo = row["full_name"]
            found.append(("sentry_project", {"repo": repo, "slug": repo.split("/")[1]}))
        elif (
            kind == "deployment"
            and row["status"] == "success"
            and row["environment"] == "production"
        ):
            shipped.setdefault(row["repo"], []).append(row)
    for repo, deployments in shipped.items():
        deployments.sort(key=lambda d: (d["finished_at"], d["external_id"]))
        versions = set()
        for number, deployment in enumerate(deployments):
            if deployment["commit_sha"] not in versions:
                versions.add(deployment["commit_sha"])
                found.append(
                    (
                        "sentry_release",
                        {
                            "repo": repo,
                            "version": deployment["commit_sha"],
                            "created_at": deployment["finished_at"] - timedelta(hours=1),
                        },
                    )
                )
            if rng.random() < 0.2:
                found.append(
                    (
                        "sentry_release",
                        {
                            "repo": repo,
                            "version": f"{repo.split('/')[1]}@{number}.0",
                            "created_at": deployment["finished_at"],
                        },
                    )
                )
            for k in range(rng.randint(0, 2)):
                found.append(_sentry_issue(rng, repo, f"{number}-{k}", deployment, deployments))
    rng.shuffle(found)
    projects = [item for item in found if item[0] == "sentry_project"]
    return projects + [item for item in found if item[0] != "sentry_project"]


def _sentry_issue(
    rng: random.Random,
    repo: str,
    key: str,
    deployment: dict[str, Any],
    deployments: list[dict[str, Any]],
) -> tuple[str, dict[str, Any]]:
    """An issue breaking out after `deployment`, perhaps regressing, perhaps resolved."""
    first = _t(rng, deployment["finished_at"], 0.1, 30)
    release = deployment["commit_sha"] if rng.random() < 0.8 else None
    events = _burst(rng, first, release)
    if rng.random() < 0.4:
        again = _t(rng, events[-1]["at"], 24 * 2, 24 * 8)
        before = [d for d in deployments if d["finished_at"] <= again]
        regressed_in = before[-1]["commit_sha"] if before and rng.random() < 0.5 else None
        events += _burst(rng, again, regressed_in)
    last = events[-1]["at"]
    status, details, resolved_at = "unresolved", {}, None
    if rng.random() < 0.6:
        status, resolved_at = "resolved", _t(rng, last, 1, 48)
        later = [d for d in deployments if d["finished_at"] > last]
        if later and rng.random() < 0.8:
            fix = rng.choice(later[:3])["commit_sha"]
            details = {"inRelease": fix} if rng.random() < 0.6 else {"inCommit": {"id": fix}}
    return (
        "sentry_issue",
        {
            "repo": repo,
            "external_id": f"{repo}-s{key}",
            "level": rng.choice(["error", "error", "error", "fatal", "warning"]),
            "environment": "production" if rng.random() < 0.85 else "staging",
            "first_release": release,
            "status": status,
            "status_details": details,
            "resolved_at": resolved_at,
            "events": events,
        },
    )


def write_sentry(session: Session, items: list[tuple[str, dict[str, Any]]]) -> ChangeSet:
    changes = ChangeSet()
    repos = {
        r.full_name: r.id for r in session.execute(select(Repository.full_name, Repository.id))
    }
    projects = {p.slug: p for p in session.scalars(select(SentryProject))}
    for kind, row in items:
        if kind == "sentry_project":
            project = SentryProject(
                external_id=f"p-{row['repo']}",
                slug=row["slug"],
                name=row["slug"],
                repository_id=repos[row["repo"]],
                repository_mapped_by="name",
            )
            session.add(project)
            session.flush()
            projects[row["slug"]] = project
        elif kind == "sentry_release":
            release = SentryRelease(
                version=row["version"],
                created_at=row["created_at"],
                commit_shas=[],
                project_external_ids=[f"p-{row['repo']}"],
            )
            session.add(release)
            session.flush()
            changes.sentry_release_ids.add(release.id)
        elif kind == "sentry_issue":
            events = row["events"]
            issue = SentryIssue(
                external_id=row["external_id"],
                short_id=row["external_id"].upper(),
                project_id=projects[row["repo"].split("/")[1]].id,
                title="TypeError",
                level=row["level"],
                status=row["status"],
                status_details=row["status_details"],
                first_seen=events[0]["at"],
                last_seen=events[-1]["at"],
                resolved_at=row["resolved_at"],
                event_count=len(events),
                user_count=len({e["user"] for e in events}),
                first_release_version=row["first_release"],
                tags={"environment": row["environment"]},
                events_read=True,
            )
            session.add(issue)
            session.flush()
            for index, event in enumerate(events):
                session.add(
                    SentryEvent(
                        issue_id=issue.id,
                        external_id=f"{issue.external_id}-e{index}",
                        at=event["at"],
                        environment=event["environment"],
                        release_version=event["release"],
                        user_key=event["user"],
                    )
                )
            changes.sentry_issue_ids.add(issue.id)
    session.flush()
    return changes
