"""Sentry's JSON for the generated organisation, field for field as the OpenAPI description
(getsentry/sentry-api-schema) lists them; docs/fake-sentry.md says where the fake simplifies."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from veelocity.demo.sentry_model import (
    SECONDS_PER_HOUR,
    Deploy,
    Event,
    Issue,
    Project,
    Release,
    SentryOrganisation,
)

Json = dict[str, Any]


def iso(when: datetime | None) -> str | None:
    """Sentry's timestamps: UTC with microseconds and a `Z`."""
    if when is None:
        return None
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def organisation(org: SentryOrganisation, base_url: str) -> Json:
    return {
        "id": org.id,
        "slug": org.slug,
        "name": org.name,
        "dateCreated": iso(min((p.date_created for p in org.projects), default=org.now)),
        "status": {"id": "active", "name": "active"},
        "isEarlyAdopter": False,
        "require2FA": False,
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None},
        "features": [],
        "links": {
            "organizationUrl": f"{base_url.split('/api/0', 1)[0]}/organizations/{org.slug}/",
            "regionUrl": base_url.split("/api/0", 1)[0],
        },
    }


def project(item: Project, latest: Release | None) -> Json:
    team = {"id": _stable_id(item.team_slug), "name": item.team_slug, "slug": item.team_slug}
    payload: Json = {
        "id": item.id,
        "slug": item.slug,
        "name": item.name,
        "platform": item.platform,
        "dateCreated": iso(item.date_created),
        "isBookmarked": False,
        "isMember": True,
        "features": ["releases", "minidump"],
        "firstEvent": iso(item.date_created),
        "firstTransactionEvent": False,
        "access": ["project:read", "event:read", "org:read"],
        "hasAccess": True,
        "hasCustomMetrics": False,
        "hasFeedbacks": False,
        "hasMinifiedStackTrace": False,
        "hasMonitors": False,
        "hasNewFeedbacks": False,
        "hasProfiles": False,
        "hasReplays": False,
        "hasSessions": False,
        "hasInsightsHttp": False,
        "hasInsightsDb": False,
        "hasInsightsAssets": False,
        "hasInsightsAppStart": False,
        "hasInsightsScreenLoad": False,
        "hasInsightsVitals": False,
        "hasInsightsCaches": False,
        "hasInsightsQueues": False,
        "hasInsightsLlmMonitoring": False,
        "team": team,
        "teams": [team],
        "eventProcessing": {"symbolicationDegraded": False},
        "platforms": [item.platform] if item.platform else [],
        "hasUserReports": False,
        "environments": list(item.environments),
        "latestRelease": {"version": latest.version} if latest else None,
    }
    return payload


def _deploy(deploy: Deploy) -> Json:
    return {
        "id": deploy.id,
        "environment": deploy.environment,
        "dateStarted": iso(deploy.date_started),
        "dateFinished": iso(deploy.date_finished),
        "name": deploy.name,
        "url": deploy.url,
    }


def deploy(item: Deploy) -> Json:
    return _deploy(item)


def commit(release: Release, sha: str, position: int) -> Json:
    return {
        "id": sha,
        "message": f"Change {sha[:7]} shipped in {release.short_version}",
        "dateCreated": iso(release.date_created - timedelta(minutes=30 * (position + 1))),
        "repository": None,
        "author": None,
        "releases": [],
        "pullRequest": None,
        "suspectCommitType": "",
    }


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """What Sentry counts for a release from its issues."""

    new_groups: int = 0
    first_event: datetime | None = None
    last_event: datetime | None = None


def _release_project(item: Project, facts: ReleaseFacts, detail: bool) -> Json:
    payload: Json = {
        "id": int(item.id),
        "slug": item.slug,
        "name": item.name,
        "newGroups": facts.new_groups,
        "platform": item.platform,
        "platforms": [item.platform] if item.platform else [],
        "hasHealthData": False,
    }
    if detail:
        payload["healthData"] = None
    return payload


