"""Who in the demo organisation uses AI tools, how much, and since when.

Every decision is a pure function of the seed and a stable name (a login, a repository, a
pull request or commit id), drawn from a random source of its own: the GitHub simulation and
the AI picture (`veelocity.demo.ai`) ask the same questions and get the same answers, and the
simulation's own random stream is left as it was.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime

#: an AI agent account that opens pull requests on a developer's behalf
AGENT = "devin-ai-integration[bot]"
#: the AI review bot beside greptile-apps[bot]
CODERABBIT = "coderabbitai[bot]"
CO_AUTHOR_TRAILER = "Co-authored-by: Cursor Agent <cursoragent@cursor.com>"
MADE_WITH_TRAILER = "Made-with: Cursor"
#: fixed ids of the accounts the AI flag adds, below every generated user id
AI_ACCOUNT_IDS = {AGENT: 4_240_001, CODERABBIT: 4_240_002}

# Shares of people by style, and how styles shape their work.
NEVER_SHARE = 0.25
LIGHT_SHARE = 0.40  # the rest are heavy users
ACTIVE_DAY_CHANCE = {"light": 0.35, "heavy": 0.85}
TRAILER_CHANCE = {"light": 0.08, "heavy": 0.35}
AGENT_CHANCE = 0.12  # of a heavy user's feature and fix pull requests
SIZE_FACTOR = {"light": 1.25, "heavy": 1.7}  # more lines per AI-assisted pull request
AI_LINE_SHARE = {"light": (0.05, 0.35), "heavy": (0.3, 0.85)}
CODERABBIT_FINAL_SHARE = 0.55  # of pull requests at `now`, from none at the start
TRACKED_REPOSITORY_SHARE = 0.5


def draw(seed: int, *parts: object) -> random.Random:
    """A random source for one named question, the same whenever it is asked."""
    key = ":".join(str(part) for part in (seed, "ai", *parts))
    digest = hashlib.sha256(key.encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311  # demo data


def chance(seed: int, *parts: object) -> float:
    return draw(seed, *parts).random()


@dataclass(frozen=True, slots=True)
class Adoption:
    """One person's use of Cursor: `none`, `light` or `heavy`, from `since` on."""

    login: str
    style: str
    since: datetime | None

    def uses_on(self, moment: datetime) -> bool:
        return self.since is not None and moment >= self.since


def adoption_of(seed: int, login: str, start: datetime, now: datetime) -> Adoption:
    """Heavy users start early in the window, light users spread over it: adoption grows."""
    rng = draw(seed, "adoption", login)
    roll = rng.random()
    span = now - start
    if roll < NEVER_SHARE:
        return Adoption(login, "none", None)
    if roll < NEVER_SHARE + LIGHT_SHARE:
        return Adoption(login, "light", start + span * (0.15 + 0.8 * rng.random()))
    return Adoption(login, "heavy", start + span * (0.02 + 0.5 * rng.random()))


def tracks_ai_code(seed: int, repository: str) -> bool:
    """Whether Cursor's AI code tracking reports the commits of this repository's team."""
    return chance(seed, "tracked", repository) < TRACKED_REPOSITORY_SHARE


def greptile_installed(seed: int, repository: str, start: datetime, now: datetime) -> datetime:
    """When Greptile started reviewing a repository: over the first half of the window."""
    return start + (now - start) * 0.5 * chance(seed, "greptile", repository)


def coderabbit_reviews(
    seed: int, pr_id: int, moment: datetime, start: datetime, now: datetime
) -> bool:
    """CodeRabbit reviews a growing share of pull requests: none at the start, most at `now`."""
    progress = max(0.0, min(1.0, (moment - start) / (now - start)))
    return chance(seed, "coderabbit", pr_id) < CODERABBIT_FINAL_SHARE * progress


def trailer_for(seed: int, oid: str, style: str) -> str | None:
    """The AI trailer a commit message ends with, if any."""
    rng = draw(seed, "trailer", oid)
    if rng.random() >= TRAILER_CHANCE.get(style, 0.0):
        return None
    return CO_AUTHOR_TRAILER if rng.random() < 0.5 else MADE_WITH_TRAILER


def agent_opens(seed: int, pr_id: int) -> bool:
    return chance(seed, "agent", pr_id) < AGENT_CHANCE


def ai_line_share(seed: int, oid: str, style: str) -> float:
    low, high = AI_LINE_SHARE.get(style, (0.0, 0.0))
    return low + (high - low) * chance(seed, "share", oid)
