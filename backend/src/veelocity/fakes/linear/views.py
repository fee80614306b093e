"""The workspace as the plain dicts the shared executor walks, shaped as Linear's schema says.

Fields with arguments, and objects reached through an id, are callables: they are worked out
only when a query selects them. What a credential may not see (teams outside its `team_ids`, and
their issues) is left out here, so every root field and nested connection hides it alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
from veelocity.fakes.graphql_executor import FieldError
from veelocity.fakes.linear.paging import Json, connection, iso

PRIORITY_LABELS = {0: "No priority", 1: "Urgent", 2: "High", 3: "Medium", 4: "Low"}
_SPAN_NAMESPACE = uuid.UUID("5e1f0c1e-7d0c-4c55-9b7e-3f2b8f0a6c11")


def forbidden(message: str) -> FieldError:
    return FieldError(
        message,
        extensions={
            "type": "forbidden",
            "code": "FORBIDDEN",
            "statusCode": 403,
            "userError": True,
            "userPresentableMessage": message,
        },
    )


def not_found(kind: str) -> FieldError:
    return FieldError(
        "Entity not found",
        extensions={
            "type": "invalid input",
            "code": "INVALID_INPUT",
            "statusCode": 400,
            "userError": True,
            "userPresentableMessage": f"Could not find referenced {kind}.",
        },
    )


@dataclass(frozen=True, slots=True)
class StateSpan:
    """An `IssueStateSpan`: one stretch of time an issue spent in one workflow state."""

    id: str
    state_id: str
    started_at: datetime
    ended_at: datetime | None

    # Spans page like everything else: by when they started.
    @property
    def created_at(self) -> datetime:
        return self.started_at

    @property
    def updated_at(self) -> datetime:
        return self.ended_at or self.started_at


def state_spans(issue: Issue) -> list[StateSpan]:
    """The spans Linear derives from an issue's history: one per state change, oldest first."""
    changes = sorted(
        (e for e in issue.history if e.to_state_id is not None), key=lambda e: e.created_at
    )
    current = issue.state_id
    if changes:
        current = changes[0].from_state_id or changes[0].to_state_id or issue.state_id
    started = issue.created_at
    spans: list[StateSpan] = []
    for change in changes:
        if change.to_state_id is None or change.to_state_id == current:
            continue
        spans.append(_span(issue, len(spans), current, started, change.created_at))
        current, started = change.to_state_id, change.created_at
    spans.append(_span(issue, len(spans), current, started, None))
    return spans


def _span(
    issue: Issue, index: int, state_id: str, started: datetime, ended: datetime | None
) -> StateSpan:
    span_id = str(uuid.uuid5(_SPAN_NAMESPACE, f"{issue.id}:{index}"))
    return StateSpan(span_id, state_id, started, ended)


