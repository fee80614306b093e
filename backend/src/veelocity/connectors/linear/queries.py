"""The GraphQL documents the connector sends, and what each costs in Linear's points.

Linear prices a query before running it: 0.1 point per scalar field, 1 per object, and a
connection multiplies what one of its nodes costs by its `first` (rounded up at the end;
10,000 at most per query). So a page asks only for what the store keeps: ids of related
objects rather than the objects, `labelIds` rather than the labels, and a short nested
`history`; an issue whose history is longer is followed up later, many issues per query
under aliases. One query reads every stream at once, so a run that finds nothing new costs
one request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

#: issues per page (Linear allows up to 250; a page of 100 stays far below 10,000 points)
ISSUES_PAGE = 100
#: the first page of an incremental pass: most runs find a handful of changes
ISSUES_FIRST_PAGE = 25
#: history entries and attachments read with each issue; most issues have fewer
HISTORY = 5
ATTACHMENTS = 1
#: the rest of a longer history: entries per issue, and issues per follow-up query (almost
#: every issue's history fits in HISTORY + HISTORY_MORE; a longer one takes more rounds)
HISTORY_MORE = 10
HISTORY_BATCH = 300
#: what one query may cost: Linear refuses above 10,000 points; a margin for rounding
MAX_QUERY_POINTS = 9_500
#: teams, workflow states, cycles, users, labels and projects per page
LIST_PAGE = 100
TEAMS_PAGE = 100

PAGE_INFO = "pageInfo { hasNextPage endCursor }"

HISTORY_FIELDS = (
    "id createdAt actorId fromStateId toStateId fromCycleId toCycleId fromEstimate "
    "toEstimate fromAssigneeId toAssigneeId fromTeamId toTeamId addedLabelIds "
    "removedLabelIds archived"
)

ISSUE_FIELDS = f"""
      id identifier number title url estimate priority labelIds
      createdAt updatedAt startedAt completedAt canceledAt archivedAt
      team {{ id }} state {{ id }} cycle {{ id }} project {{ id }}
      assignee {{ id }} creator {{ id }} parent {{ id }}
      history(first: {HISTORY}) {{ {PAGE_INFO} nodes {{ {HISTORY_FIELDS} }} }}
      attachments(first: {ATTACHMENTS}) {{
        pageInfo {{ hasNextPage }} nodes {{ id url title sourceType createdAt }}
      }}"""

#: stream → (root field, its fixed arguments, the node selection)
STREAMS: dict[str, tuple[str, str, str]] = {
    "workflow_states": (
        "workflowStates",
        "includeArchived: true",
        "id name type position archivedAt updatedAt team { id }",
    ),
    "users": (
        "users",
        "includeArchived: true, includeDisabled: true",
        "id name displayName email active updatedAt",
    ),
    "labels": ("issueLabels", "includeArchived: true", "id name updatedAt team { id }"),
    "projects": (
        "projects",
        "includeArchived: true",
        "id name state url startedAt targetDate completedAt archivedAt updatedAt",
    ),
    "cycles": (
        "cycles",
        "includeArchived: true",
        "id number name startsAt endsAt completedAt archivedAt updatedAt team { id }",
    ),
    "issues": ("issues", "includeArchived: true, orderBy: updatedAt", ISSUE_FIELDS),
}

#: the order pages are written in: what an issue names comes before the issue
ORDER = ("teams", *STREAMS)

TEAMS = f"teams(first: {TEAMS_PAGE}) {{ {PAGE_INFO} nodes {{ id key name }} }}"


@dataclass(frozen=True)
class PageRequest:
    """Where one stream's next page starts."""

    since: str | None = None
    after: str | None = None
    first: int = LIST_PAGE


def _literal(value: str) -> str:
    """A GraphQL string literal (JSON's escaping is GraphQL's for these values)."""
    return json.dumps(value)


def connection(stream: str, page: PageRequest) -> str:
    field, fixed, selection = STREAMS[stream]
    arguments = [f"first: {int(page.first)}", fixed]
    if page.after:
        arguments.append(f"after: {_literal(page.after)}")
    if page.since:
        arguments.append(f"filter: {{ updatedAt: {{ gt: {_literal(page.since)} }} }}")
    return (
        f"  {stream}: {field}({', '.join(arguments)}) {{\n"
        f"    {PAGE_INFO}\n    nodes {{ {selection} }}\n  }}"
    )


def changes(pages: Mapping[str, PageRequest], *, teams: bool = False) -> str:
    """One query reading the next page of each given stream (and every team)."""
    parts = [f"  {TEAMS}"] if teams else []
    parts += [connection(stream, pages[stream]) for stream in STREAMS if stream in pages]
    return "query Changes {\n" + "\n".join(parts) + "\n}\n"


#: attachments read for an issue that had more than its page held
ALL_ATTACHMENTS = 50


@dataclass(frozen=True)
class More:
    """What did not fit an issue's page: history from a cursor, and/or its attachments."""

    history_after: str | None = None
    attachments: bool = False


def more(issues: Mapping[str, More]) -> str:
    """The rest of several issues (issue id → what is missing), each under an alias."""
    parts = []
    for index, (issue_id, missing) in enumerate(issues.items()):
        inner = ["    id"]
        if missing.history_after:
            inner.append(
                f"    history(first: {HISTORY_MORE}, after: {_literal(missing.history_after)}) "
                f"{{ {PAGE_INFO} nodes {{ {HISTORY_FIELDS} }} }}"
            )
        if missing.attachments:
            inner.append(
                f"    attachments(first: {ALL_ATTACHMENTS}) "
                "{ nodes { id url title sourceType createdAt } }"
            )
        body = "\n".join(inner)
        parts.append(f"  i{index}: issue(id: {_literal(issue_id)}) {{\n{body}\n  }}")
    return "query MoreOfIssues {\n" + "\n".join(parts) + "\n}\n"


VIEWER = f"""
query Viewer {{
  viewer {{ id name email }}
  organization {{ id name urlKey }}
  teams(first: {TEAMS_PAGE}) {{ nodes {{ id key name }} }}
}}
"""


def team_access(team_ids: list[str]) -> str:
    """One cheap read of each team's issues: FORBIDDEN names a team the key cannot read."""
    parts = [
        f"  t{index}: team(id: {_literal(team_id)}) {{ key issues(first: 1) {{ nodes {{ id }} }} }}"
        for index, team_id in enumerate(team_ids)
    ]
    return "query TeamAccess {\n" + "\n".join(parts) + "\n}\n"
