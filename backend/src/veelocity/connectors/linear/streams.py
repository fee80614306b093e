"""Each Linear stream's passes: where a page starts, and the cursor after it.

Every stream but teams is read by `updatedAt`, newest first, from a watermark: a pass reads
what changed since the last complete pass (less a small overlap) and, when it ends, moves the
watermark to the newest update it saw. A pass cut off midway keeps the page cursor it reached,
so the next run resumes there. Teams are read whole every time: a team Linear stops listing
was deleted (or the key lost access to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from veelocity.connectors.linear import payloads, queries
from veelocity.connectors.linear.config import OVERLAP_SECONDS
from veelocity.connectors.linear.queries import More, PageRequest
from veelocity.records.linear import LinearBatch, LinearHistoryPage, LinearIssueRecord

Cursor = dict[str, Any]

TEAMS = "teams"
ISSUES = "issues"
#: per issue: the history or attachments that did not fit its page
ISSUE_MORE = "issue_more"
#: streams whose records issues name: they are read to the end before issues are written
METADATA = tuple(stream for stream in queries.STREAMS if stream != ISSUES)


def page_request(stream: str, cursor: Cursor) -> PageRequest:
    """The next page of a stream: the rest of a pass, or a new pass from the watermark."""
    size = queries.ISSUES_PAGE if stream == ISSUES else queries.LIST_PAGE
    if cursor.get("after"):
        return PageRequest(since=cursor.get("pass_since"), after=cursor["after"], first=size)
    watermark = cursor.get("watermark")
    if not watermark:
        return PageRequest(first=size)
    since = datetime.fromisoformat(watermark) - timedelta(seconds=OVERLAP_SECONDS)
    first = queries.ISSUES_FIRST_PAGE if stream == ISSUES else size
    return PageRequest(since=since.isoformat(), first=first)


def next_cursor(cursor: Cursor, request: PageRequest, connection: Any) -> tuple[Cursor, bool]:
    """The cursor after a page, and whether the pass ended with it."""
    has_next, end = payloads.page_info(connection)
    building = cursor.get("building") if cursor.get("after") else None
    for node in payloads.nodes(connection, "items"):
        updated = payloads.at(node.get("updatedAt"))
        if updated is not None and (building is None or updated.isoformat() > building):
            building = updated.isoformat()
    if has_next and end:
        return {
            "watermark": cursor.get("watermark"),
            "pass_since": request.since,
            "after": end,
            "building": building,
        }, False
    return {"watermark": building or cursor.get("watermark")}, True


@dataclass
class Read:
    """What one answer brought, ready to write."""

    batch: LinearBatch = field(default_factory=LinearBatch)
    #: issue id → what to read later
    more: dict[str, More] = field(default_factory=dict)


def read_metadata(stream: str, connection: Any, whole_pass: bool, read: Read) -> None:
    """Map one page of a metadata stream into `read.batch`."""
    items = payloads.nodes(connection, stream)
    batch = read.batch
    if stream == "workflow_states":
        batch.states += [payloads.workflow_state(n) for n in items]
        if whole_pass:
            # every state of every team is here: a stored one that is missing was deleted
            batch.every_state_of_teams = [t.external_id for t in batch.teams]
    elif stream == "users":
        batch.users += [payloads.user(n) for n in items]
    elif stream == "labels":
        batch.labels += [payloads.label(n) for n in items]
    elif stream == "projects":
        batch.projects += [payloads.project(n) for n in items]
    elif stream == "cycles":
        batch.cycles += [payloads.cycle(n) for n in items]


def read_issues(connection: Any, read: Read) -> list[LinearIssueRecord]:
    issues = []
    for node in payloads.nodes(connection, "issues"):
        record, history_after, more_attachments = payloads.issue(node)
        issues.append(record)
        if history_after or more_attachments:
            read.more[record.external_id] = More(history_after, more_attachments)
    read.batch.issues += issues
    return issues


def read_more(data: dict[str, Any], asked: dict[str, More], read: Read) -> None:
    """Map a follow-up answer: each alias is one issue."""
    for index, (issue_id, missing) in enumerate(asked.items()):
        node = data.get(f"i{index}")
        if not isinstance(node, dict):
            continue  # the issue is gone; nothing more to read of it
        entries: tuple[Any, ...] = ()
        complete = True
        if missing.history_after:
            history = node.get("history")
            entries = tuple(
                payloads.history_entry(n) for n in payloads.nodes(history, "history entries")
            )
            has_next, end = payloads.page_info(history)
            if has_next and end:
                complete = False
                read.more[issue_id] = More(end, False)
        attachments = None
        if missing.attachments:
            attachments = tuple(
                payloads.attachment(n)
                for n in payloads.nodes(node.get("attachments"), "attachments")
            )
        read.batch.history.append(
            LinearHistoryPage(
                issue_id, entries, complete and bool(missing.history_after), attachments
            )
        )


def more_of(cursor: Cursor) -> More:
    return More(cursor.get("history_after"), bool(cursor.get("attachments")))


def cursor_of(more: More) -> Cursor:
    return {"history_after": more.history_after, "attachments": more.attachments}
