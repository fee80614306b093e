"""The demo organisation's AI picture: its Cursor team and its Greptile account.

`DemoAi(org, seed)` reads a generated organisation (`veelocity.demo.generate`) and the
adoption plan of its seed (`veelocity.demo.ai_adoption`), and builds what Cursor and Greptile
would know about it:

- Cursor members are the organisation's people, with the same e-mails; a quarter never use
  Cursor; heavy users start early in the window and light users later, so adoption grows and
  teams cross half of their people at different dates;
- daily usage per member and UTC day (one row each, inactive days included), usage events for
  active days, and spend per billing cycle derived from usage-based requests;
- AI code tracking in one of two modes (`tracking`): `"teams"` — the team has the feature and
  Cursor reports the commits made in Cursor for the repositories of the teams that enabled it
  (about half), with the lines its AI wrote; `"none"` — the team has no AI code tracking, and
  the API answers 403 as Cursor does;
- Greptile's repositories (those greptile-apps[bot] reviews, indexed at their head; one more
  repository still processing and never indexed), its code reviews (one per greptile-apps[bot]
  review on GitHub) and the pull requests of those repositories.

`refresh()` rebuilds the picture when the organisation's clock has moved, so the live demo's
new commits, reviews and days of usage appear. The same organisation and seed give the same
picture.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from veelocity.demo.ai_adoption import (
    ACTIVE_DAY_CHANCE,
    AGENT,
    Adoption,
    adoption_of,
    ai_line_share,
    draw,
    greptile_installed,
    tracks_ai_code,
)
from veelocity.demo.ai_model import (
    AiCodeCommit,
    CursorMember,
    CursorTeam,
    DailyUsage,
    GreptileAccount,
    GreptileCodeReview,
    GreptileMergeRequest,
    GreptileRepository,
    UsageEvent,
)
from veelocity.demo.model import DemoOrganisation, PullRequest, Repository

GREPTILE_LOGIN = "greptile-apps[bot]"
TRACKING_MODES = ("teams", "none")
DAYS_PER_MONTH = 30.4
_MODELS = ("claude-4-sonnet", "gpt-5", "claude-4-opus", "auto")
_EXTENSIONS = (".ts", ".py", ".go", ".tsx", ".java")
#: how long after a commit Cursor's AI code tracking reports it
REPORT_DELAY = timedelta(minutes=20)
#: Greptile starts reviewing this soon after a pull request opens, and is done within the window
REVIEW_START = timedelta(minutes=1)
REVIEW_WINDOW = timedelta(minutes=8)


def window_start(org: DemoOrganisation, months: int) -> datetime:
    return org_now(org) - timedelta(days=months * DAYS_PER_MONTH)


def org_now(org: DemoOrganisation) -> datetime:
    simulation = org.simulation
    config = getattr(simulation, "config", None)
    return config.now if config is not None else org.now


class DemoAi:
    """The AI picture of ORG; `cursor` and `greptile` are rebuilt in place by `refresh()`."""

    def __init__(self, org: DemoOrganisation, seed: int, tracking: str = "teams") -> None:
        if tracking not in TRACKING_MODES:
            raise ValueError(f"tracking must be one of {TRACKING_MODES}")
        config = getattr(org.simulation, "config", None)
        months = config.months if config is not None else 6
        self.org = org
        self.seed = seed
        self.tracking = tracking
        # The adoption plan hangs off the generated window, as the simulation's does.
        self.now0 = org_now(org)
        self.start = self.now0 - timedelta(days=months * DAYS_PER_MONTH)
        self.cursor = CursorTeam(name=org.name, now=org.now, ai_code_tracking=tracking != "none")
        self.greptile = GreptileAccount(now=org.now)
        #: corrections of a member's day, applied over what the plan says: (email, day) -> fields
        self.corrections: dict[tuple[str, date], dict[str, object]] = {}
        self.built_at: datetime | None = None
        self.adoptions: dict[str, Adoption] = {}
        #: each finished day's usage and events, built once
        self.finished_days: dict[tuple[str, date], tuple[DailyUsage, list[UsageEvent]]] = {}
        self.refresh()

    def adoption(self, login: str) -> Adoption:
        found = self.adoptions.get(login)
        if found is None:
            found = self.adoptions[login] = adoption_of(self.seed, login, self.start, self.now0)
        return found

    def refresh(self) -> bool:
        """Rebuild when the organisation's clock moved a minute or more; True when rebuilt."""
        now = self.org.now
        if self.built_at is not None and now - self.built_at < timedelta(minutes=1):
            return False
        self.built_at = now
        self.cursor.now = self.greptile.now = now
        self.cursor.members = self._members()
        self.cursor.usage, self.cursor.events = self._usage(now)
        self.cursor.ai_commits = self._ai_commits(now) if self.cursor.ai_code_tracking else []
        self._build_greptile(now)
        return True

    def correct_usage(self, email: str, day: date, **fields: object) -> DailyUsage:
        """Change a member's day after the fact, as Cursor's aggregation corrects recent days."""
        self.corrections[(email, day)] = {**self.corrections.get((email, day), {}), **fields}
        self.finished_days.pop((email, day), None)
        self.built_at = None
        self.refresh()
        return next(u for u in self.cursor.usage if u.email == email and u.day == day)

    # --- Cursor -----------------------------------------------------------------------------
    def _humans(self) -> list[tuple[str, str, str]]:
        return [(m.login, m.name, m.email) for m in self.org.members if not m.is_bot]

    def _members(self) -> list[CursorMember]:
        return [
            CursorMember(
                id=1_000 + index,
                name=name,
                email=email,
                role="owner" if index == 0 else "member",
            )
            for index, (_login, name, email) in enumerate(self._humans())
        ]

    def _usage(self, now: datetime) -> tuple[list[DailyUsage], list[UsageEvent]]:
        rows: list[DailyUsage] = []
        events: list[UsageEvent] = []
        first = self.start.date()
        days = (now.date() - first).days + 1
        for login, _name, email in self._humans():
            adoption = self.adoption(login)
            for offset in range(days):
                day = first + timedelta(days=offset)
                kept = self.finished_days.get((email, day))
                if kept is None:
                    kept = self._day_with_events(adoption, email, day, now)
                    if day < now.date():  # a finished day stays as it is
                        self.finished_days[(email, day)] = kept
                rows.append(kept[0])
                events.extend(kept[1])
        return rows, events

    def _day_with_events(
        self, adoption: Adoption, email: str, day: date, now: datetime
    ) -> tuple[DailyUsage, list[UsageEvent]]:
        row = self._day(adoption, email, day, now)
        for key, value in self.corrections.get((email, day), {}).items():
            setattr(row, key, value)
        return row, self._events(row, now) if row.is_active else []

    def _day(self, adoption: Adoption, email: str, day: date, now: datetime) -> DailyUsage:
        noon = datetime.combine(day, time(12), tzinfo=UTC)
        if adoption.since is None or noon < adoption.since or day.weekday() >= 5:
            return DailyUsage(email=email, day=day, is_active=False)
        rng = draw(self.seed, "usage", adoption.login, day.isoformat())
        # New users ramp up over their first month.
        ramp = min(1.0, 0.4 + (noon - adoption.since) / timedelta(days=30))
        if rng.random() >= ACTIVE_DAY_CHANCE[adoption.style] * ramp:
            return DailyUsage(email=email, day=day, is_active=False)
        heavy = adoption.style == "heavy"
        # Today's usage so far only: Cursor aggregates as the day goes.
        so_far = (
            1.0
            if day < now.date()
            else max(0.05, (now - noon + timedelta(hours=12)) / timedelta(days=1))
        )
        scale = (3.5 if heavy else 1.0) * so_far
        tabs_shown = round(rng.uniform(60, 220) * scale)
        tabs_accepted = round(tabs_shown * rng.uniform(0.25, 0.45))
        applies = round(rng.uniform(4, 25) * scale)
        accepts = round(applies * rng.uniform(0.6, 0.9))
        accepted_added = round((tabs_accepted * rng.uniform(1, 3)) + accepts * rng.uniform(5, 25))
        total_added = accepted_added + round(rng.uniform(20, 300) * so_far)
        composer = round(rng.uniform(2, 15) * scale)
        chat = round(rng.uniform(3, 20) * scale)
        agent = round(rng.uniform(0, 12) * scale) if heavy else round(rng.uniform(0, 2) * so_far)
        requests = composer + chat + agent
        usage_based = max(0, requests - 45) if heavy else 0
        return DailyUsage(
            email=email,
            day=day,
            is_active=True,
            total_lines_added=total_added,
            total_lines_deleted=round(total_added * rng.uniform(0.2, 0.6)),
            accepted_lines_added=accepted_added,
            accepted_lines_deleted=round(accepted_added * rng.uniform(0.1, 0.4)),
            total_applies=applies,
            total_accepts=accepts,
            total_rejects=applies - accepts,
            total_tabs_shown=tabs_shown,
            total_tabs_accepted=tabs_accepted,
            composer_requests=composer,
            chat_requests=chat,
            agent_requests=agent,
            cmdk_usages=round(rng.uniform(0, 10) * scale),
            subscription_included_reqs=requests - usage_based,
            api_key_reqs=0,
            usage_based_reqs=usage_based,
            bugbot_usages=rng.randint(0, 3) if heavy else 0,
            most_used_model=rng.choice(_MODELS),
            apply_most_used_extension=rng.choice(_EXTENSIONS),
            tab_most_used_extension=rng.choice(_EXTENSIONS),
            client_version=f"1.{rng.randint(2, 7)}.{rng.randint(0, 9)}",
        )

    def _events(self, row: DailyUsage, now: datetime) -> list[UsageEvent]:
        rng = draw(self.seed, "events", row.email, row.day.isoformat())
        requests = row.composer_requests + row.chat_requests + row.agent_requests
        count = min(12, 1 + requests // 8)
        start = datetime.combine(row.day, time(8), tzinfo=UTC)
        events = []
        for index in range(count):
            moment = start + timedelta(seconds=rng.uniform(0, 10 * 3600))
            if moment > now:
                continue
            usage_based = index < row.usage_based_reqs
            token_based = rng.random() < 0.6
            input_tokens = rng.randint(100, 9_000) if token_based else 0
            output_tokens = rng.randint(50, 2_000) if token_based else 0
            events.append(
                UsageEvent(
                    timestamp=moment,
                    email=row.email,
                    model=row.most_used_model or _MODELS[0],
                    kind="Usage-based" if usage_based else "Included in Business",
                    max_mode=rng.random() < 0.3,
                    requests_costs=round(rng.choice((0.5, 1, 1.4, 2, 5)), 2),
                    token_based=token_based,
                    input_tokens=input_tokens,
                    output_tokens=output_tokens,
                    cache_write_tokens=rng.randint(0, 12_000) if token_based else 0,
                    cache_read_tokens=rng.randint(0, 12_000) if token_based else 0,
                    total_cents=round((input_tokens + output_tokens) * 0.0035, 5),
                )
            )
        return sorted(events, key=lambda e: e.timestamp)

    def _ai_commits(self, now: datetime) -> list[AiCodeCommit]:
        emails = {m.login: m.email for m in self.org.members if not m.is_bot}
        commits: list[AiCodeCommit] = []
        for repository in self.org.repositories:
            if not tracks_ai_code(self.seed, repository.name):
                continue
            for pr in repository.pull_requests:
                commits.extend(self._pr_ai_commits(repository, pr, emails, now))
        return sorted(commits, key=lambda c: (c.commit_ts, c.commit_hash))

    def _pr_ai_commits(
        self, repository: Repository, pr: PullRequest, emails: dict[str, str], now: datetime
    ) -> list[AiCodeCommit]:
        made_by = [c for c in pr.commits if c.author in emails]
        if not made_by:
            return []
        # GitHub gives lines per pull request; Cursor counts them per commit.
        added = _split(pr.additions, len(pr.commits))
        deleted = _split(pr.deletions, len(pr.commits))
        found = []
        for index, commit in enumerate(pr.commits):
            adoption = self.adoption(commit.author) if commit.author in emails else None
            reported = commit.committed_at + REPORT_DELAY
            if adoption is None or not adoption.uses_on(commit.committed_at) or reported > now:
                continue
            share = ai_line_share(self.seed, commit.oid, adoption.style)
            ai_added = round(added[index] * share)
            tab_added = round(ai_added * 0.35)
            found.append(
                AiCodeCommit(
                    commit_hash=commit.oid,
                    user_id=_user_id(emails[commit.author]),
                    user_email=emails[commit.author],
                    repo_name=repository.full_name,
                    branch_name=pr.head_ref,
                    is_primary_branch=False,
                    total_lines_added=added[index],
                    total_lines_deleted=deleted[index],
                    tab_lines_added=tab_added,
                    tab_lines_deleted=0,
                    composer_lines_added=ai_added - tab_added,
                    composer_lines_deleted=0,
                    non_ai_lines_added=added[index] - ai_added,
                    non_ai_lines_deleted=deleted[index],
                    message=commit.message.split("\n", 1)[0],
                    commit_ts=commit.committed_at,
                    created_at=reported,
                )
            )
        return found

    # --- Greptile ---------------------------------------------------------------------------
    def _build_greptile(self, now: datetime) -> None:
        account = self.greptile
        account.repositories, account.merge_requests, account.code_reviews = [], [], []
        reviewed = [
            r
            for r in self.org.repositories
            if any(v.author == GREPTILE_LOGIN for pr in r.pull_requests for v in pr.reviews)
        ]
        for repository in self.org.repositories:
            if repository in reviewed:
                files = 40 + repository.id % 200
                account.repositories.append(
                    GreptileRepository(
                        remote="github",
                        repository=repository.full_name,
                        branch=repository.default_branch,
                        private=True,
                        status="completed",
                        files_processed=files,
                        num_files=files,
                        sha=repository.head_oid,
                    )
                )
                self._reviews_of(repository, now)
        others = [r for r in self.org.repositories if r not in reviewed]
        if others:  # submitted for indexing, and never finished
            stuck = others[0]
            account.repositories.append(
                GreptileRepository(
                    remote="github",
                    repository=stuck.full_name,
                    branch=stuck.default_branch,
                    private=True,
                    status="processing",
                    files_processed=7,
                    num_files=40 + stuck.id % 200,
                    sha=None,
                )
            )

    def _reviews_of(self, repository: Repository, now: datetime) -> None:
        account = self.greptile
        for pr in repository.pull_requests:
            bot_reviews = [v for v in pr.reviews if v.author == GREPTILE_LOGIN]
            human_comments = sum(1 for c in pr.comments if not c.author.endswith("[bot]"))
            account.merge_requests.append(
                GreptileMergeRequest(
                    id=str(pr.id),
                    number=pr.number,
                    title=pr.title,
                    state=pr.state,
                    is_draft=pr.is_draft,
                    author_login=pr.author,
                    source_branch=pr.head_ref,
                    target_branch=pr.base_ref,
                    repository=repository.full_name,
                    remote="github",
                    changed_files=len(pr.files),
                    additions=pr.additions,
                    deletions=pr.deletions,
                    comments_count=human_comments + len(pr.review_comments),
                    reviews_count=len(pr.reviews),
                    created_at=pr.created_at,
                )
            )
            for index, review in enumerate(bot_reviews):
                comments = sum(1 for c in pr.review_comments if c.review_id == review.id)
                account.code_reviews.append(
                    self._code_review(repository, pr, index, review.submitted_at, comments)
                )
            if not bot_reviews and pr.kind != "dependency" and not pr.is_draft:
                self._unfinished_review(repository, pr, now)

    def _unfinished_review(self, repository: Repository, pr: PullRequest, now: datetime) -> None:
        """Greptile starts a review a minute after a pull request opens and posts it minutes
        later: until then it is in progress. A pull request nobody ever looks at (abandoned at
        once) keeps it unfinished: Greptile skipped it."""
        config = getattr(self.org.simulation, "config", None)
        installed = self.start
        if config is not None and config.ai:
            installed = greptile_installed(self.seed, repository.name, self.start, self.now0)
        if pr.state != "open" or pr.created_at < installed or now < pr.created_at + REVIEW_START:
            return
        if now < pr.created_at + REVIEW_WINDOW:
            self.greptile.code_reviews.append(self._code_review(repository, pr, 0, None, 0))
            return
        requested = any(e.type == "REVIEW_REQUESTED_EVENT" for e in pr.timeline)
        if not pr.reviews and not requested:
            skipped = self._code_review(repository, pr, 0, None, 0)
            skipped.status = "SKIPPED"
            self.greptile.code_reviews.append(skipped)

    def _code_review(
        self,
        repository: Repository,
        pr: PullRequest,
        index: int,
        completed: datetime | None,
        comments: int,
    ) -> GreptileCodeReview:
        """The INDEX-th review of PR; its id stays the same from in progress to completed."""
        return GreptileCodeReview(
            id=str(pr.id * 10 + index),
            repository=repository.full_name,
            remote="github",
            default_branch=repository.default_branch,
            pr_number=pr.number,
            pr_title=pr.title,
            status="COMPLETED" if completed is not None else "REVIEWING_FILES",
            created_at=min(pr.created_at + REVIEW_START, completed or pr.created_at + REVIEW_START),
            completed_at=completed,
            comments_count=comments,
        )

    @property
    def agent_pull_requests(self) -> list[PullRequest]:
        return [pr for r in self.org.repositories for pr in r.pull_requests if pr.author == AGENT]


def _split(total: int, parts: int) -> list[int]:
    """TOTAL lines over PARTS commits, the first taking the remainder."""
    if parts <= 0:
        return []
    share, rest = divmod(total, parts)
    return [share + rest] + [share] * (parts - 1)


def _user_id(email: str) -> str:
    digest = hashlib.sha256(email.encode()).hexdigest()
    return f"user_{digest[:26]}"
