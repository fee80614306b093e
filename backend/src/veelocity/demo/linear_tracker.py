"""The living Linear workspace: teams, cycles and issues whose every change is a history entry.

The tracker owns a workspace and applies changes the way Linear records them: each change is
an `IssueHistory` entry with its from/to pairs, and the issue's fields (`started_at`,
`completed_at`, `canceled_at`, `updated_at`, cycle, estimate, assignee, labels) always agree
with its history. An ordinary issue's life (triage, planning, work, review, completion,
reopening, cancelling) is drawn when it is created and each step is queued at its time, so
steps planned after `now` have simply not happened yet. Cycles are two weeks long; at a
cycle's end the unfinished issues move to the next one, as Linear's automatic carry-over does.

The tracker draws from its own random source, so a demo organisation's pull requests and
deployments stay what they were without Linear.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import math
import random
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import Enum
from functools import partial
from typing import Generic, TypeVar

from veelocity.demo import names
from veelocity.demo.linear_model import (
    Attachment,
    Cycle,
    HistoryEntry,
    Issue,
    Label,
    LinearTeam,
    LinearUser,
    LinearWorkspace,
    Project,
    WorkflowState,
)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CYCLE_LENGTH = timedelta(days=14)
#: cycles planned ahead of the current one, as a team with auto-created cycles has
UPCOMING_CYCLES = 2

Schedule = Callable[[datetime, Callable[[datetime], object]], None]

#: every team's workflow: (name, type, color)
WORKFLOW = (
    ("Triage", "triage", "#fc7840"),
    ("Backlog", "backlog", "#bec2c8"),
    ("Todo", "unstarted", "#e2e2e2"),
    ("In Progress", "started", "#f2c94c"),
    ("In Review", "started", "#0f783c"),
    ("Done", "completed", "#5e6ad2"),
    ("Canceled", "canceled", "#95a2b3"),
    ("Duplicate", "canceled", "#95a2b3"),
)
#: workspace labels; `incident` matches the default incident patterns (derive/config.py)
WORKSPACE_LABELS = (
    ("Bug", "#eb5757"),
    ("Feature", "#bb87fc"),
    ("Improvement", "#4ea7fc"),
    ("incident", "#f2994a"),
)
KIND_LABELS = ("Bug", "Feature", "Improvement")
INCIDENT_LABEL = "incident"
TEAM_NAMES = (
    ("Engineering", "ENG"),
    ("Payments", "PAY"),
    ("Growth", "GRO"),
    ("Platform", "PLT"),
    ("Mobile", "MOB"),
    ("Identity", "IDN"),
    ("Search", "SRCH"),
    ("Data", "DATA"),
    ("Infrastructure", "INFRA"),
    ("Design Systems", "DS"),
    ("Billing", "BIL"),
    ("Onboarding", "ONB"),
)
PROJECT_THEMES = (
    "Audit log",
    "Self-serve onboarding",
    "Usage-based billing",
    "Search relevance",
    "SSO for enterprise",
    "Mobile offline mode",
    "Faster dashboards",
    "Public API v2",
    "Data export",
    "Notifications revamp",
)
T = TypeVar("T")


class Weighted(Generic[T]):
    """Options drawn with fixed weights (cheaper than `random.choices` for one draw)."""

    def __init__(self, options: Sequence[T], weights: Sequence[float]) -> None:
        self.options = tuple(options)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> T:
        return self.options[bisect.bisect(self.cumulative, rng.random() * self.total)]


#: Linear priorities: 0 none, 1 urgent, 2 high, 3 medium, 4 low
PRIORITIES = Weighted(range(5), (0.15, 0.05, 0.25, 0.35, 0.2))
ISSUE_KINDS = Weighted(("Bug", "Feature", "Improvement"), (0.4, 0.35, 0.25))
FIRST_STATES = Weighted(("Triage", "Backlog", "Todo"), (0.15, 0.4, 0.45))
FATES = Weighted(("done", "canceled", "duplicate", "stays"), (0.62, 0.1, 0.04, 0.24))
ESTIMATES = (1.0, 2.0, 3.0, 5.0, 8.0)


class Unchanged(Enum):
    """A field `LinearTracker.change` leaves as it is (None clears a field)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def lognormal(rng: random.Random, median: timedelta, sigma: float) -> timedelta:
    return median * math.exp(rng.gauss(0.0, sigma))


