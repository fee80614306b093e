"""AI in the demo organisation: adoption, Cursor usage and AI lines, trailers, an agent, review
bots whose share grows, and a flow moved the way published studies report."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest

from veelocity.demo import DemoConfig, DemoOrganisation, PullRequest, advance, generate
from veelocity.demo.ai import DemoAi
from veelocity.demo.ai_adoption import (
    AGENT,
    CO_AUTHOR_TRAILER,
    CODERABBIT,
    MADE_WITH_TRAILER,
    adoption_of,
    tracks_ai_code,
)

CONFIG = DemoConfig(seed=3, repositories=4, developers=12, months=4)


@pytest.fixture(scope="module")
def org() -> DemoOrganisation:
    return generate(CONFIG)


@pytest.fixture(scope="module")
def ai(org: DemoOrganisation) -> DemoAi:
    return DemoAi(org, seed=CONFIG.seed)


def _prs(org: DemoOrganisation) -> list[PullRequest]:
    return [pr for r in org.repositories for pr in r.pull_requests]


def test_cursor_members_are_the_people_with_their_emails(org: DemoOrganisation, ai: DemoAi) -> None:
    people = {m.email for m in org.members if not m.is_bot}

    assert {m.email for m in ai.cursor.members} == people


def test_some_people_never_use_cursor_and_adoption_grows(org: DemoOrganisation, ai: DemoAi) -> None:
    active_by_month: dict[str, set[str]] = {}
    for usage in ai.cursor.usage:
        if usage.is_active:
            active_by_month.setdefault(usage.day.strftime("%Y-%m"), set()).add(usage.email)
    users = set().union(*active_by_month.values())
    months = sorted(active_by_month)

    assert len(users) < len(ai.cursor.members)
    assert len(active_by_month[months[0]]) < len(active_by_month[months[-2]])


def test_heavy_users_accept_more_lines_than_light_users(org: DemoOrganisation, ai: DemoAi) -> None:
    start = CONFIG.now - timedelta(days=CONFIG.months * 30.4)
    styles = {
        m.email: adoption_of(CONFIG.seed, m.login, start, CONFIG.now).style
        for m in org.members
        if not m.is_bot
    }
    lines: dict[str, list[int]] = {"light": [], "heavy": []}
    for usage in ai.cursor.usage:
        if usage.is_active:
            lines[styles[usage.email]].append(usage.accepted_lines_added)

    assert statistics.median(lines["heavy"]) > 2 * statistics.median(lines["light"])


def test_ai_lines_come_only_from_the_repositories_with_tracking(
    org: DemoOrganisation, ai: DemoAi
) -> None:
    tracked = {r.full_name for r in org.repositories if tracks_ai_code(CONFIG.seed, r.name)}

    repositories = {c.repo_name for c in ai.cursor.ai_commits}

    assert repositories
    assert repositories <= tracked
    assert tracked != {r.full_name for r in org.repositories}


def test_without_tracking_there_are_no_ai_lines(org: DemoOrganisation) -> None:
    picture = DemoAi(org, seed=CONFIG.seed, tracking="none")

    assert not picture.cursor.ai_code_tracking
    assert picture.cursor.ai_commits == []
    assert picture.cursor.usage


def test_some_commits_carry_ai_trailers(org: DemoOrganisation) -> None:
    messages = [c.message for pr in _prs(org) for c in pr.commits]

    assert any(m.endswith("\n\n" + CO_AUTHOR_TRAILER) for m in messages)
    assert any(m.endswith("\n\n" + MADE_WITH_TRAILER) for m in messages)
    assert sum("Cursor" in m for m in messages) < len(messages) / 3


def test_an_agent_opens_some_pull_requests(org: DemoOrganisation) -> None:
    by_agent = [pr for pr in _prs(org) if pr.author == AGENT]

    assert by_agent
    assert all(c.author == AGENT for pr in by_agent for c in pr.commits)
    assert all(pr.merged_by != AGENT for pr in by_agent)
    assert AGENT in {m.login for m in org.members}


def test_review_bots_cover_a_share_of_pull_requests_that_grows(org: DemoOrganisation) -> None:
    prs = sorted(_prs(org), key=lambda pr: pr.created_at)
    half = len(prs) // 2

    def covered(chunk: list[PullRequest]) -> float:
        bots = ("greptile-apps[bot]", CODERABBIT)
        return sum(any(v.author in bots for v in pr.reviews) for pr in chunk) / len(chunk)

    assert covered(prs[:half]) < covered(prs[half:])
    assert any(v.author == CODERABBIT for pr in prs for v in pr.reviews)


def test_heavy_users_pull_requests_are_larger_after_they_adopt(org: DemoOrganisation) -> None:
    start = CONFIG.now - timedelta(days=CONFIG.months * 30.4)
    before, after = [], []
    for pr in _prs(org):
        if pr.kind not in ("feature", "fix") or pr.author.endswith("[bot]"):
            continue
        adoption = adoption_of(CONFIG.seed, pr.author, start, CONFIG.now)
        if adoption.style == "heavy":
            (after if adoption.uses_on(pr.created_at) else before).append(pr.additions)

    assert statistics.median(after) > statistics.median(before)


def test_without_the_flag_there_is_no_ai_in_github() -> None:
    org = generate(DemoConfig(seed=3, repositories=2, developers=6, months=1, ai=False))

    prs = _prs(org)
    assert all("Cursor" not in c.message for pr in prs for c in pr.commits)
    assert all(pr.author != AGENT for pr in prs)
    assert all(v.author != CODERABBIT for pr in prs for v in pr.reviews)


def test_greptile_reviews_are_its_code_reviews(org: DemoOrganisation, ai: DemoAi) -> None:
    on_github = sum(1 for pr in _prs(org) for v in pr.reviews if v.author == "greptile-apps[bot]")

    completed = [r for r in ai.greptile.code_reviews if r.status == "COMPLETED"]
    assert len(completed) == on_github > 0
    # The rest: pull requests abandoned at once, which Greptile skipped.
    assert {r.status for r in ai.greptile.code_reviews} <= {"COMPLETED", "SKIPPED"}
    assert any(r.status == "processing" and r.sha is None for r in ai.greptile.repositories)


def test_a_corrected_day_replaces_what_cursor_said(org: DemoOrganisation) -> None:
    picture = DemoAi(org, seed=CONFIG.seed)
    row = next(u for u in picture.cursor.usage if u.is_active)

    corrected = picture.correct_usage(row.email, row.day, accepted_lines_added=7)

    assert corrected.accepted_lines_added == 7
    assert sum(u.email == row.email and u.day == row.day for u in picture.cursor.usage) == 1


def test_the_picture_follows_the_clock() -> None:
    org = generate(DemoConfig(seed=3, repositories=2, developers=6, months=1))
    picture = DemoAi(org, seed=3)
    days = {u.day for u in picture.cursor.usage}

    advance(org, timedelta(days=2))

    assert picture.refresh()
    assert {u.day for u in picture.cursor.usage} > days


def test_ai_leaves_the_rest_of_the_seeds_github_data_as_it_was() -> None:
    small = {"seed": 5, "repositories": 3, "developers": 6, "months": 1}
    with_ai, without = generate(DemoConfig(**small)), generate(DemoConfig(ai=False, **small))

    def timeline(org: DemoOrganisation) -> list[object]:
        return [
            (pr.id, pr.number, pr.created_at, pr.merged_at, [c.oid for c in pr.commits])
            for pr in _prs(org)
        ] + [(d.id, d.sha) for r in org.repositories for d in r.deployments]

    assert timeline(with_ai) == timeline(without)


def test_the_ai_flow_adds_heavy_users_pull_requests() -> None:
    small = {"seed": 5, "repositories": 3, "developers": 8, "months": 2}

    moved = generate(DemoConfig(ai_flow=True, **small))
    still = generate(DemoConfig(**small))

    assert moved.pull_request_count > still.pull_request_count


def test_teams_cross_half_of_their_people_at_different_dates(org: DemoOrganisation) -> None:
    assert org.linear is not None
    start = CONFIG.now - timedelta(days=CONFIG.months * 30.4)
    logins = {u.id: u.github_login for u in org.linear.users if u.github_login}
    crossings = []
    for team in org.linear.teams:
        people = [logins[i] for i in team.member_ids if i in logins]
        since = sorted(
            s
            for s in (adoption_of(CONFIG.seed, p, start, CONFIG.now).since for p in people)
            if s is not None
        )
        half = (len(people) + 1) // 2
        if len(since) >= half:
            crossings.append(since[half - 1])

    assert crossings
    assert all(start < moment < CONFIG.now for moment in crossings)
    assert len(set(crossings)) == len(crossings)


def test_a_greptile_review_in_progress_completes_under_the_same_id() -> None:
    org = generate(DemoConfig(seed=3, repositories=3, developers=8, months=1))
    picture = DemoAi(org, seed=3)
    in_progress = None
    for _minute in range(3 * 24 * 60):
        advance(org, timedelta(minutes=1))
        picture.refresh()
        in_progress = next(
            (r for r in picture.greptile.code_reviews if r.status == "REVIEWING_FILES"), None
        )
        if in_progress is not None:
            break
    assert in_progress is not None
    assert in_progress.completed_at is None

    advance(org, timedelta(minutes=10))
    picture.refresh()

    later = next(r for r in picture.greptile.code_reviews if r.id == in_progress.id)
    assert later.status == "COMPLETED"
    assert later.completed_at is not None
