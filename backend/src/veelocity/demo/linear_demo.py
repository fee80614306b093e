"""The demo organisation's Linear workspace, and its pull requests linked to Linear issues.

The workspace has the organisation's people (same names and e-mails, their GitHub login as
display name), product teams that split the repositories among them, and issues of two
sources: ordinary planning work that arrives steadily per team (see `LinearTracker`), and the
issues behind pull requests. A pull request is linked the ways real teams link one: Linear's
GitHub attachment, the issue's branch name as head branch, "Fixes ENG-123" in its title or
body, and some pull requests (dependency bumps, some features) have no issue. The linked
issue follows its pull request as Linear's GitHub integration moves it: started before the
first commit, In Review when the pull request opens, Done when it merges, back to Todo when
it is closed unmerged. A production deployment that fails can get an `incident` issue
(when the GitHub issue tracker did not open one), completed once a later production
deployment succeeds.

Everything here draws from the tracker's own random source: the organisation's pull
requests, reviews and deployments are drawn exactly as without Linear; only the titles,
bodies and head branches of linked pull requests change.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import partial

from veelocity.demo import names
from veelocity.demo.linear_model import Attachment, Issue, LinearTeam, LinearUser, LinearWorkspace
from veelocity.demo.linear_tracker import (
    ESTIMATES,
    HOUR,
    KIND_LABELS,
    MINUTE,
    PRIORITIES,
    UNCHANGED,
    LinearTracker,
    Schedule,
    Weighted,
    lognormal,
    team_names,
)
from veelocity.demo.model import Deployment, Member, PullRequest, Repository

#: ordinary (not pull-request) issues a team member files a week
ISSUES_PER_MEMBER_WEEK = 0.8
#: issues filed ready to be picked up by a pull request, a week, per developer of the
#: organisation and share of its repositories the team owns (a little under the pull
#: requests that take one, so the waiting list stays short; the rest are filed on the spot)
READY_PER_DEVELOPER_WEEK = 1.0
#: share of feature and fix pull requests by people that are linked to an issue
LINKED_SHARE = 0.8
#: share of failed production deployments without a GitHub incident issue that get a
#: Linear incident
INCIDENT_AFTER_FAILURE = 0.6
GITHUB_WEB = "https://github.com"
READY_KINDS = Weighted(KIND_LABELS, (0.35, 0.45, 0.2))


class DemoLinear:
    """The Linear side of a demo organisation, driven by the simulation's hooks."""

    def __init__(self, seed: int, start: datetime, schedule: Schedule, org_name: str) -> None:
        self.tracker = LinearTracker(seed, start, schedule, org_name)
        self.rng = self.tracker.rng
        self.schedule = schedule
        self.users: dict[str, LinearUser] = {}
        self.team_of_repository: dict[str, LinearTeam] = {}
        self.repositories_of_team: dict[str, list[str]] = {}
        #: issues filed and waiting for someone to start work (and open a pull request)
        self.ready: dict[str, dict[str, Issue]] = {}
        #: the issue each linked pull request works on, by (repository, number)
        self.linked: dict[tuple[str, int], Issue] = {}
        #: the attachment of each pull request, and its URL's path under the GitHub web URL
        self.attachments: dict[tuple[str, int], Attachment] = {}
        self.attachment_paths: list[tuple[Attachment, str]] = []
        self.open_incidents: dict[str, list[Issue]] = {}
        self.github_web = GITHUB_WEB

    @property
    def workspace(self) -> LinearWorkspace:
        return self.tracker.workspace

    # --- building -----------------------------------------------------------------------------
    def build(self, humans: list[Member], repositories: list[Repository]) -> None:
        """People, teams and their repositories, then the steady arrival of issues."""
        tracker = self.tracker
        for member in humans:
            user = tracker.add_user(member.name, member.login, member.email, member.login)
            self.users[member.login] = user
        count = max(1, min(len(humans), (len(repositories) + 2) // 3))
        people = list(self.users.values())
        for index, (name, key) in enumerate(team_names(count)):
            members = people[index::count]
            team = tracker.add_team(name, key, members)
            self.ready[team.id] = {}
            self.repositories_of_team[team.id] = []
            for repository in repositories[index::count]:
                self.team_of_repository[repository.name] = team
                self.repositories_of_team[team.id].append(repository.name)
            ordinary = ISSUES_PER_MEMBER_WEEK * len(team.member_ids)
            share = len(self.repositories_of_team[team.id]) / len(repositories)
            ready = READY_PER_DEVELOPER_WEEK * len(humans) * share
            self._arrivals(team, tracker.start, ordinary, ready=False)
            self._arrivals(team, tracker.start, ready, ready=True)

    def _arrivals(self, team: LinearTeam, after: datetime, per_week: float, ready: bool) -> None:
        rate = per_week / (7 * 24)  # per hour
        when = after + timedelta(hours=self.rng.expovariate(rate))

        def arrive(moment: datetime) -> None:
            if ready:
                self.file_ready(team, moment)
            else:
                self.tracker.open_ordinary(team, moment)
            self._arrivals(team, moment, per_week, ready)

        self.schedule(when, arrive)

    def file_ready(self, team: LinearTeam, when: datetime) -> Issue:
        """An issue in Todo (some planned into a cycle) or Backlog, waiting for a pull
        request to start it."""
        rng, tracker = self.rng, self.tracker
        members = [tracker.users[i] for i in team.member_ids]
        kind = READY_KINDS.draw(rng)
        title = self._title(kind)
        planned = rng.random() < 0.35
        cycle = None
        if planned:
            cycle = tracker.cycle_at(team, when) if rng.random() < 0.4 else None
            cycle = cycle or tracker.next_cycle(team, when)
        projects = tracker.active_projects(team, when)
        issue = tracker.create_issue(
            team,
            title,
            rng.choice(members),
            when,
            "Todo" if planned or rng.random() < 0.5 else "Backlog",
            labels=[kind],
            estimate=rng.choice(ESTIMATES) if rng.random() < 0.8 else None,
            priority=PRIORITIES.draw(rng),
            cycle=cycle,
            project=rng.choice(projects) if projects and rng.random() < 0.5 else None,
        )
        self.ready[team.id][issue.id] = issue
        return issue

    def _title(self, kind: str) -> str:
        verb = "Fix" if kind == "Bug" else self.rng.choice(names.VERBS)
        return f"{verb} {self.rng.choice(names.OBJECTS)}"

    # --- pull requests --------------------------------------------------------------------------
    def pull_request_opened(
        self,
        repository: Repository,
        pr: PullRequest,
        author: Member,
        first_commit: datetime,
        opened: datetime,
    ) -> None:
        """Link the new pull request to an issue (or not), renaming what a link names."""
        rng = self.rng
        user = self.users.get(author.login)
        team = self.team_of_repository.get(repository.name)
        if user is None or team is None or pr.kind in ("dependency", "revert"):
            return
        issue: Issue | None = None
        incidents = [
            i
            for i in self.open_incidents.get(repository.name, ())
            if self.tracker.state_type(i) in ("unstarted", "started")
        ]
        if pr.kind == "hotfix" and incidents:
            issue = incidents[0]  # the fix forward of an open incident
        elif rng.random() >= LINKED_SHARE:
            return
        started = first_commit - lognormal(rng, 40 * MINUTE, 0.8)
        if issue is None:
            issue = self._pick_ready(team, user, started) or self._file_for(team, user, started)
            # Work pulls the issue into the running cycle unless it is planned in one.
            cycle = self.tracker.cycle_at(team, opened) if issue.cycle_id is None else UNCHANGED
            self.tracker.change(
                issue, started, user, state="In Progress", assignee=user, cycle=cycle
            )
        self.tracker.change(issue, opened, user, state="In Review")
        self.linked[(repository.name, pr.number)] = issue
        self._name_issue(repository, pr, issue, opened)

    def _pick_ready(self, team: LinearTeam, user: LinearUser, started: datetime) -> Issue | None:
        """The oldest waiting issue, unassigned or the author's, untouched since before
        `started` (a later change would precede the start in its history)."""
        waiting = self.ready[team.id]
        for issue in waiting.values():
            if issue.updated_at >= started - 10 * MINUTE or issue.assignee_id not in (
                None,
                user.id,
            ):
                continue
            del waiting[issue.id]
            return issue
        return None

    def _file_for(self, team: LinearTeam, user: LinearUser, started: datetime) -> Issue:
        """No issue was waiting: the author files one shortly before starting work."""
        rng = self.rng
        filed = started - lognormal(rng, 6 * HOUR, 1.0)
        kind = rng.choice(KIND_LABELS)
        return self.tracker.create_issue(
            team,
            self._title(kind),
            user,
            filed,
            "Todo",
            assignee=user,
            labels=[kind],
            estimate=rng.choice(ESTIMATES) if rng.random() < 0.7 else None,
            priority=PRIORITIES.draw(rng),
        )

    def _name_issue(
        self, repository: Repository, pr: PullRequest, issue: Issue, opened: datetime
    ) -> None:
        """How this pull request names its issue: branch, title, body, or only Linear's
        attachment; the integration attaches most of them too."""
        rng = self.rng
        identifier = self.workspace.identifier(issue)
        if pr.kind == "hotfix":
            # Its title and branch keep saying hotfix; the description names the incident.
            pr.body = f"{pr.title}.\n\nFixes {identifier}."
            self._attach(repository, pr, issue, opened)
            return
        # The pull request does what its issue says.
        pr.body = pr.body.replace(pr.title, issue.title, 1)
        pr.title = issue.title
        draw = rng.random()
        if draw < 0.4:
            pr.head_ref = issue.branch_name
            attach = rng.random() < 0.85
        elif draw < 0.55:
            title = pr.title
            pr.title = (
                f"[{identifier}] {title}" if rng.random() < 0.5 else f"{title} ({identifier})"
            )
            attach = rng.random() < 0.5
        elif draw < 0.75:
            pr.body = f"{pr.title}.\n\nFixes {identifier}."
            attach = rng.random() < 0.5
        else:
            attach = True  # linked from Linear by pasting the pull request's URL
        if attach:
            self._attach(repository, pr, issue, opened)

    def _attach(
        self, repository: Repository, pr: PullRequest, issue: Issue, when: datetime
    ) -> None:
        path = f"/{repository.full_name}/pull/{pr.number}"
        attachment = Attachment(
            id=self.tracker.new_id(),
            url=f"{self.github_web}{path}",
            title=pr.title,
            subtitle=f"#{pr.number} by {pr.author}",
            created_at=when,
            updated_at=when,
            source_type="github",
            metadata={
                "number": pr.number,
                "repoLogin": repository.owner,
                "repoName": repository.name,
                "branch": pr.head_ref,
                "status": "inReview",
            },
        )
        issue.attachments.append(attachment)
        issue.updated_at = max(issue.updated_at, when)
        self.attachments[(repository.name, pr.number)] = attachment
        self.attachment_paths.append((attachment, path))

    def use_github_web(self, base_url: str) -> None:
        """Attachment URLs name pull requests on the GitHub at `base_url` (the fake's port)."""
        self.github_web = base_url.rstrip("/")
        for attachment, path in self.attachment_paths:
            attachment.url = f"{self.github_web}{path}"

    def pull_request_merged(self, repository: Repository, pr: PullRequest, when: datetime) -> None:
        issue = self.linked.pop((repository.name, pr.number), None)
        self._update_attachment(repository, pr, "merged", when)
        if issue is not None:
            self.tracker.change(issue, when, None, state="Done")

    def pull_request_closed(self, repository: Repository, pr: PullRequest, when: datetime) -> None:
        issue = self.linked.pop((repository.name, pr.number), None)
        self._update_attachment(repository, pr, "closed", when)
        if issue is not None and self.tracker.state_type(issue) == "started":
            self.tracker.change(issue, when, self.users.get(pr.author), state="Todo")
            self.ready[issue.team_id][issue.id] = issue

    def _update_attachment(
        self, repository: Repository, pr: PullRequest, status: str, when: datetime
    ) -> None:
        attachment = self.attachments.pop((repository.name, pr.number), None)
        if attachment is not None:
            attachment.metadata["status"] = status
            attachment.updated_at = when

    # --- incidents ------------------------------------------------------------------------------
    def deployment_failed(
        self, repository: Repository, deployment: Deployment, when: datetime
    ) -> None:
        """A production deployment failed at `when`: someone may file an incident in Linear."""
        team = self.team_of_repository.get(repository.name)
        if team is None or self.rng.random() >= INCIDENT_AFTER_FAILURE:
            return
        reaction = min(4 * HOUR, 30 * MINUTE * math.exp(self.rng.gauss(0.0, 0.8)))
        self.schedule(
            when + reaction, partial(self._open_incident, repository, team, deployment.sha)
        )

    def _open_incident(
        self, repository: Repository, team: LinearTeam, sha: str, when: datetime
    ) -> None:
        rng, tracker = self.rng, self.tracker
        members = [tracker.users[i] for i in team.member_ids]
        responder = rng.choice(members)
        title = f"{repository.name}: {rng.choice(names.OBJECTS)} broken after deploying {sha[:7]}"
        issue = tracker.create_issue(
            team,
            title,
            responder,
            when,
            "Todo",
            assignee=responder,
            labels=["incident", "Bug"],
            priority=1,
            cycle=tracker.cycle_at(team, when),
        )
        self.open_incidents.setdefault(repository.name, []).append(issue)
        working = when + lognormal(rng, 15 * MINUTE, 0.6)
        self.schedule(working, partial(self._respond, issue, responder))

    def _respond(self, issue: Issue, responder: LinearUser, when: datetime) -> None:
        if self.tracker.state_type(issue) == "unstarted":
            self.tracker.change(issue, when, responder, state="In Progress")

    def deployed(self, repository: Repository, deployment: Deployment, when: datetime) -> None:
        """A production deployment succeeded: the incidents opened before it are resolved."""
        waiting = self.open_incidents.get(repository.name)
        if not waiting:
            return
        for issue in [i for i in waiting if i.created_at <= deployment.created_at]:
            waiting.remove(issue)
            resolved = when + self.rng.uniform(2, 30) * MINUTE
            self.schedule(resolved, partial(self._resolve, issue))

    def _resolve(self, issue: Issue, when: datetime) -> None:
        if self.tracker.state_type(issue) not in ("completed", "canceled"):
            self.tracker.change(issue, when, None, state="Done")

    def settle(self, now: datetime) -> None:
        self.tracker.settle_projects(now)
        self.workspace.now = now