def release(
    org: SentryOrganisation, item: Release, facts: ReleaseFacts, *, detail: bool = False
) -> Json:
    projects = [org.project(project_id) for project_id in item.projects]
    last_deploy = item.deploys[-1] if item.deploys else None
    last_commit = None
    if item.last_commit:
        last_commit = commit(item, item.last_commit, 0)
    package, _, version = item.version.partition("@")
    payload: Json = {
        "id": item.id,
        "version": item.version,
        "shortVersion": item.short_version,
        "status": "open",
        "ref": item.ref,
        "url": None,
        "dateCreated": iso(item.date_created),
        "dateReleased": iso(item.date_released),
        "data": {},
        "newGroups": facts.new_groups,
        "owner": None,
        "commitCount": len(item.commits),
        "lastCommit": last_commit,
        "deployCount": len(item.deploys),
        "lastDeploy": _deploy(last_deploy) if last_deploy else None,
        "authors": [],
        "projects": [_release_project(p, facts, detail) for p in projects],
        "firstEvent": iso(facts.first_event),
        "lastEvent": iso(facts.last_event),
        "currentProjectMeta": {},
        "userAgent": None,
    }
    if detail:
        payload["versionInfo"] = {
            "package": package if version else None,
            "version": {"raw": version or item.version},
            "description": item.short_version,
            "buildHash": item.version if not version else None,
        }
        payload["dateStarted"] = None
    return payload


def _metadata(issue: Issue) -> Json:
    kind, _, value = issue.title.partition(": ")
    return {"type": kind, "value": value, "filename": issue.culprit.split(" in ", 1)[0]}


def _assignee(issue: Issue) -> Json | None:
    who = issue.assigned_to
    if who is None:
        return None
    payload: Json = {"type": who.type, "id": who.id, "name": who.name}
    if who.email is not None:
        payload["email"] = who.email
    return payload


def hourly_series(issue: Issue, now: datetime) -> list[list[int]]:
    """The last 24 hours' events per hour, `[[epoch, n], ...]` as `stats["24h"]`."""
    end = int(now.timestamp()) // SECONDS_PER_HOUR * SECONDS_PER_HOUR
    start = end - 23 * SECONDS_PER_HOUR
    counts = {hour: events for hour, events in issue.hourly if hour >= start}
    return [[hour, counts.get(hour, 0)] for hour in range(start, end + 1, SECONDS_PER_HOUR)]


def daily_series(issue: Issue, now: datetime) -> list[list[int]]:
    """The last 14 days' events per day, as `stats["14d"]`."""
    day = 86_400
    end = int(now.timestamp()) // day * day
    start = end - 13 * day
    counts: dict[int, int] = {}
    for hour, events in issue.hourly:
        if hour >= start:
            counts[hour - hour % day] = counts.get(hour - hour % day, 0) + events
    return [[moment, counts.get(moment, 0)] for moment in range(start, end + 1, day)]


def issue(org: SentryOrganisation, item: Issue, base_url: str, stats_period: str = "24h") -> Json:
    """An issue as the issue lists serve it."""
    owner = org.project(item.project_id)
    stats: Json = {}
    if stats_period == "24h":
        stats["24h"] = hourly_series(item, org.now)
    elif stats_period == "14d":
        stats["14d"] = daily_series(item, org.now)
    web = base_url.split("/api/0", 1)[0]
    return {
        "id": item.id,
        "shortId": item.short_id,
        "title": item.title,
        "culprit": item.culprit,
        "permalink": f"{web}/organizations/{org.slug}/issues/{item.id}/",
        "logger": None,
        "level": item.level,
        "status": item.status,
        "statusDetails": dict(item.status_details),
        "substatus": item.substatus,
        "isPublic": False,
        "platform": owner.platform,
        "project": {
            "id": owner.id,
            "name": owner.name,
            "slug": owner.slug,
            "platform": owner.platform,
        },
        "type": item.type,
        "issueType": "error",
        "issueCategory": "error",
        "priority": "high" if item.level in ("error", "fatal") else "low",
        "metadata": _metadata(item),
        "numComments": 0,
        "assignedTo": _assignee(item),
        "isBookmarked": False,
        "isSubscribed": False,
        "subscriptionDetails": {},
        "hasSeen": False,
        "annotations": [],
        "isUnhandled": item.tags.get("handled") == "no",
        "count": str(item.count),
        "userCount": item.user_count,
        "firstSeen": iso(item.first_seen),
        "lastSeen": iso(item.last_seen),
        "shareId": None,
        "stats": stats,
    }


