"""A small hand-made Linear workspace whose every value a test can count by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veelocity.demo.linear_model import (
    Attachment,
    Cycle,
    HistoryEntry,
    Issue,
    Label,
    LinearTeam,
    LinearUser,
    LinearWorkspace,
    WorkflowState,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=30)
TYPES = ("triage", "backlog", "unstarted", "started", "completed", "canceled")


def _id(kind: str, number: int) -> str:
    return f"00000000-0000-4000-8000-{kind}{number:010d}"


def make_team(index: int, key: str) -> LinearTeam:
    team = LinearTeam(
        id=_id("01", index), key=key, name=f"Team {key}", created_at=START, updated_at=START
    )
    for position, state_type in enumerate(TYPES):
        team.states.append(
            WorkflowState(
                id=_id("02", index * 10 + position),
                team_id=team.id,
                name=state_type.title(),
                type=state_type,
                position=float(position),
                color="#bec2c8",
                created_at=START,
                updated_at=START,
            )
        )
    team.cycles.append(
        Cycle(
            id=_id("03", index),
            team_id=team.id,
            number=1,
            name=None,
            starts_at=START,
            ends_at=START + timedelta(days=14),
            created_at=START,
            updated_at=START,
        )
    )
    return team


def state_of(team: LinearTeam, state_type: str) -> str:
    return next(s.id for s in team.states if s.type == state_type)


def make_workspace(issues_per_team: int = 12, teams: int = 2) -> LinearWorkspace:
    """`teams` teams (ENG, OPS, ...), each with `issues_per_team` issues created an hour apart
    and updated in the reverse order; every third issue is archived; each issue went
    backlog → started → completed (so three history entries and three state spans)."""
    workspace = LinearWorkspace(id=_id("00", 1), name="Acme", url_key="acme", now=NOW)
    user = LinearUser(
        id=_id("04", 1),
        name="Ada Lovelace",
        display_name="ada",
        email="ada@acme.example",
        created_at=START,
        updated_at=START,
    )
    workspace.users.append(user)
    workspace.labels.append(
        Label(id=_id("05", 1), name="incident", color="#eb5757", created_at=START, updated_at=START)
    )
    keys = ["ENG", "OPS", "WEB", "APP"]
    for team_index in range(teams):
        team = make_team(team_index + 1, keys[team_index])
        team.member_ids.append(user.id)
        workspace.teams.append(team)
        for number in range(1, issues_per_team + 1):
            serial = team_index * 1000 + number
            created = START + timedelta(hours=serial)
            updated = START + timedelta(days=20, hours=-serial)
            backlog, started, done = (
                state_of(team, t) for t in ("backlog", "started", "completed")
            )
            issue = Issue(
                id=_id("06", serial),
                team_id=team.id,
                number=number,
                title=f"Issue {number}",
                description="",
                state_id=done,
                creator_id=user.id,
                created_at=created,
                updated_at=updated,
                estimate=2.0,
                label_ids=[workspace.labels[0].id] if number == 1 else [],
                started_at=created + timedelta(hours=2),
                completed_at=created + timedelta(hours=5),
                archived_at=updated if number % 3 == 0 else None,
                branch_name=f"ada/{team.key.lower()}-{number}-issue-{number}",
            )
            issue.history = [
                HistoryEntry(id=_id("07", serial * 10), created_at=created, to_state_id=backlog),
                HistoryEntry(
                    id=_id("07", serial * 10 + 1),
                    created_at=created + timedelta(hours=2),
                    from_state_id=backlog,
                    to_state_id=started,
                ),
                HistoryEntry(
                    id=_id("07", serial * 10 + 2),
                    created_at=created + timedelta(hours=5),
                    from_state_id=started,
                    to_state_id=done,
                ),
            ]
            if number == 1:
                issue.attachments.append(
                    Attachment(
                        id=_id("08", serial),
                        url="https://github.com/acme/api/pull/7",
                        title="Add audit log",
                        created_at=created,
                        updated_at=created,
                        source_type="github",
                    )
                )
            workspace.issues.append(issue)
    return workspace
