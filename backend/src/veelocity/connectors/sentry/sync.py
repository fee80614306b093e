"""The Sentry sync: each stream read from its checkpoint, every page written with its next
checkpoint in one transaction (`CheckpointStore.write_page`).

Streams run one after the other (`streams.STREAMS`): projects first, since releases, issues
and error counts name them. An issue that could cross the incident thresholds is marked
(`issue_events`, in its page's transaction) and its events are read after the issues, one
window at a time. Between requests the run checks whether it was cancelled; what the pages
changed is derived at the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from veelocity.connectors.base import UpstreamNotFound
from veelocity.connectors.http import RetryPolicy
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.sentry import payloads, streams
from veelocity.connectors.sentry.client import SENTRY, CursorExpired, SentryClient
from veelocity.connectors.sentry.config import (
    DEFAULT_BASE_URL,
    MAX_PER_HOUR,
    MAX_PER_SYNC,
    PAGE_SIZE,
    SentryConfig,
    api_root,
)
from veelocity.connectors.session import source_session
from veelocity.connectors.storage import CheckpointStore, Mark, PageWrite
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import read_secret, sentry_thresholds, source_view
from veelocity.derive.config import DeriveConfig
from veelocity.records.sentry import (
    SentryBatch,
    SentryDeployRecord,
    SentryEventsPage,
    SentryReleaseRecord,
)
from veelocity.store.sentry import stored_issues, stored_releases
from veelocity.sync.context import SourceRunContext, SyncError

T = TypeVar("T")

#: windows one issue's mark may read in a run (a regression found days after the last
#: stored event is searched a day a window)
MAX_WINDOWS_PER_RUN = 30
#: releases of a page whose deploys or commits are read at once
RELEASE_WORKERS = 4

SOURCE = "sentry"
#: the scope of the organisation-wide streams
SCOPE = "organization"


def load_config(context: SourceRunContext) -> SentryConfig:
    """The Sentry settings saved in Settings, with the token decrypted; the base URL is
    checked by the outbound policy here, at every run, not only when it was saved."""
    if context.cipher is None:
        raise SyncError(
            "not_configured",
            "VEELOCITY_ENCRYPTION_KEY is not set, so the Sentry auth token cannot be read.",
        )
    with context.session_factory() as session:
        view = source_view(session, context.cipher, SourceName.SENTRY)
        token = read_secret(session, context.cipher, SourceName.SENTRY, "token")
    if not token:
        raise SyncError("not_configured", "No Sentry auth token is set in Settings → Sentry.")
    organization = str(view.get("organization") or "").strip()
    if not organization:
        raise SyncError(
            "not_configured", "No Sentry organisation slug is set in Settings → Sentry."
        )
    try:
        base_url = OutboundPolicy.from_settings(context.settings).check_base_url(
            str(view.get("base_url") or DEFAULT_BASE_URL)
        )
    except ForbiddenURL as exc:
        raise SyncError("not_configured", f"The Sentry base URL cannot be used: {exc}") from None
    try:
        return SentryConfig(
            token=token.strip(), organization=organization, base_url=api_root(base_url)
        )
    except ValidationError as exc:
        raise SyncError("not_configured", f"Settings → Sentry: {exc.errors()[0]['msg']}") from None


def thresholds_of(context: SourceRunContext) -> streams.Thresholds:
    """The incident thresholds in use: saved in Settings → Sentry, else the configuration's."""
    with context.session_factory() as session:
        found = sentry_thresholds(session, context.settings)
    return streams.Thresholds(
        min_events=found.min_events,
        min_users=found.min_users,
        levels=frozenset(level.lower() for level in found.levels),
    )


