"""The GitHub sync and the "Fill PR details" job: streams, pages, checkpoints, workers.

A run finds the repositories (organisations and/or explicit ones), then syncs them with a
small pool of workers, one repository per worker at a time. In a repository each stream
reads pages from its checkpoint; each page is written with its next checkpoint in one
transaction (`CheckpointStore.write_page`). Between pages the run checks whether it was
cancelled. A failing repository does not stop the others; the run then fails with the first
error. Errors that concern every repository (bad token, budget, rate limit, cancellation)
stop all workers at their next page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
from pydantic import ValidationError

from veelocity.connectors.base import UpstreamNotFound
from veelocity.connectors.github import payloads, queries, streams
from veelocity.connectors.github.client import GitHubClient
from veelocity.connectors.github.config import GitHubConfig, split_tokens
from veelocity.connectors.http import (
    HttpPolicy,
    RequestBudget,
    RetryPolicy,
    TokenPool,
    rate_limit_of,
    scopes_of,
)
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.storage import CheckpointStore, PageWrite, requests_in_last_hour
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import deployment_patterns, read_secret, source_view
from veelocity.sync.context import (
    BudgetExhausted,
    ProgressReporter,
    SourceRunContext,
    SyncCancelled,
    SyncError,
)

SOURCE = "github"
#: errors that concern every repository: stop all workers
_STOPPING_CODES = {"bad_credentials", "budget_exhausted", "rate_limited", "not_configured"}


def load_config(context: SourceRunContext) -> GitHubConfig:
    """The GitHub settings saved in Settings, with the token decrypted."""
    if context.cipher is None:
        raise SyncError(
            "not_configured",
            "VEELOCITY_ENCRYPTION_KEY is not set, so the GitHub token cannot be read.",
        )
    with context.session_factory() as session:
        view = source_view(session, context.cipher, SourceName.GITHUB)
        token = read_secret(session, context.cipher, SourceName.GITHUB, "token")
        patterns = deployment_patterns(session, context.settings.deployment_patterns)
    if not token:
        raise SyncError("not_configured", "No GitHub token is set in Settings → GitHub.")
    try:
        base_url = OutboundPolicy.from_settings(context.settings).check_base_url(
            str(view.get("api_base_url") or "https://api.github.com")
        )
    except ForbiddenURL as exc:
        raise SyncError("not_configured", f"The GitHub API URL cannot be used: {exc}") from None
    organizations = tuple(view.get("organizations") or ())
    repositories = tuple(view.get("repositories") or ())
    if not organizations and not repositories:
        raise SyncError(
            "not_configured",
            "Settings → GitHub lists no organisation and no repository to sync.",
        )
    try:
        return GitHubConfig(
            tokens=split_tokens(token),
            organizations=organizations,
            repositories=repositories,
            api_base_url=base_url,
            deployment_patterns=tuple(patterns),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SyncError("not_configured", f"Settings → GitHub: {first['msg']}") from None


def _progress(reporter: ProgressReporter) -> StreamProgress:
    return StreamProgress(reporter, rate_limit_of)


_Progress = StreamProgress


@dataclass
class GitHubSync:
    """The GitHub jobs, as callables the orchestration runs (`SourceSync`).

    The defaults are production's; tests and benchmarks pass a quicker retry policy or
    another worker count."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    workers: int | None = None
    transport: httpx.BaseTransport | None = None
    #: pull requests (and deployments) per GraphQL page; GitHub allows up to 100
    page_size: int = 100

    @contextmanager
    def _session(
        self, context: SourceRunContext, config: GitHubConfig
    ) -> Iterator[tuple[GitHubClient, CheckpointStore, _Progress]]:
        settings = context.settings
        usage = requests_in_last_hour(context.session_factory, [SOURCE], context.run_id)
        budget = RequestBudget(
            max_per_sync=settings.rate_limit_max_per_sync,
            max_per_hour=settings.rate_limit_max_per_hour,
            used_this_hour_before=usage.requests,
            hour_frees_at=usage.frees_at,
            delay_seconds=settings.rate_limit_delay_ms / 1000,
        )
        progress = _progress(context.reporter)
        tokens = TokenPool([t.get_secret_value() for t in config.tokens])
        http = HttpPolicy(
            tokens=tokens,
            budget=budget,
            outbound=OutboundPolicy.from_settings(settings),
            retry=self.retry,
            on_response=progress.response,
            transport=self.transport,
            check_continue=context.check_continue,
        )
        with http:
            store = CheckpointStore(SOURCE, context.session_factory, settings)
            yield GitHubClient(config, http), store, progress

    # --- the sync ----------------------------------------------------------------------
    def __call__(self, context: SourceRunContext) -> None:
        config = load_config(context).model_copy(update={"page_size": self.page_size})
        with self._session(context, config) as (client, store, progress):
            try:
                repositories = discover_repositories(client, store, progress, context)
                _run_all(
                    [
                        partial(sync_repository, client, store, progress, context, config, r)
                        for r in repositories
                    ],
                    self.workers or context.settings.github_sync_workers,
                    context,
                )
            finally:
                # what was written is derived, also when the run stopped early
                store.derive_pending()

    # --- the details job ---------------------------------------------------------------
    def fill_details(self, context: SourceRunContext) -> None:
        config = load_config(context)
        with self._session(context, config) as (client, store, progress):
            progress.reading(streams.PR_DETAILS)
            for mark in store.marks(streams.PR_DETAILS):
                context.check_continue()
                stored = store.stored_pull_request(SOURCE, mark.scope)
                page = PageWrite(cleared=[(streams.PR_DETAILS, mark.scope, mark.updated_at)])
                if stored is not None and stored.number is not None:
                    page.pull_requests.append(
                        streams.complete_pull_request(client, stored, mark.cursor.get("lists", []))
                    )
                store.write_page(page)
                progress.items(streams.PR_DETAILS, len(page.pull_requests))
            progress.items(streams.PR_DETAILS, 0, done=True)
            if context.settings.pr_size_exclude:
                workers = self.workers or context.settings.github_sync_workers
                _fill_files(client, store, progress, context, workers)


