"""The Linear sync: every stream read from its checkpoint, each page written with its next
checkpoint in one transaction (`CheckpointStore.write_page`).

The first request of a run asks every stream at once (and every team), so a run that finds
nothing new costs one request. Streams whose records issues name (workflow states, users,
labels, projects, cycles) are read to their end before any issue page is written, so an
issue never names a row that is not stored yet. An issue whose history or attachments did
not fit its page is marked (`issue_more`, in the page's transaction) and completed at the
end of the run, many issues per query. Between requests the run checks whether it was
cancelled; what the pages changed is derived at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import httpx
from pydantic import ValidationError

from veelocity.connectors.base import ConnectorError
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.linear import cost, payloads, queries, streams
from veelocity.connectors.linear.client import LINEAR, LinearClient
from veelocity.connectors.linear.config import (
    DEFAULT_API_URL,
    MAX_PER_HOUR,
    MAX_PER_SYNC,
    LinearConfig,
)
from veelocity.connectors.linear.queries import More
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.session import source_session
from veelocity.connectors.storage import (
    CheckpointStore,
    Mark,
    PageWrite,
)
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import read_secret, source_view
from veelocity.store.linear import active_teams
from veelocity.sync.context import SourceRunContext, SyncError

SOURCE = "linear"
#: the one scope of every stream: Linear answers for the whole workspace
SCOPE = "workspace"


def load_config(context: SourceRunContext) -> LinearConfig:
    """The Linear settings saved in Settings, with the key decrypted."""
    if context.cipher is None:
        raise SyncError(
            "not_configured",
            "VEELOCITY_ENCRYPTION_KEY is not set, so the Linear API key cannot be read.",
        )
    with context.session_factory() as session:
        view = source_view(session, context.cipher, SourceName.LINEAR)
        key = read_secret(session, context.cipher, SourceName.LINEAR, "api_key")
    if not key:
        raise SyncError("not_configured", "No Linear API key is set in Settings → Linear.")
    try:
        api_url = OutboundPolicy.from_settings(context.settings).check_base_url(
            str(view.get("api_url") or DEFAULT_API_URL)
        )
    except ForbiddenURL as exc:
        raise SyncError("not_configured", f"The Linear API URL cannot be used: {exc}") from None
    try:
        return LinearConfig(api_key=key.strip(), api_url=api_url)
    except ValidationError as exc:
        raise SyncError("not_configured", f"Settings → Linear: {exc.errors()[0]['msg']}") from None


@dataclass
class LinearSync:
    """The Linear job, as a callable the orchestration runs (`SourceSync`)."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None

    @contextmanager
    def session(
        self, context: SourceRunContext, config: LinearConfig
    ) -> Iterator[tuple[LinearClient, CheckpointStore, StreamProgress]]:
        with source_session(
            context,
            source=SOURCE,
            upstream=LINEAR,
            secret=config.api_key.get_secret_value(),
            max_per_sync=MAX_PER_SYNC,
            max_per_hour=MAX_PER_HOUR,
            retry=self.retry,
            transport=self.transport,
        ) as (http, store, progress):
            yield LinearClient(config, http), store, progress

    def __call__(self, context: SourceRunContext) -> None:
        config = load_config(context)
        with self.session(context, config) as (client, store, progress):
            try:
                _Run(client, store, progress, context).sync()
            finally:
                # what was written is derived, also when the run stopped early
                store.derive_pending()


