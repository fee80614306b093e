"""Sentry issues as incidents: the rule's verdict written on each issue, `incident` rows for
the ones that qualify (one per crossing episode: the first appearance keeps the issue's id,
the n-th regression that crosses is `<id>:r<n>`), their resolution by the deployment shipping
the fix, their attribution to the release they were first seen in, and the deployments that
are rework because they resolve one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from veelocity.core.db import update_by_id, upsert_rows
from veelocity.derive.config import DeriveConfig
from veelocity.derive.pull_requests import chunks
from veelocity.derive.sentry_rule import (
    THRESHOLD_WINDOW,
    EventFact,
    IssueFacts,
    Verdict,
    judge_issue,
)
from veelocity.models import (
    Deployment,
    DeploymentCommit,
    Incident,
    SentryEvent,
    SentryIssue,
    SentryProject,
    SentryRelease,
)

SENTRY_SOURCE = "sentry"
_REGRESSION = ":r"
#: a commit named by 7 hex characters or more also matches the SHAs that start with it
_HEX = re.compile(r"[0-9a-f]{7,64}")


def issue_external_id(incident_external_id: str) -> str:
    """The Sentry issue id of a Sentry incident (a regression's carries `:r<n>`)."""
    return incident_external_id.split(_REGRESSION, 1)[0]


def _facts(issue: Any) -> IssueFacts:
    tags = dict(issue.tags or {})
    return IssueFacts(
        level=issue.level,
        environment=tags.get("environment"),
        first_seen=issue.first_seen,
        events_read=issue.events_read,
        tags=tags,
        assigned_to=issue.assigned_to,
        event_count=issue.event_count,
        user_count=issue.user_count,
    )


def _events(session: Session, issue_ids: list[int]) -> dict[int, list[EventFact]]:
    found: dict[int, list[EventFact]] = defaultdict(list)
    for issue_id, at, environment, user_key in session.execute(
        select(SentryEvent.issue_id, SentryEvent.at, SentryEvent.environment, SentryEvent.user_key)
        .where(SentryEvent.issue_id.in_(issue_ids))
        .order_by(SentryEvent.issue_id, SentryEvent.at, SentryEvent.id)
    ):
        found[issue_id].append(EventFact(at, environment, user_key))
    return found


def _first_production_with(session: Session, condition: Any, after: datetime | None) -> Any:
    query = select(Deployment.id, Deployment.finished_at).where(
        Deployment.status == "success", Deployment.is_production.is_(True), condition
    )
    if after is not None:
        query = query.where(Deployment.finished_at >= after)
    return session.execute(query.order_by(Deployment.finished_at, Deployment.id).limit(1)).first()


def _commit_of(details: dict[str, Any]) -> str | None:
    commit = details.get("inCommit")
    if isinstance(commit, dict):
        commit = commit.get("id") or commit.get("commit")
    if not isinstance(commit, str) or not commit.strip():
        return None
    sha = commit.strip()
    return sha.lower() if _HEX.fullmatch(sha.lower()) else sha


def resolving_deployment(session: Session, issue: Any) -> tuple[Any, str] | None:
    """The first production deployment shipping the release or commit the issue was resolved
    in, with what it shipped ("release R" or "commit C"); None when there is none."""
    details = dict(issue.status_details or {})
    release = details.get("inRelease")
    if isinstance(release, str) and release:
        deployment_id = session.scalar(
            select(SentryRelease.deployment_id).where(SentryRelease.version == release)
        )
        if deployment_id is None:
            return None
        found = session.execute(
            select(Deployment.id, Deployment.finished_at).where(Deployment.id == deployment_id)
        ).first()
        return (found, f"release {release}") if found is not None else None
    sha = _commit_of(details)
    if sha:
        repository_id = session.scalar(
            select(SentryProject.repository_id).where(SentryProject.id == issue.project_id)
        )
        prefix = _HEX.fullmatch(sha) is not None
        shipped = (
            select(DeploymentCommit.deployment_id)
            .where(DeploymentCommit.sha.like(sha + "%") if prefix else DeploymentCommit.sha == sha)
            .scalar_subquery()
        )
        condition = or_(
            Deployment.commit_sha.like(sha + "%") if prefix else Deployment.commit_sha == sha,
            Deployment.id.in_(shipped),
        )
        if repository_id is not None:
            condition = condition & (Deployment.repository_id == repository_id)
        found = _first_production_with(session, condition, None)
        return (found, f"commit {sha[:12]}") if found is not None else None
    return None


def _resolved_at(session: Session, issue: Any) -> datetime | None:
    if issue.status != "resolved":
        return None
    shipped = resolving_deployment(session, issue)
    if shipped is not None:
        finished: datetime = shipped[0].finished_at
        return finished
    resolved: datetime | None = issue.resolved_at or issue.last_seen
    return resolved


def _incident_rows(session: Session, issue: Any, verdict: Verdict) -> list[dict[str, Any]]:
    repository_id, slug = session.execute(
        select(SentryProject.repository_id, SentryProject.slug).where(
            SentryProject.id == issue.project_id
        )
    ).one()
    base = {
        "source": SENTRY_SOURCE,
        "title": (issue.title or issue.short_id)[:2000],
        "repository_id": repository_id,
        "service": slug,
        "severity": issue.level,
        "url": issue.url,
    }
    if not verdict.episodes:  # a tag or assignment match: the issue's whole life
        assert verdict.started_at is not None
        return [
            {
                **base,
                "external_id": issue.external_id,
                "started_at": verdict.started_at,
                "resolved_at": _resolved_at(session, issue),
            }
        ]
    rows = []
    for episode in verdict.episodes:
        rows.append(
            {
                **base,
                "external_id": issue.external_id
                if episode.number == 0
                else f"{issue.external_id}{_REGRESSION}{episode.number}",
                "started_at": episode.started_at,
                # an episode followed by a regression was resolved before it; its last event
                # is the latest time known to have been in trouble
                "resolved_at": (
                    episode.last_event_at if episode.followed else _resolved_at(session, issue)
                ),
            }
        )
    return rows


def _issue_query() -> Any:
    return select(
        SentryIssue.id,
        SentryIssue.external_id,
        SentryIssue.short_id,
        SentryIssue.project_id,
        SentryIssue.title,
        SentryIssue.level,
        SentryIssue.status,
        SentryIssue.status_details,
        SentryIssue.first_seen,
        SentryIssue.last_seen,
        SentryIssue.resolved_at,
        SentryIssue.event_count,
        SentryIssue.user_count,
        SentryIssue.tags,
        SentryIssue.assigned_to,
        SentryIssue.url,
        SentryIssue.events_read,
        SentryIssue.is_incident,
        SentryIssue.incident_reason,
        SentryIssue.incident_started_at,
    )


def judge_issues(
    session: Session, config: DeriveConfig, issue_ids: list[int]
) -> list[tuple[Any, Verdict]]:
    """Each issue with the rule's verdict, from what is stored (nothing written)."""
    rows = session.execute(_issue_query().where(SentryIssue.id.in_(issue_ids))).all()
    # only the issues the thresholds concern have events stored
    events = _events(session, [r.id for r in rows if r.events_read])
    return [(row, judge_issue(config, _facts(row), events.get(row.id, []))) for row in rows]


def _resolved_incident_issues(session: Session) -> list[Any]:
    """The resolved Sentry issues that are incidents, found through the incident table (a
    few rows, indexed by source) rather than a scan of every issue."""
    external_ids = sorted(
        {
            issue_external_id(e)
            for e in session.scalars(
                select(Incident.external_id).where(Incident.source == SENTRY_SOURCE)
            )
        }
    )
    found: list[Any] = []
    for batch in chunks(external_ids):
        found += session.execute(
            select(
                SentryIssue.id,
                SentryIssue.short_id,
                SentryIssue.project_id,
                SentryIssue.status_details,
            ).where(
                SentryIssue.external_id.in_(batch),
                SentryIssue.is_incident.is_(True),
                SentryIssue.status == "resolved",
            )
        ).all()
    return sorted(found, key=lambda r: (r.short_id, r.id))


def _fix_deployments(session: Session, issues: list[Any]) -> set[int]:
    """The deployments whose rework these issues (incidents now or before) may change: the
    one shipping each fix now, and the ones that were rework for resolving them."""
    if not issues:
        return set()
    found = {
        shipped[0].id
        for shipped in (resolving_deployment(session, i) for i in issues if i.status == "resolved")
        if shipped is not None
    }
    reasons = [_rework_reason(i.short_id) for i in issues]
    for batch in chunks(reasons):
        found |= set(
            session.scalars(select(Deployment.id).where(Deployment.rework_reason.in_(batch)))
        )
    return found


def _rework_reason(short_id: str) -> str:
    return f"resolves Sentry issue {short_id}"


def _incidents_of(session: Session, external_ids: list[str]) -> list[Any]:
    """The stored incidents of these issues (id, external id, attributed deployment): their
    first appearances by id, and every regression's (few), matched to them here."""
    if not external_ids:
        return []
    wanted = set(external_ids)
    return [
        row
        for row in session.execute(
            select(Incident.id, Incident.external_id, Incident.attributed_deployment_id).where(
                Incident.source == SENTRY_SOURCE,
                or_(
                    Incident.external_id.in_(sorted(wanted)),
                    Incident.external_id.like("%" + _REGRESSION + "%"),
                ),
            )
        )
        if issue_external_id(row.external_id) in wanted
    ]


def sync_sentry_incidents(
    session: Session, config: DeriveConfig, issue_ids: Iterable[int] | None
) -> tuple[set[int], set[int]]:
    """Write each issue's verdict and its incidents. Returns the incidents written and the
    deployments that lost one (the issue no longer qualifies, or a regression no longer
    crosses) or whose rework for shipping a fix may have changed."""
    if issue_ids is None:
        issue_ids = session.scalars(select(SentryIssue.id).order_by(SentryIssue.id)).all()
    touched: set[int] = set()
    released: set[int] = set()
    for batch in chunks(issue_ids, 500):
        judged = judge_issues(session, config, list(batch))
        verdict_rows = []
        wanted: list[dict[str, Any]] = []
        external_ids: list[str] = []
        fixes: list[Any] = []
        for issue, verdict in judged:
            reason = verdict.reason[:300]
            if (issue.is_incident, issue.incident_reason, issue.incident_started_at) != (
                verdict.is_incident,
                reason,
                verdict.started_at,
            ):
                verdict_rows.append(
                    {
                        "id": issue.id,
                        "is_incident": verdict.is_incident,
                        "incident_reason": reason,
                        "incident_started_at": verdict.started_at,
                    }
                )
            if verdict.is_incident or issue.is_incident:
                external_ids.append(issue.external_id)
                fixes.append(issue)
            if verdict.is_incident:
                wanted.extend(_incident_rows(session, issue, verdict))
        update_by_id(session, SentryIssue.__table__, verdict_rows)
        kept = {row["external_id"] for row in wanted}
        stale = [
            (incident_id, deployment_id)
            for incident_id, external_id, deployment_id in _incidents_of(session, external_ids)
            if external_id not in kept
        ]
        if stale:
            released |= {d for _, d in stale if d is not None}
            session.execute(delete(Incident).where(Incident.id.in_([i for i, _ in stale])))
        upsert_rows(session, Incident.__table__, wanted, key=("source", "external_id"))
        released |= _fix_deployments(session, fixes)
        if kept:
            touched |= set(
                session.scalars(
                    select(Incident.id).where(
                        Incident.source == SENTRY_SOURCE, Incident.external_id.in_(sorted(kept))
                    )
                )
            )
    return touched, released


def sentry_issue_ids_of_releases(
    session: Session, release_ids: Iterable[int], *, deployments_changed: bool
) -> set[int]:
    """Issues whose attribution or resolution these releases (or changed deployments) may
    move: first seen in one of them, resolved in one of them, or (deployments changed)
    resolved in a commit a new deployment may ship."""
    versions: set[str] = set()
    found: set[int] = set()
    for batch in chunks(release_ids):
        names = list(
            session.scalars(select(SentryRelease.version).where(SentryRelease.id.in_(batch)))
        )
        versions |= set(names)
        found |= set(
            session.scalars(
                select(SentryIssue.id).where(SentryIssue.first_release_version.in_(names))
            )
        )
    if versions or deployments_changed:
        for issue in _resolved_incident_issues(session):
            issue_id = issue.id
            details = issue.status_details if isinstance(issue.status_details, dict) else {}
            if details.get("inRelease") in versions or (
                deployments_changed and details.get("inCommit")
            ):
                found.add(issue_id)
    return found


def sentry_attribution(
    session: Session, external_id: str, started_at: datetime
) -> tuple[int | None, str | None]:
    """The deployment of the release the incident was first seen in: for the first
    appearance, the issue's first release (else its first event's); for a regression, the
    release of its first event that names one. None when that release has no deployment."""
    issue = session.execute(
        select(SentryIssue.id, SentryIssue.first_release_version).where(
            SentryIssue.external_id == issue_external_id(external_id)
        )
    ).first()
    if issue is None:
        return None, None
    version = None if _REGRESSION in external_id else issue.first_release_version
    if version is None:
        version = session.scalar(
            select(SentryEvent.release_version)
            .where(
                SentryEvent.issue_id == issue.id,
                SentryEvent.at >= started_at,
                SentryEvent.at < started_at + THRESHOLD_WINDOW,
                SentryEvent.release_version.is_not(None),
            )
            .order_by(SentryEvent.at, SentryEvent.id)
            .limit(1)
        )
    if version is None:
        return None, None
    deployment_id = session.scalar(
        select(SentryRelease.deployment_id).where(SentryRelease.version == version)
    )
    if deployment_id is None:
        return None, None
    return deployment_id, f"first seen in release {version}, deployed by deployment {deployment_id}"


def sentry_rework(session: Session) -> dict[int, str]:
    """Deployments that ship the release or commit resolving a Sentry incident, with why.
    Releases are looked up together (derive runs this after every write); a commit needs a
    query of its own."""
    resolved = _resolved_incident_issues(session)
    if not resolved:
        return {}
    versions = {
        str(r.status_details["inRelease"])
        for r in resolved
        if isinstance(r.status_details, dict) and isinstance(r.status_details.get("inRelease"), str)
    }
    shipped_by: dict[str, int] = {}
    for batch in chunks(sorted(versions)):
        for version, deployment_id in session.execute(
            select(SentryRelease.version, SentryRelease.deployment_id).where(
                SentryRelease.version.in_(batch)
            )
        ):
            if deployment_id is not None:
                shipped_by[version] = deployment_id
    found: dict[int, str] = {}
    for issue in resolved:
        details = issue.status_details if isinstance(issue.status_details, dict) else {}
        release = details.get("inRelease")
        if isinstance(release, str):
            deployment_id = shipped_by.get(release)
        else:
            shipped = resolving_deployment(session, issue)
            deployment_id = shipped[0].id if shipped is not None else None
        if deployment_id is not None:
            found.setdefault(deployment_id, _rework_reason(issue.short_id))
    return found