class Views:
    def __init__(
        self,
        workspace: LinearWorkspace,
        viewer: LinearUser,
        visible_team_ids: frozenset[str] | None,
    ) -> None:
        self.ws = workspace
        self.viewer_user = viewer
        self.visible = visible_team_ids
        self.users = {u.id: u for u in workspace.users}
        self.teams = {t.id: t for t in workspace.teams}
        self.states = {s.id: s for t in workspace.teams for s in t.states}
        self.cycles = {c.id: c for t in workspace.teams for c in t.cycles}
        self.projects = {p.id: p for p in workspace.projects}
        self.labels = {label.id: label for label in workspace.labels}
        self.issues = {i.id: i for i in workspace.issues}

    def can_see(self, team_id: str | None) -> bool:
        return team_id is None or self.visible is None or team_id in self.visible

    def page(
        self, items: Any, node: Callable[[Any], Json], args: Json, archived: bool = True
    ) -> Json:
        return connection(
            items,
            node,
            args,
            archived_at=(lambda item: item.archived_at) if archived else None,
            now=self.ws.now,
            team_of=lambda item: getattr(item, "team_id", None),
        )

    # --- root -------------------------------------------------------------------------------
    def root(self) -> Json:
        ws = self.ws
        return {
            "viewer": lambda _info: self.user(self.viewer_user),
            "organization": lambda _info: self.organization(),
            "teams": lambda _info, **args: self.page(self.visible_teams(), self.team, args),
            "team": lambda _info, id: self.team_by_id(id),
            "workflowStates": lambda _info, **args: self.page(
                [s for t in self.visible_teams() for s in t.states], self.state, args
            ),
            "cycles": lambda _info, **args: self.page(
                [c for t in self.visible_teams() for c in t.cycles], self.cycle, args
            ),
            "projects": lambda _info, **args: self.page(
                [p for p in ws.projects if self._project_visible(p)], self.project, args
            ),
            "users": lambda _info, **args: self.page(ws.users, self.user, args, archived=False),
            "issueLabels": lambda _info, **args: self.page(
                [label for label in ws.labels if self.can_see(label.team_id)],
                self.label,
                args,
                archived=False,
            ),
            "issues": lambda _info, **args: self.page(self.visible_issues(), self.issue, args),
            "issue": lambda _info, id: self.issue_by_id(id),
        }

    def visible_teams(self) -> list[LinearTeam]:
        return [t for t in self.ws.teams if self.can_see(t.id)]

    def visible_issues(self) -> list[Issue]:
        return [i for i in self.ws.issues if self.can_see(i.team_id)]

    def _project_visible(self, project: Project) -> bool:
        return not project.team_ids or any(self.can_see(t) for t in project.team_ids)

    def team_by_id(self, team_id: str) -> Json:
        team = self.teams.get(team_id) or next((t for t in self.ws.teams if t.key == team_id), None)
        if team is None:
            raise not_found("team")
        if not self.can_see(team.id):
            raise forbidden("You don't have access to this team.")
        return self.team(team)

    def issue_by_id(self, issue_id: str) -> Json:
        issue = self.issues.get(issue_id)
        if issue is None:  # Linear also answers to an identifier (ENG-123)
            issue = next((i for i in self.ws.issues if self.ws.identifier(i) == issue_id), None)
        if issue is None:
            raise not_found("issue")
        if not self.can_see(issue.team_id):
            raise forbidden("You don't have access to this issue.")
        return self.issue(issue)

    # --- objects ----------------------------------------------------------------------------
    def organization(self) -> Json:
        ws = self.ws
        created = min((t.created_at for t in ws.teams), default=ws.now)
        return {
            "id": ws.id,
            "name": ws.name,
            "urlKey": ws.url_key,
            "createdAt": iso(created),
            "updatedAt": iso(created),
            "archivedAt": None,
            "userCount": len(ws.users),
            "createdIssueCount": len(ws.issues),
            "teams": lambda _info, **args: self.page(self.visible_teams(), self.team, args),
            "users": lambda _info, **args: self.page(ws.users, self.user, args, archived=False),
        }

    def team(self, team: LinearTeam) -> Json:
        return {
            "id": team.id,
            "key": team.key,
            "name": team.name,
            "displayName": team.name,
            "createdAt": iso(team.created_at),
            "updatedAt": iso(team.updated_at),
            "archivedAt": iso(team.archived_at),
            "cyclesEnabled": team.cycles_enabled,
            "private": False,
            "issueCount": lambda _info, includeArchived=False: sum(  # noqa: N803
                1
                for i in self.ws.issues
                if i.team_id == team.id and (includeArchived or i.archived_at is None)
            ),
            "states": lambda _info, **args: self.page(team.states, self.state, args),
            "cycles": lambda _info, **args: self.page(team.cycles, self.cycle, args),
            "members": lambda _info, **args: self.page(
                [self.users[u] for u in team.member_ids if u in self.users],
                self.user,
                args,
                archived=False,
            ),
            "issues": lambda _info, **args: self.page(
                [i for i in self.ws.issues if i.team_id == team.id], self.issue, args
            ),
            "labels": lambda _info, **args: self.page(
                [label for label in self.ws.labels if label.team_id in (None, team.id)],
                self.label,
                args,
                archived=False,
            ),
            "organization": lambda _info: self.organization(),
        }

    def state(self, state: WorkflowState) -> Json:
        return {
            "id": state.id,
            "name": state.name,
            "type": state.type,
            "position": state.position,
            "color": state.color,
            "description": None,
            "createdAt": iso(state.created_at),
            "updatedAt": iso(state.updated_at),
            "archivedAt": iso(state.archived_at),
            "team": lambda _info: self._team_ref(state.team_id),
        }

    def cycle(self, cycle: Cycle) -> Json:
        now = self.ws.now
        started = cycle.starts_at is not None and cycle.starts_at <= now
        ended = cycle.ends_at is not None and cycle.ends_at <= now
        return {
            "id": cycle.id,
            "number": float(cycle.number),
            "name": cycle.name,
            "description": None,
            # Linear always dates a cycle; the model allows none to serve that bad input.
            "startsAt": iso(cycle.starts_at),
            "endsAt": iso(cycle.ends_at),
            "completedAt": iso(cycle.completed_at),
            "createdAt": iso(cycle.created_at),
            "updatedAt": iso(cycle.updated_at),
            "archivedAt": iso(cycle.archived_at),
            "isActive": started and not ended,
            "isPast": ended,
            "isFuture": not started,
            "team": lambda _info: self._team_ref(cycle.team_id),
            "issues": lambda _info, **args: self.page(
                [i for i in self.visible_issues() if i.cycle_id == cycle.id], self.issue, args
            ),
        }

    def project(self, project: Project) -> Json:
        return {
            "id": project.id,
            "name": project.name,
            "state": project.state,
            "description": "",
            "createdAt": iso(project.created_at),
            "updatedAt": iso(project.updated_at),
            "startedAt": iso(project.started_at),
            "targetDate": project.target_date,
            "completedAt": iso(project.completed_at),
            "archivedAt": iso(project.archived_at),
            "url": f"https://linear.app/{self.ws.url_key}/project/{project.id}",
            "teams": lambda _info, **args: self.page(
                [self.teams[t] for t in project.team_ids if t in self.teams and self.can_see(t)],
                self.team,
                args,
            ),
            "issues": lambda _info, **args: self.page(
                [i for i in self.visible_issues() if i.project_id == project.id],
                self.issue,
                args,
            ),
        }

    def user(self, user: LinearUser) -> Json:
        return {
            "id": user.id,
            "name": user.name,
            "displayName": user.display_name,
            "email": user.email,
            "active": user.active,
            "admin": False,
            "guest": False,
            "isMe": user.id == self.viewer_user.id,
            "createdAt": iso(user.created_at),
            "updatedAt": iso(user.updated_at),
            "archivedAt": None,
            "url": f"https://linear.app/{self.ws.url_key}/profiles/{user.display_name}",
            "organization": lambda _info: self.organization(),
        }

    def label(self, label: Label) -> Json:
        return {
            "id": label.id,
            "name": label.name,
            "color": label.color,
            "description": None,
            "isGroup": False,
            "createdAt": iso(label.created_at),
            "updatedAt": iso(label.updated_at),
            "archivedAt": None,
            "team": lambda _info: self._team_ref(label.team_id) if label.team_id else None,
        }

    def issue(self, issue: Issue) -> Json:
        ws = self.ws
        return {
            "id": issue.id,
            "identifier": ws.identifier(issue),
            "number": float(issue.number),
            "title": issue.title,
            "description": issue.description,
            "url": ws.issue_url(issue),
            "priority": float(issue.priority),
            "priorityLabel": PRIORITY_LABELS.get(issue.priority, "No priority"),
            "estimate": issue.estimate,
            "createdAt": iso(issue.created_at),
            "updatedAt": iso(issue.updated_at),
            "startedAt": iso(issue.started_at),
            "completedAt": iso(issue.completed_at),
            "canceledAt": iso(issue.canceled_at),
            "archivedAt": iso(issue.archived_at),
            "branchName": issue.branch_name,
            "labelIds": list(issue.label_ids),
            "trashed": None,
            "team": lambda _info: self._team_ref(issue.team_id),
            "state": lambda _info: self._state_ref(issue.state_id),
            "cycle": lambda _info: self._cycle_ref(issue.cycle_id),
            "project": lambda _info: self._project_ref(issue.project_id),
            "assignee": lambda _info: self._user_ref(issue.assignee_id),
            "creator": lambda _info: self._user_ref(issue.creator_id),
            "parent": lambda _info: self._issue_ref(issue.parent_id),
            "labels": lambda _info, **args: self.page(
                [self.labels[i] for i in issue.label_ids if i in self.labels],
                self.label,
                args,
                archived=False,
            ),
            "history": lambda _info, **args: self.page(
                issue.history, lambda entry: self.history_entry(issue, entry), args, False
            ),
            "stateHistory": lambda _info, **args: self.page(
                state_spans(issue), self.state_span, args, archived=False
            ),
            "attachments": lambda _info, **args: self.page(
                issue.attachments,
                lambda attachment: self.attachment(issue, attachment),
                args,
                archived=False,
            ),
        }

    def history_entry(self, issue: Issue, entry: HistoryEntry) -> Json:
        return {
            "id": entry.id,
            "createdAt": iso(entry.created_at),
            "updatedAt": iso(entry.created_at),
            "archivedAt": None,
            "actorId": entry.actor_id,
            "actor": lambda _info: self._user_ref(entry.actor_id),
            "fromStateId": entry.from_state_id,
            "toStateId": entry.to_state_id,
            "fromState": lambda _info: self._state_ref(entry.from_state_id),
            "toState": lambda _info: self._state_ref(entry.to_state_id),
            "fromCycleId": entry.from_cycle_id,
            "toCycleId": entry.to_cycle_id,
            "fromCycle": lambda _info: self._cycle_ref(entry.from_cycle_id),
            "toCycle": lambda _info: self._cycle_ref(entry.to_cycle_id),
            "fromEstimate": entry.from_estimate,
            "toEstimate": entry.to_estimate,
            "fromAssigneeId": entry.from_assignee_id,
            "toAssigneeId": entry.to_assignee_id,
            "fromAssignee": lambda _info: self._user_ref(entry.from_assignee_id),
            "toAssignee": lambda _info: self._user_ref(entry.to_assignee_id),
            "fromTeamId": entry.from_team_id,
            "toTeamId": entry.to_team_id,
            "fromTeam": lambda _info: self._team_ref(entry.from_team_id),
            "toTeam": lambda _info: self._team_ref(entry.to_team_id),
            "fromPriority": entry.from_priority,
            "toPriority": entry.to_priority,
            "addedLabelIds": entry.added_label_ids,
            "removedLabelIds": entry.removed_label_ids,
            "archived": entry.archived,
            "autoClosed": entry.auto_closed,
            "issue": lambda _info: self.issue(issue),
        }

    def state_span(self, span: StateSpan) -> Json:
        return {
            "id": span.id,
            "stateId": span.state_id,
            "startedAt": iso(span.started_at),
            "endedAt": iso(span.ended_at),
            "state": lambda _info: self._state_ref(span.state_id),
        }

    def attachment(self, issue: Issue, attachment: Attachment) -> Json:
        return {
            "id": attachment.id,
            "url": attachment.url,
            "title": attachment.title,
            "subtitle": attachment.subtitle,
            "sourceType": attachment.source_type,
            "metadata": dict(attachment.metadata),
            "groupBySource": False,
            "createdAt": iso(attachment.created_at),
            "updatedAt": iso(attachment.updated_at),
            "archivedAt": None,
            "issue": lambda _info: self.issue(issue),
        }

    # --- references by id: null when the target is gone ------------------------------------
    def _team_ref(self, team_id: str | None) -> Json | None:
        team = self.teams.get(team_id) if team_id else None
        return self.team(team) if team is not None else None

    def _state_ref(self, state_id: str | None) -> Json | None:
        state = self.states.get(state_id) if state_id else None
        return self.state(state) if state is not None else None

    def _cycle_ref(self, cycle_id: str | None) -> Json | None:
        cycle = self.cycles.get(cycle_id) if cycle_id else None
        return self.cycle(cycle) if cycle is not None else None

    def _project_ref(self, project_id: str | None) -> Json | None:
        project = self.projects.get(project_id) if project_id else None
        return self.project(project) if project is not None else None

    def _user_ref(self, user_id: str | None) -> Json | None:
        user = self.users.get(user_id) if user_id else None
        return self.user(user) if user is not None else None

    def _issue_ref(self, issue_id: str | None) -> Json | None:
        issue = self.issues.get(issue_id) if issue_id else None
        return self.issue(issue) if issue is not None else None