def _fill_files(
    client: GitHubClient,
    store: CheckpointStore,
    progress: _Progress,
    context: SourceRunContext,
    workers: int,
) -> None:
    """File lists of merged pull requests, so PR size can leave out excluded files. The
    stored lists are the checkpoint: a stopped job continues with the PRs still missing.
    Repositories are read side by side, like the sync's."""
    missing = store.merged_pull_requests_without_files()
    _run_all(
        [
            partial(_fill_repository_files, client, store, progress, context, name, prs)
            for name, prs in missing.items()
        ],
        workers,
        context,
    )
    progress.items(streams.PR_FILES, 0, done=True)


def _fill_repository_files(
    client: GitHubClient,
    store: CheckpointStore,
    progress: _Progress,
    context: SourceRunContext,
    repository: str,
    missing: list[tuple[str, int]],
) -> None:
    progress.reading(streams.PR_FILES)
    for start in range(0, len(missing), queries.FILES_BATCH):
        context.check_continue()
        batch = {
            number: external_id
            for external_id, number in missing[start : start + queries.FILES_BATCH]
        }
        lists = streams.pull_request_files(client, repository, sorted(batch))
        page = PageWrite(
            pull_request_files={(SOURCE, batch[number]): files for number, files in lists.items()}
        )
        store.write_page(page)
        progress.items(streams.PR_FILES, page.items)


