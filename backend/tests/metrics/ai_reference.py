"""A plain-Python reference of the AI facts and figures, read from the raw tables, written
from docs/metrics.md and docs/ai-impact.md without the engine's code."""

from __future__ import annotations

import fnmatch
import random
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.models import (
    AiCommit,
    CommitTrailer,
    CursorDailyUsage,
    CursorMember,
    Deployment,
    Developer,
    GreptileReview,
    PullRequest,
    PullRequestCommit,
    PullRequestEvent,
    Repository,
)

AGENTS = ["copilot-swe-agent*", "devin-ai-integration*", "codex*", "claude*"]
LABELS = ["ai", "ai-*", "copilot", "cursor"]
BOTS = [
    "greptile-apps[bot]",
    "greptile-apps",
    "coderabbitai[bot]",
    "copilot-pull-request-reviewer[bot]",
    "cursor[bot]",
    "sourcery-ai[bot]",
]


def _like(name: str | None, patterns: list[str]) -> bool:
    if not name:
        return False
    for pattern in patterns:
        regex = pattern.lower().replace("[", "[[]")
        if fnmatch.fnmatchcase(name.lower(), regex):
            return True
    return False


def judge(session: Session) -> dict[int, dict[str, Any]]:
    """Per PR: assisted, the evidence kinds, the AI share, reviewed and the first bot."""
    result = {}
    tracked = {}
    for sha, ai, total in session.execute(
        select(AiCommit.sha, AiCommit.ai_lines_added, AiCommit.total_lines_added)
    ):
        tracked[sha] = (ai, total)
    active = defaultdict(set)
    for login, day, is_active in session.execute(
        select(Developer.login, CursorDailyUsage.day, CursorDailyUsage.is_active)
        .join(CursorMember, CursorMember.developer_id == Developer.id)
        .join(CursorDailyUsage, CursorDailyUsage.member_id == CursorMember.id)
    ):
        if is_active:
            active[login].add(day)
    for pr in session.scalars(select(PullRequest).order_by(PullRequest.id)):
        repository = session.get(Repository, pr.repository_id)
        commits = list(
            session.execute(
                select(PullRequestCommit.sha, PullRequestCommit.authored_at).where(
                    PullRequestCommit.pull_request_id == pr.id
                )
            )
        )
        ai_lines = total_lines = 0
        known = False
        for sha, _ in commits:
            if sha in tracked:
                known = True
                ai_lines += tracked[sha][0]
                total_lines += tracked[sha][1]
        share = min(1.0, ai_lines / total_lines) if known and total_lines else None
        kinds = []
        if share is not None and share >= 0.25:
            kinds.append("ai_share")
        trailers = session.scalars(
            select(CommitTrailer.key).where(CommitTrailer.pull_request_id == pr.id)
        ).all()
        kinds += ["trailer"] * len(trailers)
        if _like(pr.author_login, AGENTS):
            kinds.append("agent_author")
        kinds += ["label" for label in pr.labels or [] if _like(label, LABELS)]
        commit_days = {at.date() for _, at in commits if at is not None}
        same_days = commit_days & active.get(pr.author_login or "", set())
        low = ["same_day_usage"] * len(same_days)
        reviews = [
            (at, login)
            for login, at, kind in session.execute(
                select(
                    PullRequestEvent.actor_login, PullRequestEvent.at, PullRequestEvent.kind
                ).where(PullRequestEvent.pull_request_id == pr.id)
            )
            if kind in ("review", "review_comment") and _like(login, BOTS)
        ]
        for status, created, completed in session.execute(
            select(
                GreptileReview.status, GreptileReview.created_at, GreptileReview.completed_at
            ).where(
                GreptileReview.repository_name == repository.full_name,
                GreptileReview.pull_request_number == pr.number,
            )
        ):
            if status == "COMPLETED" and (completed or created) is not None:
                reviews.append((completed or created, "greptile-apps[bot]"))
        reviews.sort()
        merged = pr.merged_at
        result[pr.id] = {
            "assisted": "high" if kinds else "low" if low else "none",
            "kinds": sorted(kinds + low),
            "ai_share": share,
            "reviewed": any(merged is None or at <= merged for at, _ in reviews),
            "review_bot": reviews[0][1] if reviews else None,
        }
    return result


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    if n % 2:
        return float(ordered[n // 2])
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _share(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _quantile(ordered: list[float], fraction: float) -> float:
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _resample_median(ordered: list[float], rng: random.Random) -> float:
    """A resample's median from the order statistics of n uniform positions (docs: the
    k-th smallest of n uniforms is Beta(k, n - k + 1))."""
    n = len(ordered)
    k = (n + 1) // 2
    u = rng.betavariate(k, n - k + 1)
    first = ordered[min(n - 1, int(u * n))]
    if n % 2 == 1:
        return first
    v = u + (1 - u) * rng.betavariate(1, n - k)
    return (first + ordered[min(n - 1, int(v * n))]) / 2


def _compare(ai: list[float], other: list[float], statistic: Any) -> tuple[Any, ...]:
    a, b = statistic(ai), statistic(other)
    if len(ai) < 20 or len(other) < 20:
        return (len(ai), len(other), a, b, None, None, None)
    rng = random.Random(15)
    ai, other = sorted(ai), sorted(other)
    diffs = []
    for _ in range(1000):
        if statistic is _median:
            diffs.append(_resample_median(ai, rng) - _resample_median(other, rng))
        else:
            diffs.append(
                statistic(rng.choices(ai, k=len(ai))) - statistic(rng.choices(other, k=len(other)))
            )
    diffs.sort()
    return (len(ai), len(other), a, b, a - b, _quantile(diffs, 0.025), _quantile(diffs, 0.975))


def cohorts(
    session: Session, start: datetime, end: datetime, min_group_size: int
) -> list[tuple[Any, ...]]:
    verdicts = judge(session)
    merged = []
    for pr in session.scalars(select(PullRequest).order_by(PullRequest.merged_at, PullRequest.id)):
        if pr.merged_at is None or not (start <= pr.merged_at < end) or pr.is_bot_author:
            continue
        deployment = session.get(Deployment, pr.deployment_id) if pr.deployment_id else None
        bad = None
        if deployment is not None and deployment.is_production:
            bad = float(deployment.is_failed or deployment.is_rework)
        merged.append((pr, verdicts[pr.id], bad))
    groups = [
        (
            "ai_assisted",
            [m for m in merged if m[1]["assisted"] != "none"],
            [m for m in merged if m[1]["assisted"] == "none"],
        ),
        (
            "ai_reviewed",
            [m for m in merged if m[1]["reviewed"]],
            [m for m in merged if not m[1]["reviewed"]],
        ),
    ]
    result = []
    for name, ai, other in groups:
        people_ai = len({m[0].author_login for m in ai if m[0].author_login})
        people_other = len({m[0].author_login for m in other if m[0].author_login})
        if min(people_ai, people_other) < min_group_size:
            result.append((name, len(ai), len(other), "suppressed"))
            continue
        for measure, value_of, statistic in (
            ("pickup_seconds", lambda m: m[0].pickup_seconds, _median),
            ("review_seconds", lambda m: m[0].review_seconds, _median),
            ("cycle_seconds", lambda m: m[0].cycle_seconds, _median),
            ("size", lambda m: m[0].size, _median),
            ("failed_or_rework_share", lambda m: m[2], _share),
        ):
            a = [value_of(m) for m in ai if value_of(m) is not None]
            b = [value_of(m) for m in other if value_of(m) is not None]
            result.append((name, measure, *_compare(a, b, statistic)))
    return result


def adoption(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Unscoped adoption: people are the merged PRs' authors and every matched developer."""
    verdicts = judge(session)
    prs = [
        pr
        for pr in session.scalars(select(PullRequest))
        if pr.merged_at is not None and start <= pr.merged_at < end and not pr.is_bot_author
    ]
    matched = set(
        session.scalars(
            select(Developer.login).join(CursorMember, CursorMember.developer_id == Developer.id)
        )
    )
    people = {pr.author_login for pr in prs if pr.author_login} | matched
    active = set()
    accepted = 0
    for login, day, is_active, lines in session.execute(
        select(
            Developer.login,
            CursorDailyUsage.day,
            CursorDailyUsage.is_active,
            CursorDailyUsage.accepted_lines_added,
        )
        .join(CursorMember, CursorMember.developer_id == Developer.id)
        .join(CursorDailyUsage, CursorDailyUsage.member_id == CursorMember.id)
    ):
        if login in people and start.date() <= day < end.date():
            accepted += lines
            if is_active:
                active.add(login)
    known = [pr for pr in prs if verdicts[pr.id]["ai_share"] is not None]
    lines_known = sum(pr.additions or 0 for pr in known)
    reviewed = sum(1 for pr in prs if verdicts[pr.id]["reviewed"])
    return {
        "people": len(people),
        "active_users": len(active),
        "accepted_lines": accepted,
        "merged_prs": len(prs),
        "assisted_prs": sum(1 for pr in prs if verdicts[pr.id]["assisted"] != "none"),
        "reviewed_prs": reviewed,
        "prs_known": len(known),
        "ai_share": (
            sum((pr.additions or 0) * verdicts[pr.id]["ai_share"] for pr in known) / lines_known
            if lines_known
            else None
        ),
        "review_coverage": reviewed / len(prs) if prs else None,
    }
