"""What a database synced from the fake Linear must hold, read straight from the workspace."""

from __future__ import annotations

from dataclasses import dataclass

from veelocity.demo.linear_model import LinearWorkspace


@dataclass(frozen=True, slots=True)
class TeamTruth:
    team_id: str
    key: str
    issue_ids: frozenset[str]
    identifiers: frozenset[str]
    history_ids: frozenset[str]
    attachment_ids: frozenset[str]
    state_ids: frozenset[str]
    cycle_ids: frozenset[str]


class LinearGroundTruth:
    """Everything a full sync (archived issues included) must have stored, team by team.

    Restrict it to what one key may see with `visible_team_ids`.
    """

    def __init__(
        self, workspace: LinearWorkspace, visible_team_ids: frozenset[str] | None = None
    ) -> None:
        self.workspace = workspace
        teams = [t for t in workspace.teams if visible_team_ids is None or t.id in visible_team_ids]
        self.teams: dict[str, TeamTruth] = {}
        for team in teams:
            issues = [i for i in workspace.issues if i.team_id == team.id]
            self.teams[team.id] = TeamTruth(
                team_id=team.id,
                key=team.key,
                issue_ids=frozenset(i.id for i in issues),
                identifiers=frozenset(workspace.identifier(i) for i in issues),
                history_ids=frozenset(e.id for i in issues for e in i.history),
                attachment_ids=frozenset(a.id for i in issues for a in i.attachments),
                state_ids=frozenset(s.id for s in team.states),
                cycle_ids=frozenset(c.id for c in team.cycles),
            )

    @property
    def team_ids(self) -> frozenset[str]:
        return frozenset(self.teams)

    @property
    def issue_ids(self) -> frozenset[str]:
        return frozenset().union(*(t.issue_ids for t in self.teams.values()))

    @property
    def identifiers(self) -> frozenset[str]:
        return frozenset().union(*(t.identifiers for t in self.teams.values()))

    @property
    def history_ids(self) -> frozenset[str]:
        return frozenset().union(*(t.history_ids for t in self.teams.values()))

    @property
    def attachment_ids(self) -> frozenset[str]:
        return frozenset().union(*(t.attachment_ids for t in self.teams.values()))

    @property
    def state_ids(self) -> frozenset[str]:
        return frozenset().union(*(t.state_ids for t in self.teams.values()))

    @property
    def cycle_ids(self) -> frozenset[str]:
        return frozenset().union(*(t.cycle_ids for t in self.teams.values()))

    @property
    def user_ids(self) -> frozenset[str]:
        return frozenset(u.id for u in self.workspace.users)

    @property
    def label_ids(self) -> frozenset[str]:
        return frozenset(label.id for label in self.workspace.labels)