def issue_detail(
    org: SentryOrganisation,
    item: Issue,
    base_url: str,
    first_release: Json | None,
    last_release: Json | None,
) -> Json:
    """An issue as its own endpoint serves it: with its releases, tags and activity."""
    payload = issue(org, item, base_url, "24h")
    payload["stats"]["30d"] = daily_series(item, org.now)
    tag_values = {
        "environment": item.environment,
        "level": item.level,
        **({"release": item.first_release} if item.first_release else {}),
        **item.tags,
    }
    payload.update(
        {
            "firstRelease": first_release,
            "lastRelease": last_release,
            "tags": [
                {
                    "key": key,
                    "name": key.replace("_", " ").title(),
                    "totalValues": item.count,
                    "topValues": [{"value": value, "count": item.count, "key": key}],
                }
                for key, value in tag_values.items()
            ],
            "activity": [
                {
                    "id": _stable_id(f"{item.id}:first_seen"),
                    "type": "first_seen",
                    "data": {},
                    "dateCreated": iso(item.first_seen),
                    "user": None,
                }
            ],
            "annotations": [],
            "participants": [],
            "pluginActions": [],
            "pluginContexts": [],
            "pluginIssues": [],
            "seenBy": [],
            "userReportCount": 0,
        }
    )
    return payload


def event(org: SentryOrganisation, item: Issue, entry: Event, full: bool = False) -> Json:
    owner = org.project(item.project_id)
    tags = [
        {"key": "environment", "value": entry.environment},
        {"key": "level", "value": item.level},
    ]
    if entry.release:
        tags.append({"key": "release", "value": entry.release})
    if entry.user:
        tags.append({"key": "user", "value": f"id:{entry.user}"})
    payload: Json = {
        "id": entry.id,
        "event.type": "error",
        "groupID": item.id,
        "eventID": entry.event_id,
        "projectID": owner.id,
        "message": item.title,
        "title": item.title,
        "location": item.culprit.split(" in ", 1)[0],
        "culprit": item.culprit,
        "user": {
            "id": entry.user,
            "email": None,
            "username": None,
            "ip_address": None,
            "name": None,
            "data": {},
        }
        if entry.user
        else None,
        "tags": tags,
        "platform": owner.platform or "other",
        "dateCreated": iso(entry.date_created),
        "crashFile": None,
        "metadata": _metadata(item),
    }
    if full:
        payload["entries"] = []
        payload["contexts"] = {}
        payload["release"] = {"version": entry.release} if entry.release else None
    return payload


def synthesised_events(item: Issue) -> list[Event]:
    """The events of an issue kept as hourly counts: spread over each hour, stable ids, and the
    issue's users seen first."""
    events: list[Event] = []
    position = 0
    for hour, count in item.hourly:
        for index in range(count):
            when = datetime.fromtimestamp(hour + index * SECONDS_PER_HOUR // count, UTC)
            when = max(when, item.first_seen) if position == 0 else when
            event_id = hashlib.md5(f"{item.id}:{position}".encode(), usedforsecurity=False)
            user = f"user-{item.id}-{position}" if position < item.user_count else None
            events.append(
                Event(
                    id=event_id.hexdigest(),
                    event_id=event_id.hexdigest(),
                    date_created=when,
                    environment=item.environment,
                    release=item.first_release,
                    user=user,
                )
            )
            position += 1
    return events


def stats_v2(start: datetime, end: datetime, intervals: list[datetime], groups: list[Json]) -> Json:
    return {
        "start": iso_seconds(start),
        "end": iso_seconds(end),
        "intervals": [iso_seconds(moment) for moment in intervals],
        "groups": groups,
    }


def iso_seconds(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stable_id(text: str) -> str:
    digest = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    return str(int(digest[:8], 16) % 1_000_000)