@functools.lru_cache(maxsize=8192)
def slug(text: str, limit: int = 40) -> str:
    """Linear's branch-name slug: lower case words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-")


def team_names(count: int) -> list[tuple[str, str]]:
    extra = [(f"Team {index + 1}", f"T{index + 1}") for index in range(len(TEAM_NAMES), count)]
    return [*TEAM_NAMES[:count], *extra]


class LinearTracker:
    """Builds a workspace and keeps it alive through a `schedule(when, step)` queue."""

    def __init__(self, seed: int | str, start: datetime, schedule: Schedule, name: str) -> None:
        self.rng = random.Random(f"{seed}:linear")  # noqa: S311  # demo data, not secrets
        self.schedule = schedule
        self.start = start
        digest = hashlib.sha1(f"{seed}:linear".encode(), usedforsecurity=False).hexdigest()
        # Ids look like Linear's UUIDs: a per-seed prefix and a counter, cheap and unique.
        self._id_prefix = f"{digest[:8]}-{digest[8:12]}-4{digest[12:15]}-8{digest[15:18]}-"
        self._ids = 0
        self.workspace = LinearWorkspace(
            id=self.new_id(), name=name, url_key=slug(name, 20) or "demo", now=start
        )
        self.states: dict[str, dict[str, WorkflowState]] = {}
        self.labels: dict[str, Label] = {}
        self.team_labels: dict[str, Label] = {}
        self.users: dict[str, LinearUser] = {}
        self.issues_in_cycle: dict[str, dict[str, Issue]] = {}
        self.cycles_by_index: dict[tuple[str, int], Cycle] = {}
        self.team_projects: dict[str, list[Project]] = {}
        #: each project's start and completion
        self.project_plans: dict[str, tuple[datetime, datetime]] = {}
        self.next_number: dict[str, int] = {}
        #: the latest issues of each team, candidates for a new sub-issue's parent
        self.recent: dict[str, list[Issue]] = {}
        self.state_by_id: dict[str, WorkflowState] = {}
        self.team_by_id: dict[str, LinearTeam] = {}
        self._cycle_anchor = (start - timedelta(days=start.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        for label_name, color in WORKSPACE_LABELS:
            label = Label(self.new_id(), label_name, color, start, start)
            self.labels[label_name] = label
            self.workspace.labels.append(label)

    def new_id(self) -> str:
        self._ids += 1
        return f"{self._id_prefix}{self._ids:012x}"

    # --- the workspace's structure ------------------------------------------------------------
    def add_user(
        self, name: str, display_name: str, email: str, github_login: str | None = None
    ) -> LinearUser:
        created = self.start - timedelta(days=self.rng.randint(30, 600))
        user = LinearUser(
            id=self.new_id(),
            name=name,
            display_name=display_name,
            email=email,
            created_at=created,
            updated_at=created,
            github_login=github_login,
        )
        self.users[user.id] = user
        self.workspace.users.append(user)
        return user

    def add_team(self, name: str, key: str, members: list[LinearUser]) -> LinearTeam:
        created = self.start - timedelta(days=self.rng.randint(200, 900))
        team = LinearTeam(
            id=self.new_id(),
            key=key,
            name=name,
            created_at=created,
            updated_at=created,
            member_ids=[m.id for m in members],
        )
        self.workspace.teams.append(team)
        self.team_by_id[team.id] = team
        self.states[team.id] = {}
        for position, (state_name, kind, color) in enumerate(WORKFLOW):
            state = WorkflowState(
                id=self.new_id(),
                team_id=team.id,
                name=state_name,
                type=kind,
                position=float(position),
                color=color,
                created_at=created,
                updated_at=created,
            )
            team.states.append(state)
            self.states[team.id][state_name] = state
            self.state_by_id[state.id] = state
        label = Label(self.new_id(), "Tech debt", "#26b5ce", created, created, team_id=team.id)
        self.team_labels[team.id] = label
        self.workspace.labels.append(label)
        self.next_number[team.id] = 1
        self.recent[team.id] = []
        self._add_projects(team)
        # The cycles around the start: the current one and the planned ones.
        first = self.cycle_index(self.start)
        for index in range(first, first + UPCOMING_CYCLES + 1):
            self._add_cycle(team, index, self.start)
        return team

    def _add_projects(self, team: LinearTeam) -> None:
        """Two to four projects, begun over the first months; each appears a few days or
        weeks before it starts."""
        rng = self.rng
        self.team_projects[team.id] = []
        for _ in range(rng.randint(2, 4)):
            started = self.start + timedelta(days=rng.uniform(-40, 120))
            created = started - timedelta(days=rng.uniform(3, 20))
            target = started + timedelta(days=rng.uniform(30, 120))
            project = Project(
                id=self.new_id(),
                name=f"{rng.choice(PROJECT_THEMES)} ({team.key})",
                state="planned",
                created_at=created,
                updated_at=created,
                team_ids=[team.id],
                target_date=target.date().isoformat(),
            )
            self.project_plans[project.id] = (started, target.replace(hour=17, minute=0))
            if created <= self.start:
                self._show_project(team, project, created)
            else:
                self.schedule(created, partial(self._show_project, team, project))

    def _show_project(self, team: LinearTeam, project: Project, when: datetime) -> None:
        self.team_projects[team.id].append(project)
        self.workspace.projects.append(project)

    def active_projects(self, team: LinearTeam, when: datetime) -> list[Project]:
        return [
            p
            for p in self.team_projects[team.id]
            if self.project_plans[p.id][0] <= when < self.project_plans[p.id][1]
        ]

    def settle_projects(self, now: datetime) -> None:
        """Each project's state at `now`: planned, started, or completed on its target date."""
        for project in self.workspace.projects:
            started, finished = self.project_plans[project.id]
            if now < started:
                continue
            project.started_at = started
            project.state, project.updated_at = "started", started
            if finished <= now:
                project.state, project.completed_at, project.updated_at = (
                    "completed",
                    finished,
                    finished,
                )

    # --- cycles -------------------------------------------------------------------------------
    def cycle_index(self, when: datetime) -> int:
        return (when - self._cycle_anchor) // CYCLE_LENGTH

    def _add_cycle(self, team: LinearTeam, index: int, when: datetime) -> Cycle:
        starts = self._cycle_anchor + index * CYCLE_LENGTH
        number = len(team.cycles) + 1
        cycle = Cycle(
            id=self.new_id(),
            team_id=team.id,
            number=number,
            name=None if number % 3 else f"Sprint {number}",
            starts_at=starts,
            ends_at=starts + CYCLE_LENGTH,
            created_at=when,
            updated_at=when,
        )
        team.cycles.append(cycle)
        self.cycles_by_index[(team.id, index)] = cycle
        self.issues_in_cycle[cycle.id] = {}
        self.schedule(starts + CYCLE_LENGTH, partial(self._end_cycle, team, cycle))
        return cycle

    def cycle_at(self, team: LinearTeam, when: datetime) -> Cycle:
        """The team's cycle running at `when` (cycles exist from the start on)."""
        cycle = self.cycles_by_index.get((team.id, self.cycle_index(when)))
        if cycle is None:
            raise LookupError(f"no cycle of {team.key} at {when}")
        return cycle

    def next_cycle(self, team: LinearTeam, when: datetime) -> Cycle:
        return self.cycle_at(team, when + CYCLE_LENGTH)

    def _end_cycle(self, team: LinearTeam, cycle: Cycle, when: datetime) -> None:
        """Close the cycle, carry its unfinished issues over, and plan one more cycle."""
        last = team.cycles[-1].starts_at
        assert last is not None
        self._add_cycle(team, self.cycle_index(last) + 1, when)
        cycle.completed_at = cycle.updated_at = when
        following = self.cycle_at(team, when)
        for issue in list(self.issues_in_cycle[cycle.id].values()):
            if self.state_type(issue) in ("completed", "canceled") or issue.archived_at:
                continue
            self.change(issue, when, None, cycle=following)

    # --- issues -------------------------------------------------------------------------------
    def state_type(self, issue: Issue) -> str:
        return self.state_by_id[issue.state_id].type

    def create_issue(
        self,
        team: LinearTeam,
        title: str,
        creator: LinearUser | None,
        when: datetime,
        state: str = "Backlog",
        *,
        assignee: LinearUser | None = None,
        labels: Sequence[str] = (),
        estimate: float | None = None,
        priority: int = 0,
        cycle: Cycle | None = None,
        project: Project | None = None,
        parent: Issue | None = None,
    ) -> Issue:
        number = self.next_number[team.id]
        self.next_number[team.id] = number + 1
        label_ids = [self.label(name, team).id for name in labels]
        to_state = self.states[team.id][state]
        branch_owner = assignee or creator
        login = slug(branch_owner.display_name, 30) if branch_owner else "linear"
        issue = Issue(
            id=self.new_id(),
            team_id=team.id,
            number=number,
            title=title,
            description=f"{title}.\n\nReported by {creator.name if creator else 'a customer'}.",
            state_id=to_state.id,
            creator_id=creator.id if creator else None,
            created_at=when,
            updated_at=when,
            priority=priority,
            estimate=estimate,
            assignee_id=assignee.id if assignee else None,
            cycle_id=cycle.id if cycle else None,
            project_id=project.id if project else None,
            parent_id=parent.id if parent else None,
            label_ids=label_ids,
            branch_name=f"{login}/{team.key.lower()}-{number}-{slug(title)}",
        )
        # The creation entry: every field set at creation, from nothing.
        issue.history.append(
            HistoryEntry(
                id=self.new_id(),
                created_at=when,
                actor_id=issue.creator_id,
                to_state_id=to_state.id,
                to_cycle_id=issue.cycle_id,
                to_estimate=estimate,
                to_assignee_id=issue.assignee_id,
                to_priority=float(priority) if priority else None,
                added_label_ids=list(label_ids) or None,
            )
        )
        self._entered(issue, to_state, when)
        if cycle is not None:
            self.issues_in_cycle[cycle.id][issue.id] = issue
        self.workspace.issues.append(issue)
        recent = self.recent[team.id]
        recent.append(issue)
        if len(recent) > 20:
            del recent[0]
        return issue

    def label(self, name: str, team: LinearTeam) -> Label:
        if name == "Tech debt":
            return self.team_labels[team.id]
        return self.labels[name]

    def change(
        self,
        issue: Issue,
        when: datetime,
        actor: LinearUser | None,
        *,
        state: str | None = None,
        cycle: Cycle | Unchanged | None = UNCHANGED,
        estimate: float | Unchanged | None = UNCHANGED,
        assignee: LinearUser | Unchanged | None = UNCHANGED,
        add_labels: Sequence[str] = (),
        remove_labels: Sequence[str] = (),
    ) -> HistoryEntry | None:
        """Apply one change (the fields given; the others stay) as one history entry."""
        if issue.archived_at is not None:
            return None
        entry = HistoryEntry(
            id=self.new_id(), created_at=when, actor_id=actor.id if actor else None
        )
        changed = False
        if state is not None:
            to_state = self.states[issue.team_id][state]
            if to_state.id != issue.state_id:
                entry.from_state_id, entry.to_state_id = issue.state_id, to_state.id
                issue.state_id = to_state.id
                self._entered(issue, to_state, when)
                changed = True
        if not isinstance(cycle, Unchanged):
            new_id = cycle.id if cycle else None
            if new_id != issue.cycle_id:
                entry.from_cycle_id, entry.to_cycle_id = issue.cycle_id, new_id
                if issue.cycle_id is not None:
                    del self.issues_in_cycle[issue.cycle_id][issue.id]
                if cycle is not None:
                    self.issues_in_cycle[cycle.id][issue.id] = issue
                issue.cycle_id = new_id
                changed = True
        if not isinstance(estimate, Unchanged) and estimate != issue.estimate:
            entry.from_estimate, entry.to_estimate = issue.estimate, estimate
            issue.estimate = estimate
            changed = True
        if not isinstance(assignee, Unchanged):
            new_id = assignee.id if assignee else None
            if new_id != issue.assignee_id:
                entry.from_assignee_id, entry.to_assignee_id = issue.assignee_id, new_id
                issue.assignee_id = new_id
                if assignee is not None:  # Linear suggests a branch under the assignee's name
                    suffix = issue.branch_name.partition("/")[2]
                    issue.branch_name = f"{slug(assignee.display_name, 30)}/{suffix}"
                changed = True
        if add_labels or remove_labels:
            changed = self._relabel(issue, entry, add_labels, remove_labels) or changed
        if not changed:
            return None
        issue.history.append(entry)
        issue.updated_at = max(issue.updated_at, when)
        return entry

    def _relabel(
        self,
        issue: Issue,
        entry: HistoryEntry,
        add_labels: Sequence[str],
        remove_labels: Sequence[str],
    ) -> bool:
        team = self.team_by_id[issue.team_id]
        added = [self.label(n, team).id for n in add_labels]
        added = [i for i in added if i not in issue.label_ids]
        removed = [self.label(n, team).id for n in remove_labels]
        removed = [i for i in removed if i in issue.label_ids]
        if not added and not removed:
            return False
        issue.label_ids = [i for i in issue.label_ids if i not in removed] + added
        entry.added_label_ids, entry.removed_label_ids = added or None, removed or None
        return True

    def _entered(self, issue: Issue, state: WorkflowState, when: datetime) -> None:
        """Keep the timestamps Linear derives from state moves in step with the history."""
        if state.type == "started" and issue.started_at is None:
            issue.started_at = when
        if state.type == "completed":
            issue.completed_at = when
        elif issue.completed_at is not None:
            issue.completed_at = None  # reopened
        issue.canceled_at = when if state.type == "canceled" else None

    def archive(self, issue: Issue, when: datetime) -> None:
        """Archive a closed issue (Linear archives closed issues after a while)."""
        if issue.archived_at is not None or self.state_type(issue) not in ("completed", "canceled"):
            return
        issue.history.append(HistoryEntry(id=self.new_id(), created_at=when, archived=True))
        issue.archived_at = issue.updated_at = when

    # --- an ordinary issue's life, drawn at creation --------------------------------------------
    def open_ordinary(self, team: LinearTeam, when: datetime) -> Issue:
        """A new issue filed in TEAM at WHEN, and the steps of its life queued."""
        rng = self.rng
        members = [self.users[i] for i in team.member_ids]
        creator = rng.choice(members)
        kind = ISSUE_KINDS.draw(rng)
        labels = [kind, *(["Tech debt"] if rng.random() < 0.1 else [])]
        verb = "Fix" if kind == "Bug" else rng.choice(names.VERBS)
        title = f"{verb} {rng.choice(names.OBJECTS)}"
        initial = FIRST_STATES.draw(rng)
        planned = initial == "Todo" and rng.random() < 0.6
        cycle = None
        if planned:
            # Into the running cycle (added mid-cycle) or the next one (committed at its start)
            current = self.cycle_at(team, when)
            cycle = current if rng.random() < 0.4 else self.next_cycle(team, when)
        siblings = self.recent[team.id]
        parent = rng.choice(siblings) if siblings and rng.random() < 0.1 else None
        projects = self.active_projects(team, when)
        issue = self.create_issue(
            team,
            title,
            creator,
            when,
            initial,
            assignee=rng.choice(members) if initial != "Triage" and rng.random() < 0.7 else None,
            labels=labels,
            estimate=rng.choice(ESTIMATES) if rng.random() < 0.8 else None,
            priority=PRIORITIES.draw(rng),
            cycle=cycle,
            project=rng.choice(projects) if projects and rng.random() < 0.4 else None,
            parent=parent,
        )
        if rng.random() < 0.05:  # a spec or design link, an attachment that is no PR
            issue.attachments.append(
                Attachment(
                    id=self.new_id(),
                    url=f"https://docs.{self.workspace.url_key}.example/specs/{slug(title)}",
                    title=f"Spec: {title}",
                    created_at=when,
                    updated_at=when,
                )
            )
        self.plan_life(team, issue, members, when, initial)
        return issue

    def plan_life(
        self,
        team: LinearTeam,
        issue: Issue,
        members: list[LinearUser],
        when: datetime,
        initial: str,
    ) -> None:
        rng, at = self.rng, self.schedule
        moment = when
        if initial == "Triage":
            moment += lognormal(rng, 20 * HOUR, 1.0)
            accepted = rng.choice(("Backlog", "Todo"))
            at(moment, partial(self._step, issue, rng.choice(members), state=accepted))
        fate = FATES.draw(rng)
        # Side changes somewhere in the issue's first days.
        if rng.random() < 0.15:
            new = rng.choice(ESTIMATES) if rng.random() < 0.9 else None
            later = when + lognormal(rng, 2 * DAY, 1.0)
            at(later, partial(self._step, issue, rng.choice(members), estimate=new))
        if rng.random() < 0.15:
            later = when + lognormal(rng, 3 * DAY, 1.0)
            at(later, partial(self._step, issue, rng.choice(members), assignee=rng.choice(members)))
        if rng.random() < 0.1:
            later = when + lognormal(rng, 4 * DAY, 1.0)
            at(later, partial(self._step, issue, None, add_labels=["Tech debt"]))
        if rng.random() < 0.04:
            later = when + lognormal(rng, 5 * DAY, 1.0)
            at(later, partial(self._step, issue, None, remove_labels=["Tech debt", "Improvement"]))
        if fate == "stays":
            if issue.cycle_id is not None and rng.random() < 0.6:
                later = moment + lognormal(rng, 4 * DAY, 0.8)  # taken out of the cycle again
                at(later, partial(self._step, issue, None, state="Backlog", cycle=None))
            return
        if fate == "duplicate":
            moment += lognormal(rng, 1 * DAY, 1.2)
            at(moment, partial(self._step, issue, rng.choice(members), state="Duplicate"))
            self._maybe_archive(issue, moment)
            return
        worker = rng.choice(members)
        begins = moment + lognormal(rng, 3 * DAY, 1.1)
        if fate == "canceled" and rng.random() < 0.5:
            moment = begins + lognormal(rng, 6 * DAY, 1.0)
            at(moment, partial(self._step, issue, None, state="Canceled"))
            self._maybe_archive(issue, moment)
            return
        at(begins, partial(self._begin, team, issue, worker))
        moment = begins + lognormal(rng, 2 * DAY, 0.9)
        if fate == "canceled":
            at(moment, partial(self._step, issue, worker, state="Canceled"))
            self._maybe_archive(issue, moment)
            return
        if rng.random() < 0.7:
            at(moment, partial(self._step, issue, worker, state="In Review"))
            moment += lognormal(rng, 20 * HOUR, 1.0)
        at(moment, partial(self._step, issue, worker, state="Done"))
        if rng.random() < 0.08:  # reopened: the fix did not hold
            moment += lognormal(rng, 2 * DAY, 1.0)
            at(moment, partial(self._step, issue, rng.choice(members), state="In Progress"))
            moment += lognormal(rng, 1 * DAY, 1.0)
            at(moment, partial(self._step, issue, worker, state="Done"))
        self._maybe_archive(issue, moment)

    def _maybe_archive(self, issue: Issue, closed: datetime) -> None:
        if self.rng.random() < 0.1:
            self.schedule(closed + lognormal(self.rng, 20 * DAY, 0.6), partial(self.archive, issue))

    def _begin(self, team: LinearTeam, issue: Issue, worker: LinearUser, when: datetime) -> None:
        """Work starts: assigned, and pulled into the running cycle if it is in none."""
        if self.state_type(issue) in ("completed", "canceled"):
            return
        cycle: Cycle | Unchanged = UNCHANGED
        if team.cycles_enabled and issue.cycle_id is None:
            cycle = self.cycle_at(team, when)
        self.change(issue, when, worker, state="In Progress", assignee=worker, cycle=cycle)

    def _step(
        self,
        issue: Issue,
        actor: LinearUser | None,
        when: datetime,
        **changes: object,
    ) -> None:
        # An issue closed meanwhile (by its pull request, say) is not moved back by the plan;
        # a reopening step targets a closed issue on purpose.
        closed = self.state_type(issue) in ("completed", "canceled")
        if closed and changes.get("state", "In Progress") != "In Progress":
            return
        self.change(issue, when, actor, **changes)  # type: ignore[arg-type]
