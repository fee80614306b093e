"""The Cursor sync: members, the current cycle's spend, daily usage and AI lines per commit,
each stream read from its checkpoint and every page written with its next checkpoint in one
transaction (`CheckpointStore.write_page`).

Streams are read at most once an hour each (`streams.due`): the schedule runs every five
minutes, and a run with nothing due makes no request. A team without AI code tracking is
a recorded outcome, not a failure: its `ai_commits` checkpoint says why, and the run
succeeds. What the pages changed is derived at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from pydantic import ValidationError

from veelocity.connectors.cursor import payloads, streams
from veelocity.connectors.cursor.client import (
    CURSOR,
    AiTrackingUnavailable,
    CursorClient,
)
from veelocity.connectors.cursor.config import (
    DEFAULT_BASE_URL,
    DEFAULT_HISTORY_DAYS,
    MAX_PER_HOUR,
    MAX_PER_SYNC,
    PAGE_SIZE,
    CursorConfig,
)
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.session import source_session
from veelocity.connectors.storage import CheckpointStore, PageWrite
from veelocity.core.logging import get_logger
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import read_secret, source_view
from veelocity.records.ai import AiBatch
from veelocity.sync.context import SourceRunContext, SyncError

log = get_logger("veelocity.sync.cursor")

SOURCE = "cursor"
#: the scope of every Cursor stream: the team the key belongs to
SCOPE = "team"


def load_config(context: SourceRunContext) -> CursorConfig:
    """The Cursor settings saved in Settings, with the key decrypted; the base URL is
    checked by the outbound policy here, at every run, not only when it was saved."""
    if context.cipher is None:
        raise SyncError(
            "not_configured",
            "VEELOCITY_ENCRYPTION_KEY is not set, so the Cursor API key cannot be read.",
        )
    with context.session_factory() as session:
        view = source_view(session, context.cipher, SourceName.CURSOR)
        key = read_secret(session, context.cipher, SourceName.CURSOR, "api_key")
    if not key:
        raise SyncError("not_configured", "No Cursor API key is set in Settings → Cursor.")
    try:
        base_url = OutboundPolicy.from_settings(context.settings).check_base_url(
            str(view.get("base_url") or DEFAULT_BASE_URL)
        )
    except ForbiddenURL as exc:
        raise SyncError("not_configured", f"The Cursor base URL cannot be used: {exc}") from None
    try:
        return CursorConfig(
            api_key=key.strip(),
            base_url=base_url,
            history_days=int(view.get("history_days") or DEFAULT_HISTORY_DAYS),
        )
    except (ValidationError, ValueError) as exc:
        raise SyncError("not_configured", f"Settings → Cursor: {exc}") from None


@dataclass
class CursorSync:
    """The Cursor job, as a callable the orchestration runs (`SourceSync`)."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None

    @contextmanager
    def session(
        self, context: SourceRunContext, config: CursorConfig
    ) -> Iterator[tuple[CursorClient, CheckpointStore, StreamProgress]]:
        with source_session(
            context,
            source=SOURCE,
            upstream=CURSOR,
            secret=config.api_key.get_secret_value(),
            max_per_sync=MAX_PER_SYNC,
            max_per_hour=MAX_PER_HOUR,
            retry=self.retry,
            transport=self.transport,
        ) as (http, store, progress):
            yield CursorClient(config, http), store, progress

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
        client: CursorClient,
        store: CheckpointStore,
        progress: StreamProgress,
        context: SourceRunContext,
    ) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.context = context
        self.history_days = client.config.history_days

    def sync(self) -> None:
        # members first: usage, spend and commits name them by e-mail
        self._members()
        self._spend()
        self._daily_usage()
        self._ai_commits()

    def _due(self, stream: str) -> streams.Cursor | None:
        """The stream's cursor when it is due, else None (it was read within the hour)."""
        cursor = self.store.load(stream, SCOPE)
        if not streams.due(cursor, utcnow()):
            self.progress.items(stream, 0, done=True)
            return None
        self.progress.reading(stream)
        return cursor

    def _write(self, stream: str, batch: AiBatch, cursor: streams.Cursor, done: bool) -> None:
        self.store.write_page(
            PageWrite(ai=batch, checkpoints={(stream, SCOPE): cursor}), derive_later=SCOPE
        )
        self.progress.items(stream, batch.items, done=done)

    def _members(self) -> None:
        cursor = self._due(streams.MEMBERS)
        if cursor is None:
            return
        self.context.check_continue()
        members = payloads.members(self.client.get("/teams/members"))
        self._write(
            streams.MEMBERS,
            AiBatch(members=members, members_complete=True),
            streams.read_now(cursor, utcnow()),
            True,
        )

    def _spend(self) -> None:
        """The current cycle's spend, page by page (a snapshot, read in full each time)."""
        cursor = self._due(streams.SPEND)
        if cursor is None:
            return
        page = int(cursor.get("page") or 1)
        while True:
            self.context.check_continue()
            now = utcnow()
            body = self.client.post("/teams/spend", {"page": page, "sortBy": "user"})
            records, pages = payloads.spend_page(body, now)
            done = page >= pages
            cursor = streams.read_now(cursor, now) if done else {**cursor, "page": page + 1}
            self._write(streams.SPEND, AiBatch(spend=records), cursor, done)
            if done:
                return
            page += 1

    def _daily_usage(self) -> None:
        """Daily usage window by window; a day read again replaces the stored one."""
        cursor = self._due(streams.DAILY_USAGE)
        if cursor is None:
            return
        cursor = streams.started_pass(cursor, utcnow(), self.history_days)
        while cursor.get("pass"):
            self.context.check_continue()
            now = utcnow()
            start, end = streams.window(cursor)
            body = self.client.post("/teams/daily-usage-data", streams.usage_body(start, end, now))
            cursor = streams.after_window(cursor, now)
            done = "pass" not in cursor
            self._write(
                streams.DAILY_USAGE, AiBatch(daily_usage=payloads.daily_usage(body)), cursor, done
            )

    def _ai_commits(self) -> None:
        """AI lines per commit, window by window and page by page. A team without AI code
        tracking (403) is noted on the checkpoint; the run goes on and succeeds."""
        cursor = self._due(streams.AI_COMMITS)
        if cursor is None:
            return
        cursor = streams.started_pass(cursor, utcnow(), self.history_days)
        while cursor.get("pass"):
            self.context.check_continue()
            now = utcnow()
            start, end = streams.window(cursor)
            params = streams.commits_params(start, end, int(cursor["pass"]["page"]), PAGE_SIZE)
            try:
                body = self.client.get("/analytics/ai-code/commits", params)
            except AiTrackingUnavailable as exc:
                log.info("cursor ai code tracking unavailable", reason=exc.message)
                self._write(
                    streams.AI_COMMITS,
                    AiBatch(),
                    streams.unavailable(cursor, exc.message, now),
                    True,
                )
                return
            records, more = payloads.ai_commit_page(body)
            cursor = streams.after_page(cursor, more, now)
            done = "pass" not in cursor
            self._write(streams.AI_COMMITS, AiBatch(commits=records), cursor, done)