def _run_all(tasks: list[Callable[[], None]], workers: int, context: SourceRunContext) -> None:
    """Run the repositories' syncs on a pool; stop early on errors that concern them all."""
    stop = threading.Event()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def guarded(task: Callable[[], None]) -> None:
        if stop.is_set():
            return
        try:
            task()
        except (SyncError, SyncCancelled) as exc:
            with lock:
                errors.append(exc)
            if isinstance(exc, SyncCancelled) or exc.code in _STOPPING_CODES:
                stop.set()
        except BaseException as exc:
            with lock:
                errors.append(exc)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="github-sync") as pool:
        list(pool.map(guarded, tasks))
    if errors:
        raise _most_important(errors)


def _most_important(errors: list[BaseException]) -> BaseException:
    def rank(error: BaseException) -> int:
        if isinstance(error, SyncCancelled):
            return 0
        if isinstance(error, SyncError):
            order = ["bad_credentials", "budget_exhausted", "rate_limited", "missing_scopes"]
            return 1 + order.index(error.code) if error.code in order else 10
        return 20

    first = min(errors, key=rank)
    # Workers that a request giving the run up stopped with the same error did not fail too.
    others = sum(1 for error in errors if str(error) != str(first))
    if isinstance(first, SyncError) and not isinstance(first, BudgetExhausted) and others:
        return SyncError(
            first.code,
            f"{first.message} ({others} more repositor{'y' if others == 1 else 'ies'} "
            "failed too; see the logs)",
            resets_at=first.resets_at,
        )
    return first


# --- repositories -----------------------------------------------------------------------
@dataclass(frozen=True)
class RepositoryToSync:
    full_name: str
    default_branch: str | None


def discover_repositories(
    client: GitHubClient, store: CheckpointStore, progress: _Progress, context: SourceRunContext
) -> list[RepositoryToSync]:
    """The organisations' repositories and the explicit ones (each listing answers 304 when
    unchanged, and the stored list is used)."""
    found: dict[str, RepositoryToSync] = {}
    progress.reading(streams.REPOSITORIES)
    for organization in client.config.organizations:
        context.check_continue()
        for name, branch in _organization_repositories(client, store, organization):
            found.setdefault(name.lower(), RepositoryToSync(name, branch))
    for name in client.config.repositories:
        context.check_continue()
        cursor = store.load(streams.REPOSITORIES, name)
        try:
            page = client.rest(f"/repos/{name}", etag=cursor.get("etag"))
        except UpstreamNotFound:
            raise streams._not_found(name) from None
        if not page.not_modified:
            repo = payloads.RestRepository.model_validate(page.body)
            cursor = {"etag": page.etag, "full_name": repo.full_name, "branch": repo.default_branch}
            store.write_page(
                PageWrite(
                    repositories=[payloads.repository_record(repo)],
                    checkpoints={(streams.REPOSITORIES, name): cursor},
                )
            )
        full_name = str(cursor.get("full_name") or name)
        found.setdefault(full_name.lower(), RepositoryToSync(full_name, cursor.get("branch")))
    progress.items(streams.REPOSITORIES, len(found), done=True)
    return list(found.values())


def _organization_repositories(
    client: GitHubClient, store: CheckpointStore, organization: str
) -> list[tuple[str, str | None]]:
    cursor = store.load(streams.REPOSITORIES, organization)
    try:
        page = client.rest(
            f"/orgs/{organization}/repos",
            params={"per_page": 100, "type": "all"},
            etag=cursor.get("etag"),
        )
    except UpstreamNotFound:
        raise SyncError(
            "not_found",
            f"GitHub has no organisation {organization} that this token can see: check the "
            "name in Settings → GitHub, and that the token has the read:org scope.",
        ) from None
    if page.not_modified:
        return [(name, branch) for name, branch in cursor.get("repositories", [])]
    first_etag = page.etag
    scopes = scopes_of(page.response)
    if not page.body and scopes is not None and "repo" not in scopes:
        # GitHub hides private repositories from a token without `repo`, as if they were not
        # there: an empty listing is then most likely a missing scope.
        raise SyncError(
            "missing_scopes",
            f"GitHub lists no repository of {organization} that the token can see, and the "
            f"token lacks the repo scope (it has: {', '.join(scopes) or 'none'}). Add the repo "
            "scope to the token.",
        )
    repositories: list[payloads.RestRepository] = []
    while True:
        repositories += payloads.parse_list(payloads.RestRepository, page.body)
        if page.next_url is None:
            break
        page = client.rest(page.next_url)
    listed = [(r.full_name, r.default_branch) for r in repositories]
    store.write_page(
        PageWrite(
            repositories=[payloads.repository_record(r) for r in repositories],
            checkpoints={
                (streams.REPOSITORIES, organization): {
                    "etag": first_etag,
                    "repositories": [list(item) for item in listed],
                }
            },
        )
    )
    return listed


