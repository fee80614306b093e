"""The event simulation that writes an organisation's history and keeps it alive.

Every pull request is planned when it is opened (its drafts, review rounds, pushes, comments
and outcome are drawn then), and each step is queued at its time. Running the queue up to a
moment applies the steps in time order, so merges build the default branch's commit graph in
order, deployments ship what was merged before them, and anything planned after `now` simply
has not happened yet: `advance` runs the queue further.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import itertools
import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from veelocity.demo import ai_adoption, names
from veelocity.demo.ai_adoption import AGENT, AI_ACCOUNT_IDS, CODERABBIT, Adoption
from veelocity.demo.config import DemoConfig
from veelocity.demo.issues import IssueTracker
from veelocity.demo.linear_demo import DemoLinear
from veelocity.demo.model import (
    ChangedFile,
    Commit,
    DemoOrganisation,
    Deployment,
    DeploymentStatus,
    IssueComment,
    Member,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    RunAttempt,
    TimelineEvent,
    Workflow,
    WorkflowRun,
)

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAYS_PER_MONTH = 30.4
GREPTILE = "greptile-apps[bot]"
DEPENDABOT = "dependabot[bot]"
RENOVATE = "renovate[bot]"
ACTIONS_BOT = "github-actions[bot]"

# First ids of each kind, so that ids look like GitHub's and never collide across kinds.
ID_BASES = {
    "User": 5_000_000,
    "Organization": 90_000_000,
    "Repository": 600_000_000,
    "PullRequest": 1_500_000_000,
    "Review": 1_800_000_000,
    "ReviewComment": 1_300_000_000,
    "IssueComment": 2_100_000_000,
    "Event": 9_000_000_000,
    "Workflow": 70_000_000,
    "WorkflowRun": 8_000_000_000,
    "Deployment": 1_200_000_000,
    "DeploymentStatus": 2_600_000_000,
    "Release": 150_000_000,
}
NODE_PREFIXES = {
    "User": "U",
    "Bot": "BOT",
    "Organization": "O",
    "Repository": "R",
    "PullRequest": "PR",
    "Review": "PRR",
    "ReviewComment": "PRRC",
    "IssueComment": "IC",
    "Event": "EV",
    "Workflow": "W",
    "WorkflowRun": "WFR",
    "Deployment": "DE",
    "DeploymentStatus": "DES",
    "Release": "RE",
}


def node_id(kind: str, number: int) -> str:
    """A GitHub-style global id: a type prefix and an opaque encoding of the database id."""
    return f"{NODE_PREFIXES[kind]}_kwDO{number:010X}"


def _lognormal_hours(rng: random.Random, median: float, sigma: float) -> timedelta:
    return timedelta(hours=median * math.exp(rng.gauss(0.0, sigma)))


class Simulation:
    """Owns the random source and the queue of planned steps of one organisation."""

    def __init__(self, config: DemoConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311  # demo data, not secrets
        self.queue: list[tuple[datetime, int, Callable[[datetime], object]]] = []
        self.sequence = 0
        self.next_ids = dict(ID_BASES)
        self.oid_counter = 0
        self.start = config.now - timedelta(days=config.months * DAYS_PER_MONTH)
        self.org = DemoOrganisation(
            login=config.org,
            id=self.new_id("Organization"),
            node_id="",
            name=config.org.replace("-", " ").title(),
            created_at=self.start - timedelta(days=400),
            now=self.start,
            simulation=self,
        )
        self.org.node_id = node_id("Organization", self.org.id)
        self.humans: list[Member] = []
        self.activity: dict[str, float] = {}
        self.paths: dict[str, list[str]] = {}
        self.repo_rate: dict[str, float] = {}
        self.greptile_repos: set[str] = set()
        self.deploy_style: dict[str, str] = {}
        self.by_login: dict[str, Member] = {}
        self.run_numbers: dict[int, int] = {}
        self.shipped: dict[str, str] = {}
        self.cumulative_activity: list[float] = []
        self.issues = IssueTracker(config.seed, self.humans, self.at)
        self.linear = (
            DemoLinear(config.seed, self.start, self.at, self.org.name) if config.linear else None
        )
        # AI review bots act with a random source and ids of their own, so the rest of a
        # seed's organisation stays as it was.
        self.ai_rng = random.Random(f"{config.seed}:ai")  # noqa: S311  # demo data
        self.ai_ids = {kind: base + 40_000_000 for kind, base in ID_BASES.items()}
        self.adoptions: dict[str, Adoption] = {}

    # --- identifiers ------------------------------------------------------------------------
    def new_id(self, kind: str) -> int:
        value = self.next_ids[kind]
        # Gaps between ids, as on a shared GitHub; random() is the cheapest draw.
        self.next_ids[kind] = value + 1 + int(self.rng.random() * 97)
        return value

    def new_oid(self, repository: Repository) -> str:
        self.oid_counter += 1
        seed = f"{self.config.seed}:{repository.id}:{self.oid_counter}"
        return hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()

    # --- queue ------------------------------------------------------------------------------
    def at(self, when: datetime, step: Callable[[datetime], object]) -> None:
        self.sequence += 1
        heapq.heappush(self.queue, (when, self.sequence, step))

    def in_ai(self, step: Callable[[datetime], object], when: datetime) -> None:
        """Run STEP with the AI random source and ids."""
        self.rng, self.ai_rng = self.ai_rng, self.rng
        self.next_ids, self.ai_ids = self.ai_ids, self.next_ids
        try:
            step(when)
        finally:
            self.rng, self.ai_rng = self.ai_rng, self.rng
            self.next_ids, self.ai_ids = self.ai_ids, self.next_ids

    def adoption(self, login: str) -> Adoption:
        found = self.adoptions.get(login)
        if found is None:
            found = ai_adoption.adoption_of(self.config.seed, login, self.start, self.config.now)
            self.adoptions[login] = found
        return found

    def ai_style(self, login: str, moment: datetime) -> str:
        """How LOGIN uses AI at MOMENT: none, light or heavy (always none with the flag off)."""
        if not self.config.ai:
            return "none"
        adoption = self.adoption(login)
        return adoption.style if adoption.uses_on(moment) else "none"

    def run_until(self, moment: datetime) -> None:
        queue = self.queue
        # Only new objects that live on are made here; the cyclic collector would walk the
        # whole growing organisation again and again for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            while queue and queue[0][0] <= moment:
                when, _, step = heapq.heappop(queue)
                step(when)
        finally:
            if collecting:
                gc.enable()
        self.org.now = moment
        if self.linear is not None:
            self.linear.settle(moment)

    # --- time shapes ------------------------------------------------------------------------
    def working_time(self, when: datetime, member: Member) -> datetime:
        """The first moment at or after `when` that falls in the member's working hours."""
        if member.is_bot:
            return when
        offset = timedelta(hours=member.utc_offset_hours)
        local = when + offset
        if local.hour < 9:
            local = local.replace(hour=9, minute=0) + self.rng.random() * 90 * MINUTE
        elif local.hour >= 18:
            local = local.replace(hour=9, minute=0) + timedelta(days=1)
            local += self.rng.random() * 90 * MINUTE
        while local.weekday() >= 5:
            local = local.replace(hour=9, minute=0) + timedelta(days=1)
            local += self.rng.random() * 60 * MINUTE
        return local - offset

    def workday_moment(self, start: datetime, end: datetime, member: Member) -> datetime:
        """A random moment in [start, end), usually on a weekday in working hours."""
        span = (end - start).total_seconds()
        offset = member.utc_offset_hours
        for _ in range(12):
            when = start + timedelta(seconds=self.rng.random() * span)
            local = when + timedelta(hours=offset)
            weekend = local.weekday() >= 5
            if (not weekend and 9 <= local.hour < 19) or self.rng.random() < 0.04:
                return when
        return when

    # --- building the organisation ----------------------------------------------------------
    def build(self) -> DemoOrganisation:
        config = self.config
        self.make_members()
        for index in range(config.repositories):
            self.make_repository(index)
        if self.linear is not None:
            self.linear.build(self.humans, self.org.repositories)
            self.org.linear = self.linear.workspace
        total_weight = sum(self.repo_rate.values())
        if config.pull_requests is not None:
            per_week = config.pull_requests / max(1.0, (config.now - self.start).days / 7)
            self.plan_exact_arrivals(config.pull_requests)
        else:
            per_week = config.developers * config.pull_requests_per_developer_week
        for repository in self.org.repositories:
            share = self.repo_rate[repository.name] / total_weight
            self.repo_rate[repository.name] = per_week * share / (7 * 24)  # per hour
            first = self.start if config.pull_requests is None else config.now
            self.schedule_arrival(repository, first)
            self.schedule_deploy_cycle(repository, self.start + timedelta(days=1))
            self.issues.start(repository, self.start)
        self.run_until(config.now)
        return self.org

    def make_members(self) -> None:
        config, rng = self.config, self.rng
        taken: set[str] = set()
        for index in range(config.developers):
            first = names.FIRST_NAMES[index % len(names.FIRST_NAMES)]
            last = rng.choice(names.LAST_NAMES)
            login = f"{first}-{last}".lower()
            while login in taken:
                login = f"{first}{last}{rng.randint(2, 999)}".lower()
            taken.add(login)
            member_id = self.new_id("User")
            member = Member(
                login=login,
                id=member_id,
                node_id=node_id("User", member_id),
                name=f"{first} {last}",
                email=f"{login}@{config.org}.example",
                review_median_hours=math.exp(rng.gauss(math.log(4.0), 0.7)),
                utc_offset_hours=rng.choice((-5, 0, 0, 1, 1, 1, 2, 5)),
            )
            self.org.members.append(member)
            self.humans.append(member)
            # A few people open most pull requests, as in real teams.
            self.activity[login] = rng.paretovariate(2.0)
        if config.bots:
            for login in (DEPENDABOT, RENOVATE, GREPTILE, ACTIONS_BOT):
                member_id = self.new_id("User")
                self.org.members.append(
                    Member(
                        login=login,
                        id=member_id,
                        node_id=node_id("Bot", member_id),
                        name=login.removesuffix("[bot]"),
                        email=f"{member_id}+{login}@users.noreply.example",
                        is_bot=True,
                        review_median_hours=0.05,
                    )
                )
        if config.bots and config.ai:
            for login, member_id in AI_ACCOUNT_IDS.items():
                self.org.members.append(
                    Member(
                        login=login,
                        id=member_id,
                        node_id=node_id("Bot", member_id),
                        name=login.removesuffix("[bot]"),
                        email=f"{member_id}+{login}@users.noreply.example",
                        is_bot=True,
                        review_median_hours=0.05,
                    )
                )

    def make_repository(self, index: int) -> None:
        config, rng = self.config, self.rng
        is_library = index % 4 == 3
        pool = names.LIBRARY_NAMES if is_library else names.SERVICE_NAMES
        base = pool[(index // 4 if is_library else index - index // 4) % len(pool)]
        name = base if not any(r.name == base for r in self.org.repositories) else f"{base}-{index}"
        language = names.LANGUAGES[index % len(names.LANGUAGES)]
        repo_id = self.new_id("Repository")
        created = self.start - timedelta(days=rng.randint(60, 900))
        repository = Repository(
            id=repo_id,
            node_id=node_id("Repository", repo_id),
            owner=config.org,
            name=name,
            description=f"The {base.replace('-', ' ')} {'library' if is_library else 'service'}",
            language=language,
            created_at=created,
            merge_style="squash" if index % 3 == 1 else "merge",
            kind="library" if is_library else "service",
        )
        self.org.repositories.append(repository)
        extension = names.EXTENSIONS[language]
        self.paths[name] = [
            f"src/{rng.choice(names.MODULES)}/{rng.choice(names.FILE_STEMS)}.{extension}"
            for _ in range(40)
        ] + [f"tests/test_{stem}.{extension}" for stem in names.FILE_STEMS[:8]]
        self.repo_rate[name] = rng.uniform(0.4, 1.6)
        if rng.random() < 0.6:
            self.greptile_repos.add(name)
        self.deploy_style[name] = "continuous" if index % 2 == 0 else "daily"
        # The history before the simulated window: one root commit.
        root = Commit(
            oid=self.new_oid(repository),
            message="Initial commit",
            author=self.humans[index % len(self.humans)].login,
            authored_at=created,
            committed_at=created,
            parents=(),
        )
        repository.history.append(root)
        repository.pushed_at = created
        self.make_workflows(repository)

    def make_workflows(self, repository: Repository) -> None:
        specs: list[tuple[str, str, str | None]] = [
            ("CI", ".github/workflows/ci.yml", None),
            ("CodeQL", ".github/workflows/codeql.yml", None),
        ]
        if repository.kind == "service":
            specs += [
                ("Deploy to staging", ".github/workflows/deploy-staging.yml", "staging"),
                ("Deploy to production", ".github/workflows/deploy-production.yml", "production"),
            ]
        else:
            specs += [("Release", ".github/workflows/release.yml", None)]
        for name, path, environment in specs:
            workflow_id = self.new_id("Workflow")
            repository.workflows.append(
                Workflow(
                    id=workflow_id,
                    node_id=node_id("Workflow", workflow_id),
                    name=name,
                    path=path,
                    created_at=repository.created_at,
                    updated_at=repository.created_at,
                    deploys_to=environment,
                )
            )

    def workflow(self, repository: Repository, name: str) -> Workflow:
        return next(w for w in repository.workflows if w.name == name)

    # --- arrivals of pull requests ----------------------------------------------------------
    def plan_exact_arrivals(self, count: int) -> None:
        repos = self.org.repositories
        weights = [self.repo_rate[r.name] for r in repos]
        chosen = self.rng.choices(range(len(repos)), weights=weights, k=count)
        for repo_index in chosen:
            author = self.pick_author()
            when = self.workday_moment(self.start, self.config.now, author)
            repository = repos[repo_index]
            self.at(when, partial(self.open_pull_request, repository, author))

    def schedule_arrival(self, repository: Repository, after: datetime) -> None:
        rate = self.repo_rate[repository.name]
        if rate <= 0:
            return
        gap = timedelta(hours=self.rng.expovariate(rate))
        author = self.pick_author()
        when = self.working_time(after + gap, author)

        def arrive(moment: datetime) -> None:
            self.open_pull_request(repository, author, moment)
            self.schedule_arrival(repository, moment)

        self.at(when, arrive)

    def member(self, login: str) -> Member:
        if not self.by_login:
            self.by_login = {m.login: m for m in self.org.members}
        return self.by_login[login]

    def pick_author(self) -> Member:
        rng = self.rng
        if self.config.bots and rng.random() < 0.08:
            return self.member(DEPENDABOT if rng.random() < 0.6 else RENOVATE)
        if len(self.cumulative_activity) != len(self.humans):
            self.cumulative_activity = list(
                itertools.accumulate(self.activity[m.login] for m in self.humans)
            )
        return rng.choices(self.humans, cum_weights=self.cumulative_activity, k=1)[0]

    def reviewers_for(self, author: Member, count: int) -> list[Member]:
        candidates = [m for m in self.humans if m.login != author.login]
        return self.rng.sample(candidates, k=min(count, len(candidates)))

    # --- one pull request's life ------------------------------------------------------------
    def open_pull_request(
        self,
        repository: Repository,
        author: Member,
        when: datetime,
        kind: str | None = None,
        reverts: PullRequest | None = None,
        follow_up: bool = False,
    ) -> PullRequest:
        rng = self.rng
        if kind is None:
            kind = "dependency" if author.is_bot else ("fix" if rng.random() < 0.25 else "feature")
        number = len(repository.pull_requests) + 1
        title, head_ref, labels = self.describe(kind, number, reverts)
        pr_id = self.new_id("PullRequest")
        pr = PullRequest(
            id=pr_id,
            node_id=node_id("PullRequest", pr_id),
            number=number,
            title=title,
            body=f"{title}.\n\nCloses #{rng.randint(1, 900)}." if kind != "dependency" else title,
            author=author.login,
            created_at=when,
            updated_at=when,
            base_ref=repository.default_branch,
            head_ref=head_ref,
            kind=kind,
            reverts_number=reverts.number if reverts else None,
            labels=labels,
        )
        pr.files = self.draw_files(repository, kind, reverts)
        style = self.ai_style(author.login, when) if kind in ("feature", "fix") else "none"
        if style != "none":
            self.assisted(repository, pr, author, style, when, follow_up)
        repository.pull_requests.append(pr)
        # Commits authored before the pull request was opened: cycle time starts there.
        first_commit = when - _lognormal_hours(rng, 3.0 if kind != "dependency" else 0.01, 1.2)
        if self.linear is not None:  # may rename the title, body and branch to name an issue
            self.linear.pull_request_opened(repository, pr, author, first_commit, when)
        commit_count = 1 if kind in ("dependency", "revert") else rng.choice((1, 1, 2, 2, 3, 4, 6))
        self.push_commits(repository, pr, author, first_commit, when, commit_count, quiet=True)
        self.plan_life(repository, pr, author, when)
        return pr

    def assisted(
        self,
        repository: Repository,
        pr: PullRequest,
        author: Member,
        style: str,
        when: datetime,
        follow_up: bool,
    ) -> None:
        """An AI-assisted pull request, as published studies report them: larger; from heavy
        users sometimes opened by an agent, and (with `ai_flow`) followed by another one."""
        seed = self.config.seed
        factor = ai_adoption.SIZE_FACTOR[style]
        for changed in pr.files:  # scaled after the draws: the random stream is unchanged
            changed.additions = round(changed.additions * factor)
        if style != "heavy" or not self.config.bots:
            return
        if ai_adoption.agent_opens(seed, pr.id):
            pr.author = AGENT
        # Benchmarks ask for an exact number of pull requests: no follow-ups there.
        exact = self.config.pull_requests is not None
        more = self.config.ai_flow and not (follow_up or exact)
        if more and ai_adoption.chance(seed, "follow-up", pr.id) < 0.3:
            later = self.working_time(when + timedelta(hours=2 + 20 * self.ai_rng.random()), author)
            self.at(
                later,
                partial(self.open_pull_request, repository, author, kind=None, follow_up=True),
            )

    def describe(
        self, kind: str, number: int, reverts: PullRequest | None
    ) -> tuple[str, str, list[str]]:
        rng = self.rng
        if kind == "dependency":
            package = rng.choice(names.DEPENDENCIES)
            minor = rng.randint(1, 30)
            title = f"Bump {package} from 1.{minor}.0 to 1.{minor + 1}.0"
            return title, f"dependabot/{package}-1.{minor + 1}.0", ["dependencies"]
        if kind == "revert" and reverts is not None:
            return f'Revert "{reverts.title}"', f"revert-{reverts.number}", ["revert"]
        if kind == "hotfix":
            thing = rng.choice(names.OBJECTS)
            return f"hotfix: {thing}", f"hotfix/{thing.replace(' ', '-')}", ["hotfix"]
        verb = "Fix" if kind == "fix" else rng.choice(names.VERBS)
        thing = rng.choice(names.OBJECTS)
        labels = ["bug"] if kind == "fix" else (["enhancement"] if rng.random() < 0.4 else [])
        return f"{verb} {thing}", f"{verb.lower().replace(' ', '-')}/{number}", labels

    def draw_files(
        self, repository: Repository, kind: str, reverts: PullRequest | None
    ) -> list[ChangedFile]:
        rng = self.rng
        if reverts is not None:
            return [ChangedFile(f.path, f.deletions, f.additions) for f in reverts.files]
        if kind == "dependency":
            lock = "requirements.lock" if repository.language == "Python" else "package-lock.json"
            return [ChangedFile(lock, rng.randint(2, 400), rng.randint(2, 400))]
        # Log-normal sizes: most changes are small, a few are huge.
        lines = max(1, min(20_000, round(math.exp(rng.gauss(3.9, 1.3)))))
        file_count = max(1, min(60, lines // 8 + 1, round(math.exp(rng.gauss(0.9, 0.8)))))
        # GitHub lists each changed path once
        paths = list(dict.fromkeys(rng.sample(self.paths[repository.name], k=min(file_count, 48))))
        files = []
        remaining = lines
        for index, path in enumerate(paths):
            share = remaining if index == len(paths) - 1 else rng.randint(0, remaining)
            remaining -= share
            deletions = round(share * rng.random() * 0.5)
            files.append(ChangedFile(path, share - deletions, deletions))
        return files

    def push_commits(
        self,
        repository: Repository,
        pr: PullRequest,
        author: Member,
        start: datetime,
        end: datetime,
        count: int,
        quiet: bool = False,
    ) -> None:
        span = max((end - start).total_seconds(), 60.0)
        parent = pr.commits[-1].oid if pr.commits else repository.head_oid
        for index in range(count):
            authored = start + timedelta(seconds=span * (index + 1) / (count + 1))
            oid = self.new_oid(repository)
            message = pr.title if index == 0 and not pr.commits else "Address review"
            style = self.ai_style(author.login, authored) if not author.is_bot else "none"
            trailer = ai_adoption.trailer_for(self.config.seed, oid, style)
            if trailer is not None:
                message = f"{message}\n\n{trailer}"
            pr.commits.append(
                Commit(
                    oid=oid,
                    message=message,
                    author=AGENT if pr.author == AGENT else author.login,
                    authored_at=authored,
                    committed_at=authored,
                    parents=(parent,),
                    pull_number=pr.number,
                )
            )
            parent = oid
        if not quiet:
            pr.updated_at = end
        self.run_ci(repository, pr, end)

    def push_later(
        self,
        repository: Repository,
        pr: PullRequest,
        author: Member,
        start: datetime,
        count: int,
        when: datetime,
    ) -> None:
        self.push_commits(repository, pr, author, start, when, count)

    def plan_life(
        self, repository: Repository, pr: PullRequest, author: Member, opened: datetime
    ) -> None:
        rng = self.rng
        fast = pr.kind in ("hotfix", "revert")
        ready = opened
        if not author.is_bot and not fast and rng.random() < 0.15:
            pr.is_draft = True
            ready = self.working_time(opened + _lognormal_hours(rng, 5.0, 1.0), author)
            self.at(ready, lambda t: self.mark_ready(pr, author, t))
        if rng.random() < 0.03 and not fast:
            return  # abandoned: opened and never looked at again
        reviewers = self.reviewers_for(author, 1 if fast or rng.random() < 0.6 else 2)
        for reviewer in reviewers:
            self.at(ready, partial(self.request_review, pr, author, reviewer))
        if repository.name in self.greptile_repos and self.config.bots and not author.is_bot:
            bot = self.member(GREPTILE)
            # With AI on, Greptile reviews from the day it was installed on the repository.
            keep = not self.config.ai or ready >= ai_adoption.greptile_installed(
                self.config.seed, repository.name, self.start, self.config.now
            )
            self.at(ready + rng.uniform(2, 8) * MINUTE, lambda t: self.bot_review(pr, bot, t, keep))
        if (
            self.config.ai
            and self.config.bots
            and not author.is_bot
            and ai_adoption.coderabbit_reviews(
                self.config.seed, pr.id, ready, self.start, self.config.now
            )
        ):
            rabbit = self.member(CODERABBIT)
            later = (
                ready + (3 + 10 * ai_adoption.chance(self.config.seed, "rabbit", pr.id)) * MINUTE
            )
            self.at(later, partial(self.in_ai, partial(self.bot_review, pr, rabbit)))
        # AI-assisted pull requests wait longer for their reviews (larger, less familiar code).
        heavy = self.config.ai_flow and self.ai_style(author.login, opened) == "heavy"
        slower = 1.4 if heavy and not fast else 1.0
        rounds = 1 if fast or author.is_bot else min(4, 1 + int(rng.expovariate(1.2)))
        moment = ready
        lead = reviewers[0]
        for round_index in range(rounds):
            delay = lead.review_median_hours * (0.15 if fast else slower)
            moment = self.working_time(moment + _lognormal_hours(rng, delay, 0.9), lead)
            final = round_index == rounds - 1
            if final:
                self.at(moment, partial(self.review, repository, pr, lead, "APPROVED"))
                for other in reviewers[1:]:
                    later = self.working_time(moment + _lognormal_hours(rng, 1.5, 1.0), other)
                    state = "APPROVED" if rng.random() < 0.7 else "COMMENTED"
                    self.at(later, partial(self.review, repository, pr, other, state))
                    moment = max(moment, later)
            else:
                state = "CHANGES_REQUESTED" if rng.random() < 0.6 else "COMMENTED"
                self.at(moment, partial(self.review, repository, pr, lead, state))
                fixed = self.working_time(moment + _lognormal_hours(rng, 2.0, 1.0), author)
                commits = rng.choice((1, 1, 2, 3))
                self.at(fixed, partial(self.push_later, repository, pr, author, moment, commits))
                self.at(fixed + MINUTE, partial(self.request_review, pr, author, lead))
                moment = fixed + MINUTE
        for _ in range(min(6, int(rng.expovariate(1.0)))):
            speaker = rng.choice([author, *reviewers]) if not author.is_bot else reviewers[0]
            said = opened + (moment - opened) * rng.random()
            self.at(said, partial(self.comment, pr, speaker))
        if (author.is_bot and rng.random() < 0.2) or rng.random() < 0.06:
            closed = moment + _lognormal_hours(rng, 20.0, 1.0)
            self.at(closed, lambda t: self.close(repository, pr, t))
            return
        merged = self.working_time(moment + _lognormal_hours(rng, 0.3 if fast else 1.2, 1.0), lead)
        merger = author if not author.is_bot else lead
        self.at(merged, lambda t: self.merge(repository, pr, merger, t))

    # --- steps ------------------------------------------------------------------------------
    def event(self, pr: PullRequest, kind: str, actor: str, when: datetime, **extra: str) -> None:
        event_id = self.new_id("Event")
        pr.timeline.append(
            TimelineEvent(
                id=event_id,
                node_id=node_id("Event", event_id),
                type=kind,
                actor=actor,
                created_at=when,
                requested_reviewer=extra.get("requested_reviewer"),
            )
        )
        pr.updated_at = max(pr.updated_at, when)

    def mark_ready(self, pr: PullRequest, author: Member, when: datetime) -> None:
        if pr.closed_at is not None:
            return
        pr.is_draft = False
        self.event(pr, "READY_FOR_REVIEW_EVENT", author.login, when)

    def request_review(
        self, pr: PullRequest, author: Member, reviewer: Member, when: datetime
    ) -> None:
        if pr.closed_at is not None:
            return
        if reviewer.login not in pr.requested_reviewers:
            pr.requested_reviewers.append(reviewer.login)
        self.event(
            pr, "REVIEW_REQUESTED_EVENT", author.login, when, requested_reviewer=reviewer.login
        )

    def review(
        self, repository: Repository, pr: PullRequest, reviewer: Member, state: str, when: datetime
    ) -> None:
        if pr.closed_at is not None:
            return
        rng = self.rng
        review_id = self.new_id("Review")
        pr.reviews.append(
            Review(
                id=review_id,
                node_id=node_id("Review", review_id),
                author=reviewer.login,
                state=state,
                body="" if state == "APPROVED" and rng.random() < 0.7 else "Left a few notes.",
                submitted_at=when,
                commit_oid=pr.head_oid,
            )
        )
        if reviewer.login in pr.requested_reviewers:
            pr.requested_reviewers.remove(reviewer.login)
        remarks = 0 if state == "APPROVED" else rng.randint(1, 5)
        for _ in range(remarks):
            self.review_comment(pr, reviewer.login, review_id, when)
        pr.updated_at = max(pr.updated_at, when)

    def review_comment(self, pr: PullRequest, author: str, review_id: int, when: datetime) -> None:
        rng = self.rng
        comment_id = self.new_id("ReviewComment")
        path = rng.choice(pr.files).path if pr.files else "README.md"
        pr.review_comments.append(
            ReviewComment(
                id=comment_id,
                node_id=node_id("ReviewComment", comment_id),
                review_id=review_id,
                author=author,
                body=rng.choice(names.REVIEW_REMARKS),
                path=path,
                line=rng.randint(1, 300),
                created_at=when,
                updated_at=when,
                commit_oid=pr.head_oid,
                thread_id=comment_id,
            )
        )

    def bot_review(self, pr: PullRequest, bot: Member, when: datetime, keep: bool = True) -> None:
        """A review bot's summary and remarks. `keep=False`: the review is drawn (so the random
        stream stays as it was) and then taken back, as if the bot was not installed yet."""
        if pr.closed_at is not None:
            return
        reviews, remarks, updated = len(pr.reviews), len(pr.review_comments), pr.updated_at
        review_id = self.new_id("Review")
        summary = "Greptile summary" if bot.login == GREPTILE else "Walkthrough"
        pr.reviews.append(
            Review(
                id=review_id,
                node_id=node_id("Review", review_id),
                author=bot.login,
                state="COMMENTED",
                body=f"{summary}: this change looks consistent with the codebase.",
                submitted_at=when,
                commit_oid=pr.head_oid,
            )
        )
        for _ in range(self.rng.randint(0, 3)):
            self.review_comment(pr, bot.login, review_id, when)
        pr.updated_at = max(pr.updated_at, when)
        if not keep:
            del pr.reviews[reviews:], pr.review_comments[remarks:]
            pr.updated_at = updated

    def comment(self, pr: PullRequest, speaker: Member, when: datetime) -> None:
        comment_id = self.new_id("IssueComment")
        pr.comments.append(
            IssueComment(
                id=comment_id,
                node_id=node_id("IssueComment", comment_id),
                author=speaker.login,
                body=self.rng.choice(names.COMMENT_REMARKS),
                created_at=when,
                updated_at=when,
            )
        )
        pr.updated_at = max(pr.updated_at, when)

    def close(self, repository: Repository, pr: PullRequest, when: datetime) -> None:
        if pr.closed_at is not None:
            return
        pr.closed_at = when
        pr.updated_at = when
        if self.linear is not None:
            self.linear.pull_request_closed(repository, pr, when)

    def merge(
        self, repository: Repository, pr: PullRequest, merger: Member, when: datetime
    ) -> None:
        if pr.closed_at is not None:
            return
        rng = self.rng
        pr.is_draft = False
        parent = repository.head_oid
        oid = self.new_oid(repository)
        if repository.merge_style == "merge":
            repository.history.extend(pr.commits)
            commit = Commit(
                oid=oid,
                message=f"Merge pull request #{pr.number} from {self.org.login}/{pr.head_ref}"
                f"\n\n{pr.title}",
                author=merger.login,
                authored_at=when,
                committed_at=when,
                parents=(parent, pr.head_oid),
                pull_number=pr.number,
            )
        else:
            commit = Commit(
                oid=oid,
                message=f"{pr.title} (#{pr.number})",
                author=pr.author,
                authored_at=when,
                committed_at=when,
                parents=(parent,),
                additions=pr.additions,
                deletions=pr.deletions,
                pull_number=pr.number,
            )
        repository.history.append(commit)
        repository.pushed_at = when
        pr.merged_at = pr.closed_at = pr.updated_at = when
        pr.merged_by = merger.login
        pr.merge_commit_oid = oid
        if self.linear is not None:
            self.linear.pull_request_merged(repository, pr, when)
        self.run_workflow(repository, "CI", "push", repository.default_branch, oid, merger, when)
        if repository.kind == "service":
            self.deploy(repository, "Deploy to staging", merger, when + rng.uniform(1, 4) * MINUTE)
            if self.deploy_style[repository.name] == "continuous":
                later = when + rng.uniform(5, 25) * MINUTE
                self.at(later, lambda t: self.deploy(repository, "Deploy to production", merger, t))
        if pr.kind not in ("revert", "dependency") and rng.random() < 0.03:
            reverter = rng.choice(self.humans)
            later = when + _lognormal_hours(rng, 6.0, 1.0)
            self.at(
                later,
                lambda t: self.open_pull_request(repository, reverter, t, "revert", reverts=pr),
            )
            self.issues.revert_planned(repository, pr, when, later)

    # --- CI, deployments, releases ----------------------------------------------------------
    def run_ci(self, repository: Repository, pr: PullRequest, when: datetime) -> None:
        actor = self.member(pr.author)
        run = self.run_workflow(
            repository, "CI", "pull_request", pr.head_ref, pr.head_oid, actor, when
        )
        run.pull_number = pr.number

    def run_workflow(
        self,
        repository: Repository,
        name: str,
        event: str,
        branch: str,
        sha: str,
        actor: Member,
        when: datetime,
        failure_rate: float = 0.1,
        finishes_itself: bool = True,
    ) -> WorkflowRun:
        rng = self.rng
        workflow = self.workflow(repository, name)
        run_id = self.new_id("WorkflowRun")
        number = self.run_numbers.get(workflow.id, 0) + 1
        self.run_numbers[workflow.id] = number
        run = WorkflowRun(
            id=run_id,
            node_id=node_id("WorkflowRun", run_id),
            workflow_id=workflow.id,
            name=name,
            run_number=number,
            event=event,
            head_branch=branch,
            head_sha=sha,
            actor=actor.login,
            created_at=when,
            attempts=[RunAttempt(attempt=1, started_at=when)],
        )
        repository.workflow_runs.append(run)
        if finishes_itself:
            conclusion = "failure" if rng.random() < failure_rate else "success"
            done = when + rng.uniform(2, 14) * MINUTE
            self.at(done, lambda t: self.finish_attempt(run, conclusion, t))
        return run

    def finish_attempt(self, run: WorkflowRun, conclusion: str, when: datetime) -> None:
        attempt = run.attempts[-1]
        attempt.conclusion = conclusion
        attempt.completed_at = when

    def schedule_deploy_cycle(self, repository: Repository, after: datetime) -> None:
        """Daily production deployments (service repositories) or releases (libraries)."""
        deployer = self.humans[repository.id % len(self.humans)]
        day = (after + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        when = day + self.rng.uniform(0, 60) * MINUTE

        def cycle(moment: datetime) -> None:
            if repository.kind == "library":
                if self.rng.random() < 0.2:
                    self.release(repository, deployer, moment)
            elif self.deploy_style[repository.name] == "daily":
                self.deploy(repository, "Deploy to production", deployer, moment)
            self.schedule_deploy_cycle(repository, moment)

        self.at(when, cycle)

    def deploy(
        self, repository: Repository, workflow_name: str, actor: Member, when: datetime
    ) -> None:
        rng = self.rng
        workflow = self.workflow(repository, workflow_name)
        environment = workflow.deploys_to or "production"
        production = environment == "production"
        sha = repository.head_oid
        if self.shipped.get(f"{repository.name}:{environment}") == sha:
            return  # nothing new to ship
        self.shipped[f"{repository.name}:{environment}"] = sha
        run = self.run_workflow(
            repository,
            workflow_name,
            "push",
            repository.default_branch,
            sha,
            actor,
            when,
            finishes_itself=False,
        )
        failed = rng.random() < (0.1 if production else 0.04)
        self.deployment_attempt(repository, run, sha, environment, actor, when, failed, 1)

    def deployment_attempt(
        self,
        repository: Repository,
        run: WorkflowRun,
        sha: str,
        environment: str,
        actor: Member,
        when: datetime,
        failed: bool,
        attempt: int,
    ) -> None:
        rng = self.rng
        deployment_id = self.new_id("Deployment")
        deployment = Deployment(
            id=deployment_id,
            node_id=node_id("Deployment", deployment_id),
            sha=sha,
            ref=repository.default_branch,
            task="deploy",
            environment=environment,
            description=f"{run.name} run {run.run_number}, attempt {attempt}",
            creator=ACTIONS_BOT if self.config.bots else actor.login,
            created_at=when,
            run_id=run.id,
        )
        repository.deployments.append(deployment)
        self.deployment_status(deployment, "in_progress", when)
        finished = when + rng.uniform(3, 12) * MINUTE

        def finish(moment: datetime) -> None:
            self.deployment_status(deployment, "failure" if failed else "success", moment)
            self.finish_attempt(run, "failure" if failed else "success", moment)
            if environment == "production":
                self.production_finished(repository, deployment, moment, failed, attempt)
            if failed and attempt == 1 and environment == "production":
                self.plan_hotfix(repository, moment)  # some teams fix forward
            if not failed or attempt >= 3:
                return
            # A failed deployment is re-run (a new attempt of the same run) after a look.
            retry = moment + rng.uniform(10, 45) * MINUTE

            def rerun(again: datetime) -> None:
                run.attempts.append(RunAttempt(attempt=attempt + 1, started_at=again))
                still_failing = rng.random() < 0.25
                self.deployment_attempt(
                    repository, run, sha, environment, actor, again, still_failing, attempt + 1
                )

            self.at(retry, rerun)

        # The run's first attempt completes with the deployment, not on its own timer.
        self.at(finished, finish)

    def production_finished(
        self,
        repository: Repository,
        deployment: Deployment,
        when: datetime,
        failed: bool,
        attempt: int,
    ) -> None:
        """Incidents follow production: opened after a failure (in GitHub issues or, when
        none was opened there, sometimes in Linear), resolved by a later success."""
        linear = self.linear
        if failed and attempt == 1:
            reported = self.issues.deployment_failed(repository, deployment, when)
            if linear is not None and not reported:
                linear.deployment_failed(repository, deployment, when)
        elif not failed:
            self.issues.deployed(repository, deployment, when)
            if linear is not None:
                linear.deployed(repository, deployment, when)

    def deployment_status(self, deployment: Deployment, state: str, when: datetime) -> None:
        status_id = self.new_id("DeploymentStatus")
        deployment.statuses.append(
            DeploymentStatus(
                id=status_id,
                node_id=node_id("DeploymentStatus", status_id),
                state=state,
                creator=deployment.creator,
                description=f"Deployment {state.replace('_', ' ')}",
                created_at=when,
            )
        )

    def plan_hotfix(self, repository: Repository, when: datetime) -> None:
        if self.rng.random() < 0.5:
            return
        fixer = self.rng.choice(self.humans)
        opened = when + self.rng.uniform(20, 90) * MINUTE
        self.at(opened, lambda t: self.open_pull_request(repository, fixer, t, "hotfix"))

    def release(self, repository: Repository, author: Member, when: datetime) -> None:
        previous = repository.releases[-1] if repository.releases else None
        if previous is not None and previous.target_commitish == repository.head_oid:
            return
        count = len(repository.releases)
        tag = f"v1.{count // 5}.{count % 5}"
        release_id = self.new_id("Release")
        repository.releases.append(
            Release(
                id=release_id,
                node_id=node_id("Release", release_id),
                tag_name=tag,
                name=tag,
                target_commitish=repository.head_oid,
                author=author.login,
                created_at=when - self.rng.uniform(1, 10) * MINUTE,
                published_at=when,
                body=f"Release {tag}",
                prerelease=self.rng.random() < 0.1,
            )
        )
        self.run_workflow(
            repository,
            "Release",
            "release",
            repository.default_branch,
            repository.head_oid,
            author,
            when,
        )