class _Run:
    def __init__(
        self,
        client: LinearClient,
        store: CheckpointStore,
        progress: StreamProgress,
        context: SourceRunContext,
    ) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.context = context

    def sync(self) -> None:
        cursors = {stream: self.store.load(stream, SCOPE) for stream in queries.STREAMS}
        pending = set(queries.STREAMS)
        first = True
        while pending:
            self.context.check_continue()
            metadata = pending & set(streams.METADATA)
            asked = pending if first else (metadata or {streams.ISSUES})
            pending -= self._page(asked, cursors, teams=first)
            first = False
        self._complete_issues()

    def _page(
        self, asked: set[str], cursors: dict[str, streams.Cursor], *, teams: bool
    ) -> set[str]:
        """Read one page of each asked stream; returns the streams whose pass ended."""
        requests = {s: streams.page_request(s, cursors[s]) for s in asked}
        query = queries.changes(requests, teams=teams)
        # the requests of a page count towards the first stream it reads
        self.progress.reading(
            streams.TEAMS if teams else next(s for s in queries.STREAMS if s in asked)
        )
        data = self.client.graphql(query, points=cost.points(query), about="a team")
        read = streams.Read()
        if teams:
            connection = data.get("teams")
            read.batch.teams = [payloads.team(n) for n in payloads.nodes(connection, "teams")]
            has_more_teams, _ = payloads.page_info(connection)
            read.batch.every_team = not has_more_teams
            if read.batch.every_team:
                listed = {t.external_id for t in read.batch.teams}
                read.batch.every_team = self._missing_teams_are_deleted(listed)
        metadata_left = False
        ended: set[str] = set()
        checkpoints: dict[tuple[str, str], streams.Cursor] = {}
        for stream in queries.STREAMS:
            if stream not in asked:
                continue
            connection = data.get(stream)
            cursor, done = streams.next_cursor(cursors[stream], requests[stream], connection)
            if stream != streams.ISSUES:
                whole = done and not requests[stream].since and not requests[stream].after
                streams.read_metadata(stream, connection, whole and teams, read)
                metadata_left = metadata_left or not done
            elif metadata_left:
                continue  # issues wait until what they name is stored; asked again later
            else:
                streams.read_issues(connection, read)
            checkpoints[(stream, SCOPE)] = cursor
            cursors[stream] = cursor
            if done:
                ended.add(stream)
        for issue_id, more in read.more.items():
            checkpoints[(streams.ISSUE_MORE, issue_id)] = streams.cursor_of(more)
        self.store.write_page(
            PageWrite(linear=read.batch, checkpoints=checkpoints), derive_later=SCOPE
        )
        if teams:
            self.progress.items(streams.TEAMS, len(read.batch.teams), done=True)
        for stream in sorted(asked):
            self.progress.items(stream, _count(read, stream), done=stream in ended)
        return ended

    def _missing_teams_are_deleted(self, listed: set[str]) -> bool:
        """A stored team Linear no longer lists was deleted, or the key lost access to it.
        Asked by id, Linear tells: FORBIDDEN stops the run naming the team (nothing is
        marked gone); not found means deleted (True: the team is marked gone, its rows stay)."""
        with self.context.session_factory() as session:
            missing = {k: v for k, v in active_teams(session).items() if k not in listed}
        if not missing:
            return True
        query = queries.team_access(list(missing))
        about = {f"t{index}": f"team {key}" for index, key in enumerate(missing.values())}
        try:
            self.client.graphql(query, points=cost.points(query), about=about)
        except ConnectorError:
            return True  # Linear does not know the team any more
        return False  # readable after all: keep it as it is

    def _complete_issues(self) -> None:
        """Read what did not fit the issues' pages, many issues per query, until none is
        left (a history longer than two pages takes another round)."""
        self.progress.reading(streams.ISSUE_MORE)
        while True:
            marks = self.store.marks(streams.ISSUE_MORE)
            if not marks:
                break
            for batch in _batches(marks):
                self.context.check_continue()
                asked = {mark.scope: streams.more_of(mark.cursor) for mark in batch}
                # priced alias by alias (at most a point more than Linear's count per alias)
                points = sum(
                    _alias_points(bool(m.history_after), m.attachments) for m in asked.values()
                )
                data = self.client.graphql(queries.more(asked), points=points, about="an issue")
                read = streams.Read()
                streams.read_more(data, asked, read)
                page = PageWrite(
                    linear=read.batch,
                    checkpoints={
                        (streams.ISSUE_MORE, issue_id): streams.cursor_of(more)
                        for issue_id, more in read.more.items()
                    },
                    cleared=[
                        (streams.ISSUE_MORE, mark.scope, mark.updated_at)
                        for mark in batch
                        if mark.scope not in read.more
                    ],
                )
                self.store.write_page(page, derive_later=SCOPE)
                self.progress.items(streams.ISSUE_MORE, page.items)
        self.progress.items(streams.ISSUE_MORE, 0, done=True)


def _batches(marks: list[Mark]) -> Iterator[list[Mark]]:
    """Marks in batches whose follow-up query stays under Linear's points per query."""
    batch: list[Mark] = []
    points = 0
    for mark in marks:
        missing = streams.more_of(mark.cursor)
        alias = _alias_points(bool(missing.history_after), missing.attachments)
        full = len(batch) >= queries.HISTORY_BATCH
        if batch and (full or points + alias > queries.MAX_QUERY_POINTS):
            yield batch
            batch, points = [], 0
        batch.append(mark)
        points += alias
    if batch:
        yield batch


@cache
def _alias_points(history: bool, attachments: bool) -> int:
    """What one issue costs in a follow-up query: it depends only on what is missing."""
    return cost.points(queries.more({"issue": More("cursor" if history else None, attachments)}))


def _count(read: streams.Read, stream: str) -> int:
    batch = read.batch
    return {
        "workflow_states": len(batch.states),
        "users": len(batch.users),
        "labels": len(batch.labels),
        "projects": len(batch.projects),
        "cycles": len(batch.cycles),
        "issues": len(batch.issues),
    }.get(stream, 0)