# --- one repository -----------------------------------------------------------------------
def sync_repository(
    client: GitHubClient,
    store: CheckpointStore,
    progress: _Progress,
    context: SourceRunContext,
    config: GitHubConfig,
    repository: RepositoryToSync,
) -> None:
    """Read every stream of a repository (what the pages change is derived at the end of
    the run)."""
    _read_streams(client, store, progress, context, config, repository)


def _read_streams(
    client: GitHubClient,
    store: CheckpointStore,
    progress: _Progress,
    context: SourceRunContext,
    config: GitHubConfig,
    repository: RepositoryToSync,
) -> None:
    name = repository.full_name

    def run(
        stream: str, fetch: Callable[[dict[str, Any]], streams.Step], scope: str = name
    ) -> None:
        """Read the stream's pages from its checkpoint to the end of the pass."""
        cursor = store.load(stream, scope)
        progress.reading(stream)
        while True:
            context.check_continue()
            step = fetch(cursor)
            page = PageWrite(
                commits=step.commits,
                pull_requests=step.pull_requests,
                deployments=step.deployments,
                issues=step.issues,
                checkpoints={(stream, scope): step.cursor},
            )
            for number, lists in step.overflowing.items():
                external_id = payloads.numbered_external_id(name, number)
                page.checkpoints[(streams.PR_DETAILS, external_id)] = {"lists": lists}
            if step.cursor != cursor or page.items:
                store.write_page(page, derive_later=name)
            progress.items(stream, page.items)
            cursor = step.cursor
            if step.done:
                return

    run(
        streams.COMMITS,
        lambda c: streams.commits_page(
            client, name, repository.default_branch, c, lambda shas: store.known_commits(name, shas)
        ),
    )
    run(
        streams.PULL_REQUESTS,
        lambda c: streams.pull_requests_page(client, name, c, config.page_size),
    )
    run(
        streams.DEPLOYMENTS,
        lambda c: streams.deployments_page(client, name, c, config.page_size),
    )
    run(streams.RELEASES, lambda c: streams.releases_page(client, name, c))
    run(streams.ISSUES, lambda c: streams.issues_page(client, name, c))
    if store.load(streams.DEPLOYMENTS, name).get("watermark"):
        # The repository records GitHub Deployments (Actions creates one for each job that
        # names an environment): they say where each deployment went, so its workflow
        # runs would only count the same deployments twice.
        return
    run(streams.WORKFLOWS, lambda c: streams.workflows_page(client, name, c))
    workflows: dict[str, str] = store.load(streams.WORKFLOWS, name).get("workflows", {})
    for workflow_id, workflow_name in sorted(workflows.items()):
        if config.is_deployment_workflow(workflow_name):
            run(
                streams.WORKFLOW_RUNS,
                partial(_workflow_runs, client, name, workflow_id, workflow_name),
                scope=f"{name}:{workflow_id}",
            )


def _workflow_runs(
    client: GitHubClient, name: str, workflow_id: str, workflow_name: str, cursor: dict[str, Any]
) -> streams.Step:
    return streams.workflow_runs_page(client, name, workflow_id, workflow_name, cursor)
