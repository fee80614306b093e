"""The Greptile sync: each synced GitHub repository's indexing status, then the code reviews
Greptile ran, every page written with its next checkpoint in one transaction
(`CheckpointStore.write_page`).

A repository Greptile never indexed (404) is stored with the status `never_indexed`, and
the run goes on. Reviews come from the MCP server's `list_code_reviews`, newest first, by
offset, until a page reaches reviews created before the watermark (less a day's overlap).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from pydantic import ValidationError

from veelocity.connectors.greptile import payloads, streams
from veelocity.connectors.greptile.client import (
    GREPTILE,
    GreptileClient,
    RepositoryNotIndexed,
    repository_id,
)
from veelocity.connectors.greptile.config import (
    DEFAULT_BASE_URL,
    MAX_PER_HOUR,
    MAX_PER_SYNC,
    PAGE_SIZE,
    GreptileConfig,
)
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.session import source_session
from veelocity.connectors.storage import CheckpointStore, PageWrite
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import read_secret, source_view
from veelocity.records.ai import AiBatch
from veelocity.store.ai import repositories_to_index
from veelocity.sync.context import SourceRunContext, SyncError

SOURCE = "greptile"
#: the scope of the reviews stream
SCOPE = "account"
#: the branch asked for when a repository's default branch is not known yet
FALLBACK_BRANCH = "main"


def load_config(context: SourceRunContext) -> GreptileConfig:
    """The Greptile settings saved in Settings, with the keys decrypted; the base URL is
    checked by the outbound policy here, at every run, not only when it was saved."""
    if context.cipher is None:
        raise SyncError(
            "not_configured",
            "VEELOCITY_ENCRYPTION_KEY is not set, so the Greptile API key cannot be read.",
        )
    with context.session_factory() as session:
        view = source_view(session, context.cipher, SourceName.GREPTILE)
        key = read_secret(session, context.cipher, SourceName.GREPTILE, "api_key")
        github_token = read_secret(session, context.cipher, SourceName.GREPTILE, "github_token")
    if not key:
        raise SyncError("not_configured", "No Greptile API key is set in Settings → Greptile.")
    try:
        base_url = OutboundPolicy.from_settings(context.settings).check_base_url(
            str(view.get("base_url") or DEFAULT_BASE_URL)
        )
    except ForbiddenURL as exc:
        raise SyncError("not_configured", f"The Greptile base URL cannot be used: {exc}") from None
    try:
        return GreptileConfig(
            api_key=key.strip(),
            github_token=github_token.strip() if github_token else None,
            base_url=base_url,
        )
    except ValidationError as exc:
        raise SyncError("not_configured", f"Settings → Greptile: {exc}") from None


@dataclass
class GreptileSync:
    """The Greptile job, as a callable the orchestration runs (`SourceSync`)."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None

    @contextmanager
    def session(
        self, context: SourceRunContext, config: GreptileConfig
    ) -> Iterator[tuple[GreptileClient, CheckpointStore, StreamProgress]]:
        with source_session(
            context,
            source=SOURCE,
            upstream=GREPTILE,
            secret=config.api_key.get_secret_value(),
            max_per_sync=MAX_PER_SYNC,
            max_per_hour=MAX_PER_HOUR,
            retry=self.retry,
            transport=self.transport,
        ) as (http, store, progress):
            yield GreptileClient(config, http), store, progress

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
        client: GreptileClient,
        store: CheckpointStore,
        progress: StreamProgress,
        context: SourceRunContext,
    ) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.context = context

    def sync(self) -> None:
        self._repositories()
        self._reviews()

    def _repositories(self) -> None:
        """Each synced repository's index; one never indexed is stored as such."""
        self.progress.reading(streams.REPOSITORIES)
        with self.store.session_factory() as session:
            repositories = repositories_to_index(session)
        marks = {mark.scope: mark.cursor for mark in self.store.marks(streams.REPOSITORIES)}
        for full_name, default_branch in repositories:
            now = utcnow()
            if not streams.repository_due(marks.get(full_name, {}), now):
                continue
            self.context.check_continue()
            branch = default_branch or FALLBACK_BRANCH
            external_id = repository_id(full_name, branch)
            try:
                body = self.client.repository(external_id)
                record = payloads.repository(body, external_id, full_name, branch, now)
            except RepositoryNotIndexed:
                record = payloads.never_indexed(external_id, full_name, branch, now)
            cursor = {"checked_at": now.isoformat(), "status": record.status}
            self.store.write_page(
                PageWrite(
                    ai=AiBatch(greptile_repositories=[record]),
                    checkpoints={(streams.REPOSITORIES, full_name): cursor},
                ),
                derive_later=SCOPE,
            )
            self.progress.items(streams.REPOSITORIES, 1)
        self.progress.items(streams.REPOSITORIES, 0, done=True)

    def _reviews(self) -> None:
        """Code reviews newest first, page by page, down to the watermark."""
        self.progress.reading(streams.REVIEWS)
        cursor = self.store.load(streams.REVIEWS, SCOPE)
        while True:
            self.context.check_continue()
            offset = int(cursor.get("offset", 0))
            body = self.client.call_tool(
                "list_code_reviews", {"limit": PAGE_SIZE, "offset": offset}
            )
            items, total = payloads.reviews_page(body)
            records = [r for r in map(payloads.review, items) if r is not None]
            building = cursor.get("building")
            for record in records:
                building = streams.later(building, record.created_at)
            last = (
                len(items) < PAGE_SIZE
                or (total is not None and offset + len(items) >= total)
                or streams.reached_watermark(
                    [r.created_at for r in records], cursor.get("watermark")
                )
            )
            cursor = streams.after_page(cursor, len(items), building, last)
            self.store.write_page(
                PageWrite(
                    ai=AiBatch(greptile_reviews=records),
                    checkpoints={(streams.REVIEWS, SCOPE): cursor},
                ),
                derive_later=SCOPE,
            )
            self.progress.items(streams.REVIEWS, len(records), done=last)
            if last:
                return
