"""A generated Linear workspace on its own: `generate_workspace(LinearConfig(...))`.

The same configuration always gives the same workspace. Its issues arrive over `months`
before `now` and live their lives through the tracker's queue (see `linear_tracker`), so the
workspace at `now` holds issues in every state, with their full history, in two-week cycles.
The demo organisation builds its workspace with the same tracker, linked to its pull
requests (`veelocity.demo.linear_links`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from veelocity.demo import names
from veelocity.demo.config import DEFAULT_NOW
from veelocity.demo.linear_model import LinearTeam, LinearWorkspace
from veelocity.demo.linear_tracker import LinearTracker, slug, team_names

DAYS_PER_MONTH = 30.4


@dataclass(frozen=True, slots=True)
class LinearConfig:
    seed: int = 42
    teams: int = 4
    #: issues created over the window, in all teams together
    issues: int = 2_000
    months: int = 6
    now: datetime = DEFAULT_NOW
    #: people in the workspace; by default six per team
    users: int | None = None
    name: str = "Acme"

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("LinearConfig.now must be timezone-aware")
        if self.teams < 1 or self.months < 1 or self.issues < 0:
            raise ValueError("LinearConfig needs at least 1 team, 1 month and no negative count")


class _Queue:
    """Steps in time order, run up to a moment (the standalone twin of the demo's queue)."""

    def __init__(self) -> None:
        self.heap: list[tuple[datetime, int, Callable[[datetime], object]]] = []
        self.sequence = 0

    def at(self, when: datetime, step: Callable[[datetime], object]) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (when, self.sequence, step))

    def run_until(self, moment: datetime) -> None:
        heap = self.heap
        while heap and heap[0][0] <= moment:
            when, _, step = heapq.heappop(heap)
            step(when)


def _arrive(tracker: LinearTracker, team: LinearTeam, when: datetime) -> None:
    tracker.open_ordinary(team, when)


def generate_workspace(config: LinearConfig | None = None) -> LinearWorkspace:
    """The workspace's history from `config.months` before `config.now` up to `now`."""
    config = config or LinearConfig()
    start = config.now - timedelta(days=config.months * DAYS_PER_MONTH)
    queue = _Queue()
    tracker = LinearTracker(config.seed, start, queue.at, config.name)
    rng = tracker.rng
    domain = slug(config.name, 20) or "example"
    people = config.users or 6 * config.teams
    users = []
    for index in range(people):
        first = names.FIRST_NAMES[index % len(names.FIRST_NAMES)]
        last = names.LAST_NAMES[
            (index * 7 + index // len(names.FIRST_NAMES)) % len(names.LAST_NAMES)
        ]
        handle = f"{first}.{last}".lower() + (str(index) if index >= len(names.FIRST_NAMES) else "")
        users.append(tracker.add_user(f"{first} {last}", handle, f"{handle}@{domain}.example"))
    teams = []
    for index, (team_name, key) in enumerate(team_names(config.teams)):
        members = [u for position, u in enumerate(users) if position % config.teams == index]
        # Everyone is in one team, a few people in two.
        members += rng.sample(users, k=min(len(users), 1 + people // (4 * config.teams)))
        teams.append(tracker.add_team(team_name, key, list({m.id: m for m in members}.values())))
    # Arrivals: uniform over the window, teams of different sizes.
    weights = [rng.uniform(0.5, 1.5) for _ in teams]
    span = (config.now - start).total_seconds()
    arrivals = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(config.issues))
    chosen = rng.choices(teams, weights=weights, k=config.issues)
    for when, team in zip(arrivals, chosen, strict=True):
        queue.at(when, partial(_arrive, tracker, team))
    queue.run_until(config.now)
    tracker.settle_projects(config.now)
    tracker.workspace.now = config.now
    return tracker.workspace
