"""A generated Sentry organisation: plain data, shaped after what Sentry stores.

The fake Sentry (`veelocity.fakes.sentry`) serves it through Sentry's REST API;
`veelocity.demo.sentry.generate_sentry` builds one on its own from a seed. Ids are Sentry-style
numeric strings, stable for a given seed. Timestamps are aware UTC datetimes; lists are kept in
creation order.

Events are heavy, and most issues never need them one by one: every issue keeps its events
counted per hour (`Issue.hourly`), and only the issues whose first day matters (the ones that
cross the incident thresholds, regressions) also keep each `Event`. The fake answers the events
of the others from their hourly counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

#: Issue levels, most severe last, as Sentry names them
LEVELS = ("debug", "info", "warning", "error", "fatal")
#: Issue statuses and the substatuses Sentry pairs with them
STATUSES = ("unresolved", "resolved", "ignored")
SUBSTATUSES = {
    "unresolved": ("new", "ongoing", "escalating", "regressed"),
    "resolved": (None,),
    "ignored": ("archived_until_escalating", "archived_until_condition_met", "archived_forever"),
}

SECONDS_PER_HOUR = 3600


@dataclass(slots=True)
class Project:
    id: str
    slug: str
    name: str
    platform: str | None
    date_created: datetime
    #: the environments events were seen in, as Sentry lists them on the project
    environments: list[str] = field(default_factory=list)
    team_slug: str = "engineering"


@dataclass(slots=True)
class Deploy:
    id: str
    environment: str
    date_started: datetime | None
    date_finished: datetime
    name: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Release:
    #: the full version: a commit SHA or `package@version`
    version: str
    short_version: str
    date_created: datetime
    date_released: datetime | None
    #: ids of the projects the release belongs to
    projects: list[str] = field(default_factory=list)
    #: commit SHAs, newest first as Sentry lists them
    commits: list[str] = field(default_factory=list)
    last_commit: str | None = None
    deploys: list[Deploy] = field(default_factory=list)
    ref: str | None = None
    #: Sentry's release id (an integer)
    id: int = 0


@dataclass(slots=True)
class Assignee:
    """`assignedTo`: a user or a team."""

    type: str  # "user" or "team"
    id: str
    name: str
    email: str | None = None


@dataclass(slots=True)
class Event:
    id: str
    event_id: str  # Sentry's 32-hex event id (also its `id` in the events list)
    date_created: datetime
    environment: str
    release: str | None
    #: the user the SDK reported (id, as Sentry's `user.id`), if any
    user: str | None = None


@dataclass(slots=True)
class Issue:
    """A Sentry issue (a "group" in Sentry's own code)."""

    id: str
    short_id: str  # "BACKEND-1A"
    title: str
    culprit: str
    level: str  # one of LEVELS
    status: str  # one of STATUSES
    substatus: str | None
    #: e.g. {"inRelease": "1.2.0"}, {"inCommit": {...}}, {"inNextRelease": True}, {} if none
    status_details: dict[str, object]
    first_seen: datetime
    last_seen: datetime
    count: int  # events over the issue's life (Sentry serves it as a string)
    user_count: int
    project_id: str
    environment: str  # the environment its events come from
    first_release: str | None = None
    last_release: str | None = None
    #: tag key -> top value, as shown on the issue (environment, release, level, custom tags)
    tags: dict[str, str] = field(default_factory=dict)
    assigned_to: Assignee | None = None
    type: str = "error"
    #: when it was resolved (None while unresolved or ignored)
    resolved_at: datetime | None = None
    #: events per hour: (hour start in epoch seconds, events), in time order; sums to `count`
    hourly: list[tuple[int, int]] = field(default_factory=list)
    #: every event, for the issues whose events matter one by one; otherwise empty
    events: list[Event] = field(default_factory=list)


@dataclass(slots=True)
class SentryOrganisation:
    id: str
    slug: str
    name: str
    now: datetime
    projects: list[Project] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: accepted error events per project id and UTC day (what stats_v2 sums)
    stats: dict[str, dict[date, int]] = field(default_factory=dict)

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)

    def release(self, version: str) -> Release:
        for release in self.releases:
            if release.version == version:
                return release
        raise KeyError(version)

    def recount_stats(self) -> None:
        """Rebuild `stats` from the issues' hourly counts (after a test edits issues)."""
        stats: dict[str, dict[date, int]] = {project.id: {} for project in self.projects}
        for issue in self.issues:
            days = stats.setdefault(issue.project_id, {})
            for hour, events in issue.hourly:
                day = utc_day(hour)
                days[day] = days.get(day, 0) + events
        self.stats = stats


def utc_day(epoch_seconds: int) -> date:
    """The UTC day of a moment given in epoch seconds."""
    return date.fromordinal(719163 + epoch_seconds // 86400)  # 719163 = date(1970, 1, 1)