@dataclass
class SentrySync:
    """The Sentry job, as a callable the orchestration runs (`SourceSync`)."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None

    @contextmanager
    def session(
        self, context: SourceRunContext, config: SentryConfig
    ) -> Iterator[tuple[SentryClient, CheckpointStore, StreamProgress]]:
        with source_session(
            context,
            source=SOURCE,
            upstream=SENTRY,
            secret=config.token.get_secret_value(),
            max_per_sync=MAX_PER_SYNC,
            max_per_hour=MAX_PER_HOUR,
            retry=self.retry,
            transport=self.transport,
        ) as (http, store, progress):
            yield SentryClient(config, http), store, progress

    def __call__(self, context: SourceRunContext) -> None:
        config = load_config(context)
        with self.session(context, config) as (client, store, progress):
            try:
                _Run(client, store, progress, context).sync()
            finally:
                # what was written is derived, also when the run stopped early
                store.derive_pending()


#: maps one page of a stream into a page write; returns the watermark being built and
#: whether the pass ends with this page
_PageReader = Callable[[list[dict[str, Any]], streams.Cursor, PageWrite], tuple[str | None, bool]]


class _Run:
    def __init__(
        self,
        client: SentryClient,
        store: CheckpointStore,
        progress: StreamProgress,
        context: SourceRunContext,
    ) -> None:
        self.client = client
        self.store = store
        self.progress = progress
        self.context = context
        self.org = client.config.organization
        self.thresholds = thresholds_of(context)
        self.is_production = DeriveConfig.from_settings(context.settings).is_production
        self._started = utcnow().isoformat()
        self._pages = 0

    def _pending_scope(self) -> str:
        """A scope of its own for each page's pending derive: merging every page into one
        pending row would rewrite a list of all the run's issues with each page (quadratic
        on a first sync); `derive_pending` merges the rows once, at the end."""
        self._pages += 1
        return f"{SCOPE}:{self._started}:{self._pages}"

    def sync(self) -> None:
        self._paged(streams.PROJECTS, f"organizations/{self.org}/projects/", self._projects)
        self._paged(streams.RELEASES, f"organizations/{self.org}/releases/", self._releases)
        self._paged(streams.ISSUES, f"organizations/{self.org}/issues/", self._issues)
        self._events()
        self._error_stats()

    # --- the paged streams ------------------------------------------------------------
    def _paged(self, stream: str, path: str, read: _PageReader) -> None:
        """Read a stream's pass to its end from its checkpoint. A page cursor Sentry no
        longer takes restarts the pass from the watermark, once per run."""
        self.progress.reading(stream)
        cursor = self.store.load(stream, SCOPE)
        restarts = 0
        while True:
            self.context.check_continue()
            params = _params(stream, cursor)
            try:
                page = self.client.page(path, params, cursor.get("cursor"))
            except CursorExpired:
                if restarts:
                    raise
                restarts += 1
                cursor = streams.restarted(cursor)
                self.store.write_page(PageWrite(checkpoints={(stream, SCOPE): cursor}))
                continue
            write = PageWrite()
            building, last = read(page.items, cursor, write)
            next_page = None if last else page.next_cursor
            cursor = streams.next_cursor(cursor, next_page, building)
            write.checkpoints[(stream, SCOPE)] = cursor
            self.store.write_page(write, derive_later=self._pending_scope())
            self.progress.items(stream, write.sentry.items, done=next_page is None)
            if next_page is None:
                return

    def _projects(
        self, items: list[dict[str, Any]], cursor: streams.Cursor, write: PageWrite
    ) -> tuple[str | None, bool]:
        write.sentry.projects = [payloads.project(item) for item in items]
        return None, False

    def _releases(
        self, items: list[dict[str, Any]], cursor: streams.Cursor, write: PageWrite
    ) -> tuple[str | None, bool]:
        parsed = [payloads.release(item) for item in items]
        with self.store.session_factory() as session:
            stored = stored_releases(session, (r.version for r in parsed))
        building = cursor.get("building")
        for release in parsed:
            building = streams.later(building, release.date_created)

        def record(release: payloads.Release) -> SentryReleaseRecord:
            self.progress.reading(streams.RELEASES)  # each worker thread counts its requests
            known = stored.get(release.version)
            commits = None
            if (
                release.commit_count
                and release.last_commit is None
                and not (known and known.commits_read)
            ):
                commits = self._release_commits(release.version)
            deploys = self._new_deploys(release, known.deploys if known else 0)
            return payloads.release_record(release, commits, deploys)

        # a page's deploy and commit lists are read side by side: on a first sync most
        # releases need one request each, and they would otherwise wait on each other
        with ThreadPoolExecutor(RELEASE_WORKERS, thread_name_prefix="sentry-release") as pool:
            write.sentry.releases = list(pool.map(record, parsed))
        ended = streams.releases_older_than_watermark(
            [r.date_created for r in parsed], cursor.get("watermark")
        )
        return building, ended

    def _new_deploys(
        self, release: payloads.Release, stored: int
    ) -> tuple[SentryDeployRecord, ...] | None:
        """Deploys Sentry counts beyond the stored ones: one more is the release's
        `lastDeploy` (no request); more are read from the release's deploys list."""
        if release.deploy_count <= stored:
            return None
        latest = payloads.last_deploy(release)
        if latest is not None and release.deploy_count == stored + 1:
            return (latest,)
        return self._release_deploys(release.version)

    def _release_commits(self, version: str) -> tuple[str, ...] | None:
        return self._release_list(version, "commits", payloads.commit_sha)

    def _release_deploys(self, version: str) -> tuple[SentryDeployRecord, ...] | None:
        return self._release_list(version, "deploys", payloads.deploy)

    def _release_list(
        self, version: str, what: str, mapping: Callable[[Any], T]
    ) -> tuple[T, ...] | None:
        """Every item of a release's sub-list; None when the release is gone meanwhile."""
        path = f"organizations/{self.org}/releases/{quote(version, safe='')}/{what}/"
        found: list[T] = []
        page_cursor: str | None = None
        try:
            while True:
                self.context.check_continue()
                page = self.client.page(path, {"per_page": PAGE_SIZE}, page_cursor)
                found += [mapping(item) for item in page.items]
                page_cursor = page.next_cursor
                if page_cursor is None:
                    return tuple(found)
        except (UpstreamNotFound, CursorExpired):
            return None  # deleted, or its list changed under us: the next run reads it again

    def _issues(
        self, items: list[dict[str, Any]], cursor: streams.Cursor, write: PageWrite
    ) -> tuple[str | None, bool]:
        records = [payloads.issue(item) for item in items]
        with self.store.session_factory() as session:
            stored = stored_issues(session, (r.external_id for r in records))
        building = cursor.get("building")
        for record in records:
            building = streams.later(building, record.last_seen)
            for window in streams.event_windows(
                record, stored.get(record.external_id), self.thresholds, self.is_production
            ):
                scope = streams.window_scope(record.external_id, window)
                write.checkpoints[(streams.ISSUE_EVENTS, scope)] = window
        write.sentry.issues = records
        return building, False

    # --- events of the issues that could become incidents ---------------------------------
    def _events(self) -> None:
        """Each marked window once per run: first the issue's own endpoint (its tags name
        the environment, and its first release), then its events in the window. A window
        not over yet (a young issue) stays marked and is read again from where it ended."""
        self.progress.reading(streams.ISSUE_EVENTS)
        for mark in self.store.marks(streams.ISSUE_EVENTS):
            self.context.check_continue()
            key = (streams.ISSUE_EVENTS, mark.scope)
            gone = PageWrite(cleared=[(*key, mark.updated_at)])
            issue_id = streams.issue_of_scope(mark.scope)
            try:
                if not self._still_candidate(issue_id):
                    self.store.write_page(gone, derive_later=self._pending_scope())
                    continue
                self._read_window(issue_id, mark)
            except UpstreamNotFound:
                # merged into another issue, or deleted: what is stored stays
                self.store.write_page(gone, derive_later=self._pending_scope())
        self.progress.items(streams.ISSUE_EVENTS, 0, done=True)

    def _still_candidate(self, issue_id: str) -> bool:
        """Read the issue's detail and store it; whether its events still matter."""
        body = self.client.get(f"organizations/{self.org}/issues/{issue_id}/")
        record = payloads.issue(body, detailed=True)
        self.store.write_page(
            PageWrite(sentry=SentryBatch(issues=[record])), derive_later=self._pending_scope()
        )
        return streams.could_become_incident(record, self.thresholds, self.is_production)

    def _read_window(self, issue_id: str, mark: Mark) -> None:
        """Read a mark's window, and the windows that follow from it (a regression's search
        and the rest of its day). The mark changes only at the end: a run killed in between
        reads the same windows again (stored events are not repeated)."""
        key = (streams.ISSUE_EVENTS, mark.scope)
        window = mark.cursor
        for _hop in range(MAX_WINDOWS_PER_RUN):
            now = utcnow()
            first_event = self._read_events(issue_id, streams.read_from(window), now)
            following = streams.following_window(window, first_event)
            if following is None:
                break
            window = following
        else:
            # a long search: the next run continues from the window reached
            self.store.write_page(
                PageWrite(checkpoints={key: window}), derive_later=self._pending_scope()
            )
            return
        rest = streams.window_after_read(window, now)
        done = PageWrite(
            sentry=SentryBatch(events=[SentryEventsPage(issue_id, (), complete=rest is None)])
        )
        if rest is None:
            done.cleared.append((*key, mark.updated_at))
        else:
            done.checkpoints[key] = rest
        self.store.write_page(done, derive_later=self._pending_scope())

    def _read_events(self, issue_id: str, window: streams.Cursor, now: datetime) -> datetime | None:
        """Every event of the issue in the window, each page written as it comes; returns
        the first event's time (None when there is none)."""
        page_cursor: str | None = None
        restarted = False
        first: datetime | None = None
        while True:
            self.context.check_continue()
            try:
                page = self.client.page(
                    f"issues/{issue_id}/events/", streams.events_params(window, now), page_cursor
                )
            except CursorExpired:
                if restarted:
                    raise
                restarted, page_cursor = True, None  # the window again from its start
                continue
            events = tuple(payloads.event(item) for item in page.items)
            for event in events:
                first = event.at if first is None or event.at < first else first
            self.store.write_page(
                PageWrite(sentry=SentryBatch(events=[SentryEventsPage(issue_id, events)])),
                derive_later=self._pending_scope(),
            )
            self.progress.items(streams.ISSUE_EVENTS, len(events))
            page_cursor = page.next_cursor
            if page_cursor is None:
                return first

    # --- error counts per project and day ----------------------------------------------
    def _error_stats(self) -> None:
        self.progress.reading(streams.ERROR_STATS)
        self.context.check_continue()
        cursor = self.store.load(streams.ERROR_STATS, SCOPE)
        today = utcnow().date()
        body = self.client.get(
            f"organizations/{self.org}/stats_v2/", streams.stats_params(cursor, today)
        )
        write = PageWrite(sentry=SentryBatch(error_stats=payloads.error_stats(body)))
        write.checkpoints[(streams.ERROR_STATS, SCOPE)] = {"read_through": today.isoformat()}
        self.store.write_page(write, derive_later=self._pending_scope())
        self.progress.items(streams.ERROR_STATS, write.sentry.items, done=True)


def _params(stream: str, cursor: streams.Cursor) -> dict[str, str | int]:
    if stream == streams.ISSUES:
        # the watermark moves only at the end of a pass: every page of a pass asks the same
        return streams.issues_params(cursor.get("watermark"))
    return {"per_page": PAGE_SIZE}
