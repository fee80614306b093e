"""The demo organisation's Sentry: errors that follow its deployments.

`DemoSentry(org)` keeps a Sentry organisation in step with a generated demo organisation
(`veelocity.demo.generate`): one project per service repository (slug = repository name, so
Veelocity maps it by name), a release per commit deployed (named by the commit SHA in half the
projects, `project@1.N.0` in the others, each listing its commit), a deploy per successful
GitHub deployment and environment. Errors follow:

- after some successful production deployments, an issue breaks out within two hours and
  crosses the incident thresholds in its first 24 hours (over 100 events, or 12+ users);
  the next production deployment resolves it in its release, and a share of them regress
  after a later deployment;
- a steady background of small issues in every project, few events and users each, and a
  few noisy warnings with many events: none of them crosses the thresholds.

`catch_up()` lets the Sentry side reach the demo organisation's clock, so the demo's live
deployments keep bringing releases, deploys and errors. Events appear only once their time has
come, so an issue's `lastSeen` moves as it would on Sentry. The same seed and clock give the
same organisation.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from veelocity.demo.model import DemoOrganisation, Deployment, Repository
from veelocity.demo.sentry_model import (
    SECONDS_PER_HOUR,
    Deploy,
    Event,
    Issue,
    Project,
    Release,
    SentryOrganisation,
)

#: the share of successful production deployments an incident follows
INCIDENT_SHARE = 0.08
#: the share of those incidents that come back after they were resolved
REGRESSION_SHARE = 0.3
#: background issues a project gets on a day, at most
BACKGROUND_PER_DAY = 5
#: the share of background issues that are noisy warnings (many events, wrong level)
NOISY_WARNING_SHARE = 0.05

_PLATFORMS = {"Python": "python", "TypeScript": "javascript-react", "Go": "go", "Java": "java"}
_ERRORS = (
    ("TypeError", "Cannot read properties of undefined (reading '{}')"),
    ("KeyError", "'{}'"),
    ("ValueError", "invalid literal for int() with base 10: '{}'"),
    ("OperationalError", "could not connect to server: {}"),
    ("TimeoutError", "request to {} timed out"),
    ("IntegrityError", 'duplicate key value violates unique constraint "{}"'),
)
_WORDS = ("user", "order", "invoice", "session", "cart", "profile", "token", "webhook")
_BACKGROUND_LEVELS = ("error",) * 6 + ("warning",) * 2 + ("info", "debug")


@dataclass(order=True)
class _Planned:
    when: datetime
    sequence: int
    apply: Callable[[], None] = field(compare=False)


@dataclass
class _Incident:
    issue: Issue
    regresses: bool
    users: list[str]
    quiet_from: datetime
    regressed: bool = False


class DemoSentry:
    """The Sentry organisation of a demo organisation, kept in step by `catch_up()`."""

    def __init__(self, org: DemoOrganisation, *, seed: int = 42) -> None:
        self.demo = org
        self.seed = seed
        self.org = SentryOrganisation(
            id=str(1_000 + seed % 9_000), slug=org.login, name=org.name, now=org.created_at
        )
        self._repository_of_project: dict[str, Repository] = {}
        self._project_of_repository: dict[str, Project] = {}
        for index, repository in enumerate(r for r in org.repositories if r.kind == "service"):
            project = Project(
                id=str(4_500_000 + index * 17),
                slug=repository.name,
                name=repository.name.replace("-", " ").title(),
                platform=_PLATFORMS.get(repository.language, "python"),
                date_created=repository.created_at,
                environments=["production", "staging"],
            )
            self.org.projects.append(project)
            self.org.stats[project.id] = {}
            self._repository_of_project[project.id] = repository
            self._project_of_repository[repository.name] = project
        self._by_version: dict[str, Release] = {}
        self._release_of_commit: dict[tuple[str, str], Release] = {}
        #: per (project, environment): the release deployed there last
        self._running: dict[tuple[str, str], Release] = {}
        self._handled_deployments: set[int] = set()
        self._open_incidents: dict[str, list[_Incident]] = {}
        self._planned: list[_Planned] = []
        self._sequence = 0
        self._issue_count = 0
        self._short_ids: dict[str, int] = {}
        # The background starts with the first deployment: the history the demo generated.
        first = min(
            (d.created_at for r in self._repository_of_project.values() for d in r.deployments),
            default=org.now,
        )
        self._background_from = _day_start(first)
        self.catch_up()

    # --- time -----------------------------------------------------------------------------
    def catch_up(self) -> bool:
        """Let the Sentry side reach the demo's clock: new deployments become deploys and
        plan their errors, and every event whose time has come happens. True when anything
        changed (the caller tells the fake Sentry its answers are stale)."""
        now = self.demo.now
        changed = False
        self._plan_background(now)
        for finished, deployment, repository in self._new_deployments(now):
            self._plan(finished, partial(self._deployed, repository, deployment, finished))
        while self._planned and self._planned[0].when <= now:
            heapq.heappop(self._planned).apply()
            changed = True
        if now > self.org.now:
            self.org.now = now
            changed = True
        return changed

    def _plan(self, when: datetime, apply: Callable[[], None]) -> None:
        self._sequence += 1
        heapq.heappush(self._planned, _Planned(when, self._sequence, apply))

    def _new_deployments(self, now: datetime) -> list[tuple[datetime, Deployment, Repository]]:
        found = []
        for repository in self.demo.repositories:
            if repository.name not in self._project_of_repository:
                continue
            for deployment in repository.deployments:
                if deployment.id in self._handled_deployments or not deployment.statuses:
                    continue
                final = deployment.statuses[-1]
                if final.state not in ("success", "failure") or final.created_at > now:
                    continue
                self._handled_deployments.add(deployment.id)
                if final.state == "success":
                    found.append((final.created_at, deployment, repository))
        found.sort(key=lambda item: (item[0], item[1].id))
        return found

    # --- releases and deploys ---------------------------------------------------------------
    def _deployed(self, repository: Repository, deployment: Deployment, finished: datetime) -> None:
        project = self._project_of_repository[repository.name]
        release = self._release(project, deployment)
        release.deploys.append(
            Deploy(
                id=str(deployment.id),
                environment=deployment.environment,
                date_started=deployment.created_at,
                date_finished=finished,
                name=f"{release.short_version} to {deployment.environment}",
                url=None,
            )
        )
        self._running[(project.id, deployment.environment)] = release
        if deployment.environment != "production":
            return
        if release.date_released is None:
            release.date_released = finished
        self._resolve_quiet_incidents(project, release, finished)
        rng = random.Random(f"{self.seed}:sentry-deploy:{deployment.id}")  # noqa: S311  # demo data
        if rng.random() < INCIDENT_SHARE:
            self._plan_incident(project, finished, rng)

    def _release(self, project: Project, deployment: Deployment) -> Release:
        key = (project.id, deployment.sha)
        known = self._release_of_commit.get(key)
        if known is not None:
            return known
        count = sum(1 for r in self.org.releases if project.id in r.projects) + 1
        by_sha = int(project.id) % 2 == 0
        short = deployment.sha[:12] if by_sha else f"1.{count}.0"
        release = Release(
            id=300_000 + len(self.org.releases),
            version=deployment.sha if by_sha else f"{project.slug}@{short}",
            short_version=short,
            date_created=deployment.created_at - timedelta(minutes=2),
            date_released=None,
            projects=[project.id],
            commits=[deployment.sha],
            last_commit=deployment.sha,
            ref=deployment.ref,
        )
        self.org.releases.append(release)
        self._release_of_commit[key] = release
        self._by_version[release.version] = release
        return release

    # --- incidents ------------------------------------------------------------------------
    def _plan_incident(self, project: Project, deployed: datetime, rng: random.Random) -> None:
        first = deployed + timedelta(seconds=rng.randint(300, 7_200))
        kind, message = rng.choice(_ERRORS)
        word = rng.choice(_WORDS)
        issue = self._new_issue(project, first, f"{kind}: {message.format(word)}", word)
        issue.level = "fatal" if rng.random() < 0.2 else "error"
        issue.tags = {"handled": "no"}
        # Half cross the events threshold, half the users threshold with fewer events.
        if rng.random() < 0.5:
            users = [f"user-{rng.getrandbits(32):08x}" for _ in range(rng.randint(2, 9))]
            count = rng.randint(110, 180)
        else:
            users = [f"user-{rng.getrandbits(32):08x}" for _ in range(rng.randint(12, 40))]
            count = rng.randint(50, 90)
        incident = _Incident(issue, rng.random() < REGRESSION_SHARE, users, first)
        self._plan(first, partial(self._open, issue))
        self._plan_burst(incident, first, count, rng)
        self._open_incidents.setdefault(project.id, []).append(incident)

    def _plan_burst(
        self, incident: _Incident, start: datetime, count: int, rng: random.Random
    ) -> None:
        """COUNT events from START, most in the first hours and a tail over the day."""
        offsets = sorted(int(min(86_000, rng.expovariate(1 / 7_200))) for _ in range(count))
        offsets[0] = 0
        for position, offset in enumerate(offsets):
            users = incident.users
            user = users[position] if position < len(users) else rng.choice(users)
            when = start + timedelta(seconds=offset)
            self._plan(when, partial(self._event, incident.issue, when, user))
        incident.quiet_from = start + timedelta(seconds=offsets[-1] + 1)

    def _resolve_quiet_incidents(self, project: Project, release: Release, when: datetime) -> None:
        """A production deploy after an incident has gone quiet resolves it in its release;
        one meant to regress comes back after the deployment that follows."""
        for incident in list(self._open_incidents.get(project.id, [])):
            issue = incident.issue
            if incident.quiet_from > when or issue.count == 0:
                continue
            if issue.status == "resolved":
                if incident.regresses and not incident.regressed:
                    incident.regressed = True
                    rng = random.Random(f"{self.seed}:sentry-regression:{issue.id}")  # noqa: S311
                    start = when + timedelta(seconds=rng.randint(600, 5_400))
                    self._plan(start, partial(_regress, issue))
                    self._plan_burst(incident, start, rng.randint(110, 160), rng)
                    continue
                self._open_incidents[project.id].remove(incident)
                continue
            issue.status, issue.substatus = "resolved", None
            issue.status_details = {"inRelease": release.version}
            issue.resolved_at = when
            if not incident.regresses or incident.regressed:
                self._open_incidents[project.id].remove(incident)

    # --- the background -------------------------------------------------------------------
    def _plan_background(self, now: datetime) -> None:
        """Each day's small issues, planned once the day has begun."""
        while self._background_from <= now:
            day = self._background_from
            for project in self.org.projects:
                rng = random.Random(f"{self.seed}:sentry-background:{project.id}:{day.date()}")  # noqa: S311
                for _ in range(rng.randint(1, BACKGROUND_PER_DAY)):
                    self._plan_small_issue(
                        project, day + timedelta(seconds=rng.randint(0, 86_399)), rng
                    )
            self._background_from = day + timedelta(days=1)

    def _plan_small_issue(self, project: Project, first: datetime, rng: random.Random) -> None:
        kind, message = rng.choice(_ERRORS)
        word = rng.choice(_WORDS)
        issue = self._new_issue(project, first, f"{kind}: {message.format(word)}", word)
        issue.environment = "production" if rng.random() < 0.8 else "staging"
        if rng.random() < NOISY_WARNING_SHARE:
            # Loud but harmless: a warning logged on every request for a while.
            issue.level = "warning"
            bursts = [(first, rng.randint(120, 300), rng.randint(1, 3))]
        else:
            issue.level = rng.choice(_BACKGROUND_LEVELS)
            hours = sorted({0, *(rng.randint(1, 72) for _ in range(rng.randint(0, 3)))})
            bursts = [
                (
                    first + timedelta(hours=hour, seconds=rng.randint(0, 3_000) if hour else 0),
                    rng.randint(1, 6),
                    rng.randint(0, 1),
                )
                for hour in hours
            ]
        self._plan(first, partial(self._open, issue))
        for when, events, users in bursts:
            self._plan(when, partial(self._count, issue, when, events, users))

    # --- what happens at an event's time ----------------------------------------------------
    def _new_issue(self, project: Project, first: datetime, title: str, word: str) -> Issue:
        self._issue_count += 1
        number = self._short_ids[project.id] = self._short_ids.get(project.id, 0) + 1
        return Issue(
            id=str(6_000_000_000 + self._issue_count * 3),
            short_id=f"{project.slug.upper()}-{_base36(number)}",
            title=title,
            culprit=f"app.{word}s.views in handle_{word}",
            level="error",
            status="unresolved",
            substatus="new",
            status_details={},
            first_seen=first,
            last_seen=first,
            count=0,
            user_count=0,
            project_id=project.id,
            environment="production",
        )

    def _open(self, issue: Issue) -> None:
        running = self._running.get((issue.project_id, issue.environment))
        issue.first_release = running.version if running else None
        issue.last_release = issue.first_release
        # The tags Sentry shows on an issue: its environment and level, and its own.
        issue.tags = {"environment": issue.environment, "level": issue.level, **issue.tags}
        self.org.issues.append(issue)

    def _event(self, issue: Issue, when: datetime, user: str) -> None:
        running = self._running.get((issue.project_id, issue.environment))
        event_id = f"{int(issue.id):016x}{len(issue.events):016x}"
        issue.events.append(
            Event(
                id=event_id,
                event_id=event_id,
                date_created=when,
                environment=issue.environment,
                release=running.version if running else None,
                user=user,
            )
        )
        issue.user_count = len({e.user for e in issue.events if e.user})
        self._count(issue, when, 1, 0)

    def _count(self, issue: Issue, when: datetime, events: int, users: int) -> None:
        seconds = int(when.timestamp())
        hour = seconds - seconds % SECONDS_PER_HOUR
        if issue.hourly and issue.hourly[-1][0] == hour:
            issue.hourly[-1] = (hour, issue.hourly[-1][1] + events)
        else:
            issue.hourly.append((hour, events))
        issue.count += events
        if not issue.events:
            issue.user_count += users
        issue.last_seen = max(issue.last_seen, when)
        running = self._running.get((issue.project_id, issue.environment))
        if running is not None:
            issue.last_release = running.version
        if issue.substatus == "new" and when - issue.first_seen > timedelta(days=3):
            issue.substatus = "ongoing"
        days = self.org.stats.setdefault(issue.project_id, {})
        day = when.astimezone(UTC).date()
        days[day] = days.get(day, 0) + events


def _regress(issue: Issue) -> None:
    issue.status, issue.substatus = "unresolved", "regressed"
    issue.status_details = {}
    issue.resolved_at = None


def _day_start(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text
