"""A generated Sentry organisation on its own: `generate_sentry(SentryConfig(...))`.

The same configuration always gives the same organisation, so tests and benchmarks do not
depend on the demo. Releases arrive over `months` before `now`, each in one project, named by
commit SHA or `project@version`, deployed to staging and then (mostly) production. Issues carry
the release last deployed to their environment; a small share are incidents — production,
`error` or `fatal`, breaking out within two hours of a production deploy, with more than 100
events or 10 users in their first 24 hours, some of them regressions — and keep each event;
the rest are a steady background of small issues kept as hourly counts only. The benchmark's
size (50 projects, 100,000 issues, 5,000 releases) takes a few seconds of CPU
(`benchmarks/fake_sentry.py` prints it).
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from veelocity.demo.config import DEFAULT_NOW
from veelocity.demo.sentry_model import (
    SECONDS_PER_HOUR,
    Assignee,
    Deploy,
    Event,
    Issue,
    Project,
    Release,
    SentryOrganisation,
    utc_day,
)

DAYS_PER_MONTH = 30.4
_PROJECT_NAMES = (
    "backend",
    "web",
    "payments-api",
    "mobile-app",
    "search",
    "notifications",
    "billing-worker",
    "auth-service",
)
_PLATFORMS = ("python", "javascript-react", "go", "node", "java", "python-django")
_ERRORS = (
    ("TypeError", "Cannot read properties of undefined (reading '{}')"),
    ("KeyError", "'{}'"),
    ("ValueError", "invalid literal for int() with base 10: '{}'"),
    ("OperationalError", "could not connect to server: {}"),
    ("TimeoutError", "request to {} timed out"),
    ("IntegrityError", 'duplicate key value violates unique constraint "{}"'),
)
_WORDS = ("user", "order", "invoice", "session", "cart", "profile", "token", "webhook")
#: the background's levels, each as often as its share in a hundred issues
_LEVELS_BY_SHARE = (
    ("error",) * 60 + ("warning",) * 20 + ("info",) * 10 + ("debug",) * 7 + ("fatal",) * 3
)


@dataclass(frozen=True, slots=True)
class SentryConfig:
    seed: int = 42
    projects: int = 4
    issues: int = 2_000
    releases: int = 200
    months: int = 3
    now: datetime = DEFAULT_NOW
    slug: str = "acme"
    name: str = "Acme"
    #: the share of issues that cross the incident thresholds (and keep every event)
    incident_share: float = 0.01
    #: the share of those incidents that are regressions (resolved, then seen again)
    regression_share: float = 0.25

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("SentryConfig.now must be timezone-aware")
        if self.projects < 1 or self.months < 1 or self.issues < 0 or self.releases < 0:
            raise ValueError("SentryConfig needs at least 1 project, 1 month and no negative count")


def generate_sentry(config: SentryConfig | None = None) -> SentryOrganisation:
    """The organisation as it stands at `config.now`."""
    config = config or SentryConfig()
    return _Generator(config).run()


class _Generator:
    def __init__(self, config: SentryConfig) -> None:
        self.config = config
        self.rng = random.Random(f"{config.seed}:sentry")  # noqa: S311  # demo data, not secrets
        self.now = config.now.astimezone(UTC)
        self.start = self.now - timedelta(days=config.months * DAYS_PER_MONTH)
        self.org = SentryOrganisation(
            id=str(1_000 + config.seed % 9_000), slug=config.slug, name=config.name, now=self.now
        )
        #: per project: its releases and their creation times, in time order
        self.project_releases: dict[str, list[Release]] = {}
        self.project_release_times: dict[str, list[datetime]] = {}
        #: per (project, environment): deploy finishes in time order, and the releases deployed
        self.deploy_times: dict[tuple[str, str], list[datetime]] = {}
        self.deployed: dict[tuple[str, str], list[Release]] = {}

    def run(self) -> SentryOrganisation:
        self._projects()
        self._releases()
        self._issues()
        return self.org

    def _hex(self, bits: int) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def _projects(self) -> None:
        for index in range(self.config.projects):
            base = _PROJECT_NAMES[index % len(_PROJECT_NAMES)]
            slug = base if index < len(_PROJECT_NAMES) else f"{base}-{index // len(_PROJECT_NAMES)}"
            created = self.start - timedelta(days=30 + self.rng.randint(0, 300))
            project = Project(
                id=str(4_500_000 + index * 17),
                slug=slug,
                name=slug.replace("-", " ").title(),
                platform=self.rng.choice(_PLATFORMS),
                date_created=created,
                environments=["production", "staging"],
            )
            self.org.projects.append(project)
            self.org.stats[project.id] = {}
            self.project_releases[project.id] = []
            self.project_release_times[project.id] = []

    def _releases(self) -> None:
        rng = self.rng
        span = (self.now - self.start).total_seconds()
        created = sorted(
            self.start + timedelta(seconds=int(rng.random() * span))
            for _ in range(self.config.releases)
        )
        minor: dict[str, int] = {}
        deploy_id = 10_000
        for index, when in enumerate(created):
            project = self.org.projects[rng.randrange(len(self.org.projects))]
            # Every twentieth release carries no commits (no repository integration).
            commits = [] if index % 20 == 19 else [self._hex(160) for _ in range(rng.randint(1, 5))]
            if index % 2 == 0 and commits:
                version = commits[0]
                short_version = version[:12]
            else:
                minor[project.id] = minor.get(project.id, 0) + 1
                short_version = f"1.{minor[project.id]}.0"
                version = f"{project.slug}@{short_version}"
            release = Release(
                id=200_000 + index,
                version=version,
                short_version=short_version,
                date_created=when,
                date_released=None,
                projects=[project.id],
                commits=commits,
                last_commit=commits[0] if commits else None,
                ref=None,
            )
            staging_start = when + timedelta(minutes=rng.randint(2, 20))
            staging_end = staging_start + timedelta(minutes=rng.randint(2, 10))
            environments = [("staging", staging_start, staging_end)]
            # Most releases reach production an hour or so after staging.
            if rng.random() < 0.85:
                production_start = staging_end + timedelta(minutes=rng.randint(20, 180))
                production_end = production_start + timedelta(minutes=rng.randint(3, 15))
                environments.append(("production", production_start, production_end))
            for environment, started, finished in environments:
                if finished > self.now:
                    continue
                deploy_id += 1
                release.deploys.append(
                    Deploy(
                        id=str(deploy_id),
                        environment=environment,
                        date_started=started,
                        date_finished=finished,
                        name=f"{short_version} to {environment}",
                        url=None,
                    )
                )
                if environment == "production":
                    release.date_released = finished
            self.org.releases.append(release)
            self.project_releases[project.id].append(release)
            self.project_release_times[project.id].append(when)
            for deploy in release.deploys:
                key = (project.id, deploy.environment)
                times = self.deploy_times.setdefault(key, [])
                position = bisect.bisect_right(times, deploy.date_finished)
                times.insert(position, deploy.date_finished)
                self.deployed.setdefault(key, []).insert(position, release)

    def _running(self, project_id: str, environment: str, when: datetime) -> Release | None:
        """The release last deployed to `environment` by `when`: what its events carry."""
        times = self.deploy_times.get((project_id, environment), [])
        position = bisect.bisect_right(times, when)
        return self.deployed[(project_id, environment)][position - 1] if position else None

    def _last_deploy_finish(self, project_id: str, environment: str, when: datetime) -> datetime:
        times = self.deploy_times.get((project_id, environment), [])
        position = bisect.bisect_right(times, when)
        return times[position - 1] if position else when

    def _release_after(self, project_id: str, when: datetime) -> Release | None:
        times = self.project_release_times[project_id]
        position = bisect.bisect_right(times, when)
        releases = self.project_releases[project_id]
        return releases[position] if position < len(releases) else None

    def _issues(self) -> None:
        rng = self.rng
        config = self.config
        span = (self.now - self.start).total_seconds() - 2 * 86_400
        first_seen = sorted(
            self.start + timedelta(seconds=int(rng.random() * span)) for _ in range(config.issues)
        )
        counters: dict[str, int] = {}
        projects = self.org.projects
        # Plain `random()` arithmetic rather than randint/choices: 100,000 issues stay fast.
        random_ = rng.random
        for index, when in enumerate(first_seen):
            project = projects[int(random_() * len(projects))]
            counters[project.id] = counters.get(project.id, 0) + 1
            kind, message = _ERRORS[int(random_() * len(_ERRORS))]
            word = _WORDS[int(random_() * len(_WORDS))]
            issue = Issue(
                id=str(5_000_000_000 + index * 3),
                short_id=f"{project.slug.upper()}-{_base36(counters[project.id])}",
                title=f"{kind}: {message.format(word)}",
                culprit=f"app.{word}s.views in handle_{word}",
                level="error",
                status="unresolved",
                substatus="new",
                status_details={},
                first_seen=when,
                last_seen=when,
                count=0,
                user_count=0,
                project_id=project.id,
                environment="production",
            )
            if random_() < config.incident_share:
                self._incident(issue, regression=random_() < config.regression_share)
            else:
                issue.level = _LEVELS_BY_SHARE[int(random_() * len(_LEVELS_BY_SHARE))]
                issue.environment = "production" if random_() < 0.8 else "staging"
                self._first_release(issue)
                self._background(issue)
            last = self._running(project.id, issue.environment, issue.last_seen)
            issue.last_release = last.version if last else issue.first_release
            # Sentry moves an issue from "new" to "ongoing" after three days.
            if issue.substatus == "new" and self.now - issue.first_seen > timedelta(days=3):
                issue.substatus = "ongoing"
            self._count(issue)
            self.org.issues.append(issue)

    def _background(self, issue: Issue) -> None:
        """A few events over a few hours or days, a handful of users: never an incident."""
        random_ = self.rng.random
        start_hour = _hour(issue.first_seen)
        limit_hour = _hour(self.now)
        # Up to four active hours over its first week.
        offsets = sorted({0, *(1 + int(random_() * 168) for _ in range(int(random_() * 4)))})
        hourly = []
        for offset in offsets:
            hour = start_hour + offset * SECONDS_PER_HOUR
            if hour > limit_hour:
                break
            hourly.append((hour, 1 + int(random_() * 6)))
        issue.hourly = hourly
        issue.count = sum(events for _, events in hourly)
        issue.user_count = min(issue.count, int(random_() * 5))
        if len(hourly) > 1:
            last_seen = _at(hourly[-1][0] + int(random_() * SECONDS_PER_HOUR))
            issue.last_seen = min(self.now, last_seen)
        else:
            issue.last_seen = min(
                self.now, issue.first_seen + timedelta(seconds=int(random_() * 1_800))
            )
        self._settle(issue)

    def _incident(self, issue: Issue, *, regression: bool) -> None:
        """Over 100 events or 10 users in the first 24 hours, every event kept."""
        rng = self.rng
        issue.level = "fatal" if rng.random() < 0.2 else "error"
        issue.environment = "production"
        # It breaks out within two hours of the production deploy before it.
        deployed = self._last_deploy_finish(issue.project_id, "production", issue.first_seen)
        if deployed < issue.first_seen:
            issue.first_seen = deployed + timedelta(seconds=rng.randint(300, 7_200))
            issue.last_seen = issue.first_seen
        self._first_release(issue)
        issue.tags = {"handled": "no"}
        # Half cross the events threshold, half the users threshold with fewer events.
        if rng.random() < 0.5:
            users = [f"user-{self._hex(32)}" for _ in range(rng.randint(2, 9))]
            burst = rng.randint(101, 180)
        else:
            users = [f"user-{self._hex(32)}" for _ in range(rng.randint(12, 40))]
            burst = rng.randint(50, 90)
        events = self._burst(issue, issue.first_seen, burst, users)
        if regression:
            # Resolved in a later release, then seen again a few days on.
            resolved_at = events[-1].date_created + timedelta(hours=rng.randint(2, 48))
            again = resolved_at + timedelta(days=rng.randint(2, 10))
            if again < self.now - timedelta(days=1):
                events += self._burst(issue, again, rng.randint(30, 150), users)
                issue.substatus = "regressed"
        issue.events = events
        hourly: dict[int, int] = {}
        for event in events:
            hour = _hour(event.date_created)
            hourly[hour] = hourly.get(hour, 0) + 1
        issue.hourly = sorted(hourly.items())
        issue.count = len(events)
        issue.user_count = len({event.user for event in events if event.user})
        issue.last_seen = events[-1].date_created
        if issue.substatus == "regressed":
            return
        self._settle(issue)

    def _burst(self, issue: Issue, start: datetime, count: int, users: list[str]) -> list[Event]:
        rng = self.rng
        release = self._running(issue.project_id, issue.environment, start)
        # Most events land in the first hours, a tail over the day.
        seconds = sorted(int(min(86_000, rng.expovariate(1 / 7_200))) for _ in range(count))
        events = []
        for position, offset in enumerate(seconds):
            when = start + timedelta(seconds=offset)
            if when > self.now:
                break
            event_id = self._hex(128)
            events.append(
                Event(
                    id=event_id,
                    event_id=event_id,
                    date_created=when,
                    environment=issue.environment,
                    release=release.version if release else None,
                    # Every user is seen early on; later events repeat them or have none.
                    user=users[position]
                    if position < len(users)
                    else (rng.choice(users) if rng.random() < 0.9 else None),
                )
            )
        if not events or events[0].date_created != start:
            event_id = self._hex(128)
            events.insert(
                0,
                Event(
                    id=event_id,
                    event_id=event_id,
                    date_created=start,
                    environment=issue.environment,
                    release=release.version if release else None,
                    user=users[0],
                ),
            )
        return events

    def _first_release(self, issue: Issue) -> None:
        running = self._running(issue.project_id, issue.environment, issue.first_seen)
        issue.first_release = running.version if running else None

    def _settle(self, issue: Issue) -> None:
        """Resolve or ignore an issue that has gone quiet, as a team would."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.5 and self.now - issue.last_seen > timedelta(days=1):
            resolved_at = min(self.now, issue.last_seen + timedelta(hours=rng.randint(1, 72)))
            issue.status = "resolved"
            issue.substatus = None
            issue.resolved_at = resolved_at
            shipped = self._release_after(issue.project_id, issue.last_seen)
            form = rng.random()
            if shipped is not None and form < 0.5:
                issue.status_details = {"inRelease": shipped.version}
            elif shipped is not None and shipped.commits and form < 0.7:
                issue.status_details = {
                    "inCommit": {
                        "id": shipped.commits[-1],
                        "repository": {"name": f"{self.org.slug}/{issue.project_id}"},
                        "dateCreated": _iso(resolved_at),
                    }
                }
            elif form < 0.8:
                issue.status_details = {"inNextRelease": True}
        elif roll < 0.55:
            issue.status = "ignored"
            issue.substatus = "archived_until_escalating"
            issue.status_details = {"ignoreUntilEscalating": True}
        if rng.random() < 0.1:
            issue.assigned_to = Assignee(
                type="team", id=str(9_000 + rng.randint(0, 5)), name="engineering"
            )

    def _count(self, issue: Issue) -> None:
        days = self.org.stats[issue.project_id]
        for hour, events in issue.hourly:
            day = utc_day(hour)
            days[day] = days.get(day, 0) + events


def _hour(when: datetime) -> int:
    seconds = int(when.timestamp())
    return seconds - seconds % SECONDS_PER_HOUR


def _at(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text
