"""Issues of the generated organisation: ordinary ones, and incidents that follow deployments.

Ordinary issues (bugs, enhancements, questions) arrive at a steady rate per repository and
are planned when opened: closed as completed, as not planned, as a duplicate, or left open.
Incident issues (labelled `incident`) are opened minutes to hours after a production
deployment failed or shipped a change that is reverted later, and are closed shortly after
the next successful production deployment that can carry the fix.

The tracker draws from its own random source and numbers its own ids, so adding issues
leaves every pull request, commit and deployment of a seed exactly as it was.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from veelocity.demo import names
from veelocity.demo.model import Deployment, Issue, Member, PullRequest, Repository

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
#: GitHub numbers issues and pull requests in one sequence; here pull requests are numbered
#: by their position, so issues take numbers above any pull request's.
FIRST_ISSUE_NUMBER = 100_001
FIRST_ISSUE_ID = 1_700_000_000
INCIDENT_LABEL = "incident"
SEVERE_LABEL = "severity:high"
ISSUES_PER_REPOSITORY_WEEK = 2.0
#: share of failed production deployments and of later-reverted changes that get an issue
INCIDENT_AFTER_FAILURE = 0.7
INCIDENT_BEFORE_REVERT = 0.8

Schedule = Callable[[datetime, Callable[[datetime], object]], None]

# What becomes of an ordinary issue: (label, weight, outcomes as (state_reason, share, median
# days open)); the shares left over stay open.
KINDS: tuple[tuple[str, float, tuple[tuple[str, float, float], ...]], ...] = (
    ("bug", 0.45, (("completed", 0.6, 3.0), ("not_planned", 0.12, 6.0), ("duplicate", 0.08, 1.0))),
    ("enhancement", 0.35, (("completed", 0.4, 12.0), ("not_planned", 0.25, 9.0))),
    ("question", 0.2, (("completed", 0.8, 1.0), ("not_planned", 0.1, 4.0))),
)
SYMPTOMS = (
    "Elevated 5xx rate on",
    "Timeouts in",
    "Errors from",
    "Degraded latency of",
    "Outage of",
)


@dataclass
class _Incident:
    issue: Issue
    #: only a deployment created at or after this moment can carry the fix
    fixable_from: datetime


class IssueTracker:
    def __init__(self, seed: int, humans: list[Member], schedule: Schedule) -> None:
        self.rng = random.Random(f"{seed}:issues")  # noqa: S311  # demo data, not secrets
        self.humans = humans
        self.schedule = schedule
        self.next_id = FIRST_ISSUE_ID
        self.open_incidents: dict[int, list[_Incident]] = {}

    # --- ordinary issues ----------------------------------------------------------------------
    def start(self, repository: Repository, after: datetime) -> None:
        """Plan the repository's issues from `after` on, one arrival at a time."""
        rate = ISSUES_PER_REPOSITORY_WEEK / (7 * 24)  # per hour
        when = after + timedelta(hours=self.rng.expovariate(rate))

        def arrive(moment: datetime) -> None:
            self.open_ordinary(repository, moment)
            self.start(repository, moment)

        self.schedule(when, arrive)

    def open_ordinary(self, repository: Repository, when: datetime) -> Issue:
        rng = self.rng
        label, outcomes = self._kind()
        thing = rng.choice(names.OBJECTS)
        title = {
            "bug": f"{thing.capitalize()} fails intermittently",
            "enhancement": f"Support more options in {thing}",
            "question": f"How should {thing} be configured?",
        }[label]
        issue = self._open(repository, title, [label], when)
        draw = rng.random()
        for reason, share, median_days in outcomes:
            if draw < share:
                closed = when + median_days * DAY * math.exp(rng.gauss(0.0, 0.8))
                self.schedule(closed, partial(self.close, issue, reason))
                break
            draw -= share
        return issue

    def _kind(self) -> tuple[str, tuple[tuple[str, float, float], ...]]:
        draw = self.rng.random()
        for label, weight, outcomes in KINDS:
            if draw < weight:
                return label, outcomes
            draw -= weight
        return KINDS[-1][0], KINDS[-1][2]

    # --- incidents ----------------------------------------------------------------------------
    def deployment_failed(
        self, repository: Repository, deployment: Deployment, when: datetime
    ) -> bool:
        """A production deployment failed at `when`: often someone opens an incident (True
        when one is on its way)."""
        if self.rng.random() >= INCIDENT_AFTER_FAILURE:
            return False
        opened = when + self._reaction()
        subject = f"deployment of {deployment.sha[:7]}"
        self.schedule(opened, lambda t: self.open_incident(repository, subject, t, t))
        return True

    def revert_planned(
        self, repository: Repository, pr: PullRequest, merged: datetime, revert_at: datetime
    ) -> None:
        """`pr` (merged at `merged`) will be reverted at `revert_at`: the trouble it caused
        is reported in between, and only a deployment after the revert fixes it."""
        if repository.kind != "service" or self.rng.random() >= INCIDENT_BEFORE_REVERT:
            return
        opened = merged + self._reaction() + (revert_at - merged) * self.rng.uniform(0.2, 0.8)
        opened = min(opened, revert_at)
        subject = f"#{pr.number} ({pr.title})"
        self.schedule(opened, lambda t: self.open_incident(repository, subject, t, revert_at))

    def _reaction(self) -> timedelta:
        """How long after the trouble starts an incident is opened: minutes to a few hours."""
        return min(4 * HOUR, 40 * MINUTE * math.exp(self.rng.gauss(0.0, 0.9)))

    def open_incident(
        self, repository: Repository, subject: str, when: datetime, fixable_from: datetime
    ) -> Issue:
        thing = self.rng.choice(names.OBJECTS)
        labels = [INCIDENT_LABEL, "bug"]
        if self.rng.random() < 0.3:
            labels.append(SEVERE_LABEL)
        title = f"{self.rng.choice(SYMPTOMS)} {thing} after {subject}"
        issue = self._open(repository, title, labels, when)
        incident = _Incident(issue, max(fixable_from, when))
        self.open_incidents.setdefault(repository.id, []).append(incident)
        return issue

    def deployed(self, repository: Repository, deployment: Deployment, when: datetime) -> None:
        """A production deployment succeeded at `when`: it closes the incidents it can fix."""
        waiting = self.open_incidents.get(repository.id)
        if not waiting:
            return
        fixed = [i for i in waiting if deployment.created_at >= i.fixable_from]
        for incident in fixed:
            waiting.remove(incident)
            closed = when + self.rng.uniform(2, 30) * MINUTE
            self.schedule(closed, partial(self.close, incident.issue, "completed"))

    # --- steps --------------------------------------------------------------------------------
    def _open(self, repository: Repository, title: str, labels: list[str], when: datetime) -> Issue:
        issue_id = self.next_id
        self.next_id += 1 + int(self.rng.random() * 97)
        author = self.rng.choice(self.humans)
        issue = Issue(
            id=issue_id,
            node_id=f"I_kwDO{issue_id:010X}",
            number=FIRST_ISSUE_NUMBER + len(repository.issues),
            title=title,
            body=f"{title}.\n\nSeen by {author.name}.",
            author=author.login,
            created_at=when,
            updated_at=when,
            labels=labels,
        )
        repository.issues.append(issue)
        return issue

    def close(self, issue: Issue, reason: str, when: datetime) -> None:
        if issue.closed_at is not None:
            return
        issue.closed_at = issue.updated_at = when
        issue.state_reason = reason
        issue.comments += self.rng.randint(0, 3)
