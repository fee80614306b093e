"""Derive on write: turn synced and ingested rows into what metric queries read.

`derive_changes` recomputes what a write touched and its neighbours (the next deployment,
the incidents near a deployment, the failed deployments a new deployment may recover);
`derive_all` recomputes everything. Both run the same steps, so they agree. Linear issues
follow the same rule: their links to pull requests, flow figures and issue-to-production
are recomputed when the issue, a linked PR or that PR's deployment changes. Sentry releases
map to the deployment that shipped them, and Sentry issues become incidents, when they or a
deployment change. AI facts of a pull request (docs/ai-impact.md) are recomputed when it,
its commits' AI lines, its author's Cursor usage or its Greptile reviews change, and with them
the AI share of the deployment that shipped it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.derive.ai import (
    derive_deployment_ai,
    derive_pull_request_ai,
    pull_requests_touched_by_ai_writes,
)
from veelocity.derive.changes import ChangeSet
from veelocity.derive.config import DeriveConfig
from veelocity.derive.deployments import (
    deployments_reaching_new_commits,
    derive_shipping,
    mark_production,
    prs_shipped_by,
    repositories_of,
)
from veelocity.derive.incidents import (
    REVERT_SOURCE,
    attribute_incidents,
    incidents_near,
    sync_issue_incidents,
    sync_revert_incidents,
)
from veelocity.derive.linear_incidents import issue_ids_of, linear_incident_issue_ids
from veelocity.derive.linear_issues import derive_linear_issues
from veelocity.derive.linear_links import issues_linked_to, link_issues_and_pull_requests
from veelocity.derive.outcomes import derive_outcomes, failed_deployments_recovering_by
from veelocity.derive.pull_requests import (
    all_pull_request_ids,
    chunks,
    derive_timelines,
    link_to_deployments,
)
from veelocity.derive.sentry_incidents import sentry_issue_ids_of_releases, sync_sentry_incidents
from veelocity.derive.sentry_releases import map_releases_to_deployments, releases_shipped_near
from veelocity.models import (
    Deployment,
    Incident,
    Issue,
    LinearIssue,
    PullRequest,
    SentryIssue,
    SentryProject,
)

__all__ = [
    "ChangeSet",
    "DeriveConfig",
    "DeriveReport",
    "derive_all",
    "derive_changes",
    "derive_issue_incidents",
    "derive_sentry_incidents",
]


@dataclass(frozen=True)
class DeriveReport:
    pull_requests: int
    deployments: int
    incidents: int


def _deployment_ids_of(session: Session, pr_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for batch in chunks(pr_ids):
        found |= {
            d
            for d in session.scalars(
                select(PullRequest.deployment_id).where(PullRequest.id.in_(batch))
            )
            if d is not None
        }
    return found


def _deployments_after_merges(session: Session, pr_ids: Iterable[int]) -> dict[int, set[int]]:
    """The first deployment after each merged PR: it may ship the PR by time when its
    repository has no commit graph."""
    targets: dict[int, set[int]] = defaultdict(set)
    for batch in chunks(pr_ids):
        for repository_id, merged_at in session.execute(
            select(PullRequest.repository_id, PullRequest.merged_at).where(
                PullRequest.id.in_(batch), PullRequest.merged_at.is_not(None)
            )
        ):
            first = session.scalar(
                select(Deployment.id)
                .where(
                    Deployment.repository_id == repository_id,
                    Deployment.status == "success",
                    Deployment.is_production.is_(True),
                    Deployment.finished_at >= merged_at,
                )
                .order_by(Deployment.finished_at, Deployment.id)
                .limit(1)
            )
            if first is not None:
                targets[repository_id].add(first)
    return targets


def _refresh_loaded_objects(session: Session) -> None:
    """Derive writes with bulk UPDATEs, which bypass objects already loaded in the session;
    expire them so the caller reads what derive wrote."""
    session.flush()
    session.expire_all()


def _derive_linear_changes(
    session: Session,
    changes: ChangeSet,
    pr_ids: set[int],
    relinked_pr_ids: set[int],
    deployments_changed: bool,
) -> set[int]:
    """Links of the changed PRs and Linear issues, then the flow and production of every
    issue whose history, links, or linked PRs' merge or deployment changed. Returns the
    `issue` rows whose incident status or repository may have changed."""
    if session.scalar(select(LinearIssue.id).limit(1)) is None:
        return set()
    linear_ids = set(changes.linear_issue_ids)
    links = link_issues_and_pull_requests(session, pr_ids, linear_ids)
    linear_ids |= links.linear_issue_ids
    derive_linear_issues(session, linear_ids | issues_linked_to(session, relinked_pr_ids | pr_ids))
    issue_ids = issue_ids_of(session, linear_ids)
    if deployments_changed:
        issue_ids |= linear_incident_issue_ids(session)
    return issue_ids


def _derive_sentry_changes(
    session: Session, config: DeriveConfig, changes: ChangeSet, deployment_ids: set[int]
) -> tuple[set[int], set[int]]:
    """Releases' deployments, then the incident status of the issues they or the write
    touched. Returns the Sentry incidents written and the deployments whose failure or
    rework may have changed."""
    if session.scalar(select(SentryProject.id).limit(1)) is None:
        return set(), set()
    release_ids = set(changes.sentry_release_ids) | releases_shipped_near(session, deployment_ids)
    remapped = map_releases_to_deployments(session, config, release_ids)
    releases = remapped | changes.sentry_release_ids
    issue_ids = set(changes.sentry_issue_ids) | sentry_issue_ids_of_releases(
        session, releases, deployments_changed=bool(deployment_ids)
    )
    if not issue_ids:
        return set(), set()
    return sync_sentry_incidents(session, config, issue_ids)


def derive_changes(session: Session, config: DeriveConfig, changes: ChangeSet) -> DeriveReport:
    pr_ids = set(changes.pull_request_ids)
    # a new file list changes a PR's size only, which nothing else derived depends on
    derive_timelines(session, config, pr_ids | changes.resized_pull_request_ids)
    mark_production(session, config, changes.deployment_ids)

    targets: dict[int, set[int] | None] = dict(
        deployments_reaching_new_commits(
            session, changes.repository_ids_with_new_commits, changes.new_commit_shas
        )
    )
    for source in (
        repositories_of(session, changes.deployment_ids),
        _deployments_after_merges(session, pr_ids),
    ):
        for repository_id, ids in source.items():
            current = targets.setdefault(repository_id, set())
            if current is not None:  # None already means the whole repository
                current |= ids
    shipping = derive_shipping(session, config, targets)

    relink = (
        pr_ids
        | shipping.previously_linked_pr_ids
        | prs_shipped_by(session, shipping.deployment_ids)
    )
    deployments_of_relinked = _deployment_ids_of(session, relink)
    link_to_deployments(session, relink)
    deployments_of_relinked |= _deployment_ids_of(session, relink)
    issue_ids = set(changes.issue_ids) | _derive_linear_changes(
        session, changes, pr_ids, relink, bool(changes.deployment_ids or shipping.deployment_ids)
    )

    incident_ids = set(changes.incident_ids)
    incident_ids |= sync_revert_incidents(session, relink)
    from_issues, released = sync_issue_incidents(session, config, issue_ids)
    incident_ids |= from_issues
    from_sentry, sentry_affected = _derive_sentry_changes(
        session, config, changes, shipping.deployment_ids | changes.deployment_ids
    )
    incident_ids |= from_sentry
    released |= sentry_affected
    incident_ids |= incidents_near(
        session, config, shipping.deployment_ids | changes.deployment_ids
    )
    for batch in chunks(shipping.repository_ids):
        incident_ids |= set(
            session.scalars(
                select(Incident.id).where(
                    Incident.source == REVERT_SOURCE, Incident.repository_id.in_(batch)
                )
            )
        )
    affected = attribute_incidents(session, config, incident_ids) | released
    affected |= shipping.deployment_ids | changes.deployment_ids | deployments_of_relinked
    affected |= failed_deployments_recovering_by(session, affected)
    derive_outcomes(session, affected)
    _derive_ai_changes(session, config, changes, relink | pr_ids, affected)
    _refresh_loaded_objects(session)
    return DeriveReport(len(relink | pr_ids), len(affected), len(incident_ids))


def _derive_ai_changes(
    session: Session,
    config: DeriveConfig,
    changes: ChangeSet,
    pr_ids: set[int],
    deployment_ids: set[int],
) -> None:
    """AI facts of the PRs written or touched by AI rows, then the AI share of every
    deployment that shipped them or was itself recomputed."""
    ai_pr_ids = pr_ids | pull_requests_touched_by_ai_writes(
        session,
        ai_commit_shas=changes.ai_commit_shas,
        cursor_member_ids=changes.cursor_member_ids,
        greptile_review_ids=changes.greptile_review_ids,
    )
    shipped_by = derive_pull_request_ai(session, config, ai_pr_ids)
    derive_deployment_ai(session, shipped_by | deployment_ids)


def derive_issue_incidents(session: Session, config: DeriveConfig) -> DeriveReport:
    """Decide again which issues are incidents (after the incident patterns changed): Sentry
    issues too, whose tags and assignee the patterns match."""
    return derive_changes(
        session,
        config,
        ChangeSet(
            issue_ids=set(session.scalars(select(Issue.id))),
            sentry_issue_ids=set(session.scalars(select(SentryIssue.id))),
        ),
    )


def derive_sentry_incidents(session: Session, config: DeriveConfig) -> DeriveReport:
    """Decide again which Sentry issues are incidents (after the thresholds changed)."""
    return derive_changes(
        session, config, ChangeSet(sentry_issue_ids=set(session.scalars(select(SentryIssue.id))))
    )


def derive_all(session: Session, config: DeriveConfig) -> DeriveReport:
    pr_ids = all_pull_request_ids(session)
    derive_timelines(session, config, pr_ids)
    mark_production(session, config, None)
    repository_ids = set(session.scalars(select(Deployment.repository_id).distinct()))
    derive_shipping(session, config, dict.fromkeys(repository_ids))
    link_to_deployments(session, pr_ids)
    link_issues_and_pull_requests(session, None, None)
    derive_linear_issues(session, None)
    sync_revert_incidents(session, None)
    sync_issue_incidents(session, config, None)
    map_releases_to_deployments(session, config, None)
    sync_sentry_incidents(session, config, None)
    attribute_incidents(session, config, None)
    deployments = derive_outcomes(session, None)
    derive_pull_request_ai(session, config, pr_ids)
    derive_deployment_ai(session, None)
    incidents = len(list(session.scalars(select(Incident.id))))
    _refresh_loaded_objects(session)
    return DeriveReport(len(pr_ids), deployments, incidents)
