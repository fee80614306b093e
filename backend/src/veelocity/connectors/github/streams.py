"""Each GitHub stream: fetch one page from a cursor, map it, and say where the next starts.

A cursor is the JSON a stream keeps in its checkpoint, per repository. Streams read newest
first and stop at what the last complete pass saw (its watermark); a pass interrupted
midway keeps the page cursor it reached and the watermark it is building, so the next run
resumes there. REST first pages carry the last ETag, so an unchanged list costs a free 304.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from veelocity.connectors.base import ConnectorError, QueryTooHeavy, UpstreamNotFound
from veelocity.connectors.github import payloads, queries
from veelocity.connectors.github.client import GitHubClient
from veelocity.core.time import utcnow
from veelocity.records import (
    CommitRecord,
    DeploymentRecord,
    IssueRecord,
    PullRequestEventRecord,
    PullRequestFileRecord,
    PullRequestRecord,
)
from veelocity.sync.context import SyncError

Cursor = dict[str, Any]

PULL_REQUESTS = "pull_requests"
COMMITS = "commits"
WORKFLOWS = "workflows"
WORKFLOW_RUNS = "workflow_runs"
DEPLOYMENTS = "deployments"
RELEASES = "releases"
ISSUES = "issues"
PR_DETAILS = "pr_details"
PR_FILES = "pr_files"
REPOSITORIES = "repositories"

MIN_PAGE = 5


@dataclass
class Step:
    """One page of a stream: what to write, the cursor after it, whether the pass ended."""

    cursor: Cursor
    done: bool
    pull_requests: list[PullRequestRecord] = field(default_factory=list)
    commits: list[CommitRecord] = field(default_factory=list)
    deployments: list[DeploymentRecord] = field(default_factory=list)
    issues: list[IssueRecord] = field(default_factory=list)
    #: pull request number → nested lists that did not fit (for the details job)
    overflowing: dict[int, list[str]] = field(default_factory=dict)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _at(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _later(a: str | None, b: datetime | None) -> str | None:
    if b is None:
        return a
    if a is None or datetime.fromisoformat(a) < b:
        return b.isoformat()
    return a


def _earlier(a: str | None, b: datetime | None) -> str | None:
    if b is None:
        return a
    if a is None or datetime.fromisoformat(a) > b:
        return b.isoformat()
    return a


def _invalid(what: str, repository: str, exc: ValidationError) -> ConnectorError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return ConnectorError(
        f"GitHub sent {what} of {repository} we cannot read: {where}: {first['msg']}"
    )


def _not_found(repository: str) -> SyncError:
    return SyncError(
        "not_found",
        f"GitHub has no repository {repository} that this token can see: check the name in "
        "Settings → GitHub, and that the token has access to it.",
    )


def _owner_name(repository: str) -> dict[str, str]:
    owner, name = repository.split("/", 1)
    return {"owner": owner, "name": name}


# --- pull requests (GraphQL) ------------------------------------------------------------------
def _graphql_page(
    client: GitHubClient, query: str, variables: dict[str, Any], cursor: Cursor, page_size: int
) -> tuple[dict[str, Any], int]:
    """Ask for a page, halving its size each time GitHub cannot answer in time (502)."""
    first = int(cursor.get("first") or page_size)
    while True:
        try:
            data = client.graphql(
                query, {**variables, "first": first}, too_heavy_signal=first > MIN_PAGE
            )
            return data, first
        except QueryTooHeavy:
            first = max(MIN_PAGE, first // 2)


PageT = TypeVar("PageT", bound=BaseModel)


def _repository_connection_page(
    client: GitHubClient,
    repository: str,
    cursor: Cursor,
    page_size: int,
    *,
    query: str,
    connection: str,
    model: type[PageT],
    what: str,
) -> tuple[PageT, int]:
    """One page of a connection under `repository(owner, name)`, parsed, with its size."""
    variables = {**_owner_name(repository), "after": cursor.get("after")}
    try:
        data, first = _graphql_page(client, query, variables, cursor, page_size)
    except UpstreamNotFound:
        raise _not_found(repository) from None
    repo = data.get("repository")
    if repo is None:
        raise _not_found(repository)
    try:
        return model.model_validate(repo[connection]), first
    except ValidationError as exc:
        raise _invalid(what, repository, exc) from None


def pull_requests_page(
    client: GitHubClient, repository: str, cursor: Cursor, page_size: int = 100
) -> Step:
    page, first = _repository_connection_page(
        client,
        repository,
        cursor,
        page_size,
        query=queries.PULL_REQUESTS,
        connection="pullRequests",
        model=payloads.GqlPullRequestPage,
        what="pull requests",
    )
    watermark = _at(cursor.get("watermark"))
    building = cursor.get("building")
    step = Step(cursor={}, done=False)
    reached_watermark = False
    for node in page.nodes:
        if node is None:
            continue
        # Newest-updated first: the first PR older than the last pass ends this pass.
        # Equal times are read again (a PR may have changed within the same second).
        if watermark is not None and node.updated_at < watermark:
            reached_watermark = True
            break
        building = _later(building, node.updated_at)
        step.pull_requests.append(payloads.pull_request_record(repository, node))
        if lists := node.overflowing():
            step.overflowing[node.number] = lists
    step.done = reached_watermark or not page.page_info.has_next_page
    if step.done:
        step.cursor = {"watermark": building or cursor.get("watermark")}
    else:
        step.cursor = {
            "watermark": cursor.get("watermark"),
            "building": building,
            "after": page.page_info.end_cursor,
            "first": first,
        }
    return step


# --- deployments (GraphQL) --------------------------------------------------------------------
def deployments_page(
    client: GitHubClient, repository: str, cursor: Cursor, page_size: int = 100
) -> Step:
    """GitHub Deployments, newest created first. Unfinished ones are read again next time
    (the pass reaches back to the oldest deployment that was still running)."""
    page, first = _repository_connection_page(
        client,
        repository,
        cursor,
        page_size,
        query=queries.DEPLOYMENTS,
        connection="deployments",
        model=payloads.GqlDeploymentPage,
        what="deployments",
    )
    stop_at = _earlier(cursor.get("watermark"), _at(cursor.get("open_since")))
    stop = _at(stop_at)
    building = cursor.get("building")
    open_since = cursor.get("building_open_since")
    step = Step(cursor={}, done=False)
    reached = False
    for node in page.nodes:
        if node is None:
            continue
        if stop is not None and node.created_at < stop:
            reached = True
            break
        building = _later(building, node.created_at)
        record = payloads.deployment_record(repository, node)
        if record is None:
            open_since = _earlier(open_since, node.created_at)
        else:
            step.deployments.append(record)
    step.done = reached or not page.page_info.has_next_page
    if step.done:
        step.cursor = {"watermark": building or cursor.get("watermark"), "open_since": open_since}
    else:
        step.cursor = {
            **{k: cursor.get(k) for k in ("watermark", "open_since")},
            "building": building,
            "building_open_since": open_since,
            "after": page.page_info.end_cursor,
            "first": first,
        }
    return step


# --- the default branch's commit graph (REST, ETag) -------------------------------------------
KnownCommits = Callable[[Iterable[str]], set[str]]


def commits_page(
    client: GitHubClient,
    repository: str,
    default_branch: str | None,
    cursor: Cursor,
    known: KnownCommits,
) -> Step:
    """Newest first from the branch head, until every parent of what was read is either read
    or already in the graph. An unchanged branch answers 304 to the stored ETag."""
    next_url = cursor.get("next_url")
    try:
        if next_url:
            page = client.rest(next_url)
        else:
            params: dict[str, str | int] = {"per_page": 100}
            if default_branch:
                params["sha"] = default_branch
            page = client.rest(
                f"/repos/{repository}/commits",
                params=params,
                etag=cursor.get("etag"),
                accept=(409,),
            )
    except UpstreamNotFound:
        raise _not_found(repository) from None
    if page.not_modified:
        return Step(cursor=cursor, done=True)
    if page.response.status_code == 409 or page.body is None:  # an empty repository
        return Step(cursor={"etag": page.etag}, done=True)
    try:
        items = payloads.parse_list(payloads.RestCommit, page.body)
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise _invalid("commits", repository, exc) from None
        raise ConnectorError(f"GitHub sent commits of {repository} we cannot read: {exc}") from None
    records = [payloads.commit_record(repository, item) for item in items]
    read = {record.sha for record in records}
    pending = set(cursor.get("pending") or ()) - read
    for record in records:
        pending |= {parent for parent in record.parents if parent not in read}
    pending -= known(pending)
    # the ETag kept is the first page's: it is what the next pass sends
    etag = cursor.get("new_etag") if next_url else page.etag
    done = not pending or page.next_url is None
    if done:
        return Step(cursor={"etag": etag}, done=True, commits=records)
    return Step(
        cursor={
            "etag": cursor.get("etag"),
            "new_etag": etag,
            "next_url": page.next_url,
            "pending": sorted(pending),
        },
        done=False,
        commits=records,
    )


# --- releases (REST, ETag) --------------------------------------------------------------------
#: GitHub lists releases by the date of their commit, not by when they were published: a
#: release of an old commit (a backport) lands deep in the list, below the watermark. Once
#: a day a pass reads the whole list, without its ETag, to find those.
RELEASES_FULL_READ_EVERY = timedelta(hours=24)


def releases_page(client: GitHubClient, repository: str, cursor: Cursor) -> Step:
    """Releases, newest commit first, down to the watermark — or down to the oldest draft
    seen (a draft published later keeps its early date), or the whole list once a day."""
    next_url = cursor.get("next_url")
    last_full = _at(cursor.get("full_read_at"))
    full = (
        cursor.get("full")
        if next_url
        else (last_full is None or utcnow() - last_full >= RELEASES_FULL_READ_EVERY)
    )
    try:
        page = (
            client.rest(next_url)
            if next_url
            else client.rest(
                f"/repos/{repository}/releases",
                params={"per_page": 100},
                etag=None if full else cursor.get("etag"),
            )
        )
    except UpstreamNotFound:
        raise _not_found(repository) from None
    if page.not_modified:
        return Step(cursor=cursor, done=True)
    try:
        items = payloads.parse_list(payloads.RestRelease, page.body or [])
    except ValidationError as exc:
        raise _invalid("releases", repository, exc) from None
    stop = None if full else _at(_earlier(cursor.get("watermark"), _at(cursor.get("draft_since"))))
    building = cursor.get("building")
    draft_since = cursor.get("building_draft_since")
    step = Step(cursor={}, done=False)
    reached = False
    for item in items:
        if stop is not None and item.created_at < stop:
            reached = True
            break
        building = _later(building, item.created_at)
        if item.draft or item.published_at is None:
            draft_since = _earlier(draft_since, item.created_at)
        elif record := payloads.release_record(repository, item):
            step.deployments.append(record)
    etag = cursor.get("new_etag") if next_url else page.etag
    step.done = reached or page.next_url is None
    if step.done:
        step.cursor = {
            "etag": etag,
            "watermark": building or cursor.get("watermark"),
            "draft_since": draft_since,
            "full_read_at": _iso(utcnow()) if full else cursor.get("full_read_at"),
        }
    else:
        step.cursor = {
            "etag": cursor.get("etag"),
            "new_etag": etag,
            "watermark": cursor.get("watermark"),
            "draft_since": cursor.get("draft_since"),
            "full_read_at": cursor.get("full_read_at"),
            "full": full,
            "building": building,
            "building_draft_since": draft_since,
            "next_url": page.next_url,
        }
    return step


# --- issues (REST, ETag) ----------------------------------------------------------------------
#: GitHub answers 410 Gone for the issues of a repository that has issues turned off
_ISSUES_DISABLED = 410


def issues_page(client: GitHubClient, repository: str, cursor: Cursor) -> Step:
    """Issues updated since the watermark, oldest update first. Pull requests, which GitHub
    lists as issues too, are skipped. `since` is inclusive: the issues updated at the
    watermark itself are read again (writing them again changes nothing).

    The first page's URL names the watermark, so its ETag is kept with the watermark it was
    asked with and only sent while that watermark stands. A pass that moves the watermark
    ends by asking the new first page once, so an unchanged next pass costs one 304."""
    next_url = cursor.get("next_url")
    watermark = cursor.get("watermark")
    try:
        if next_url:
            page = client.rest(next_url, accept=(_ISSUES_DISABLED,))
        else:
            params: dict[str, str | int] = {
                "state": "all",
                "sort": "updated",
                "direction": "asc",
                "per_page": 100,
            }
            if watermark:
                params["since"] = _github_time(watermark)
            etag = cursor.get("etag") if cursor.get("etag_watermark") == watermark else None
            page = client.rest(
                f"/repos/{repository}/issues",
                params=params,
                etag=etag,
                accept=(_ISSUES_DISABLED,),
            )
    except UpstreamNotFound:
        raise _not_found(repository) from None
    if page.not_modified:
        return Step(cursor=cursor, done=True)
    if page.response.status_code == _ISSUES_DISABLED:
        return Step(cursor={"watermark": watermark}, done=True)
    try:
        items = payloads.parse_list(payloads.RestIssue, page.body)
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise _invalid("issues", repository, exc) from None
        raise ConnectorError(f"GitHub sent issues of {repository} we cannot read: {exc}") from None
    building = cursor.get("building") or watermark
    step = Step(cursor={}, done=False)
    for item in items:
        building = _later(building, item.updated_at)
        if not item.is_pull_request:
            step.issues.append(payloads.issue_record(repository, item))
    # the first page's ETag, with the watermark its URL was asked with
    etag, etag_watermark = (
        (cursor.get("new_etag"), cursor.get("new_etag_watermark"))
        if next_url
        else (page.etag, watermark)
    )
    if page.next_url is None:
        if building == watermark:
            step.done = True
            step.cursor = {"watermark": watermark, "etag": etag, "etag_watermark": etag_watermark}
        else:
            # The watermark moved, and with it the first page's URL: ask that URL once now
            # (it re-reads the latest issues) so that the next pass can send its ETag.
            step.cursor = {"watermark": building}
    else:
        step.cursor = {
            "watermark": watermark,
            "etag": cursor.get("etag"),
            "etag_watermark": cursor.get("etag_watermark"),
            "new_etag": etag,
            "new_etag_watermark": etag_watermark,
            "building": building,
            "next_url": page.next_url,
        }
    return step


def _github_time(value: str) -> str:
    """An ISO time as GitHub writes it (UTC, seconds, Z)."""
    moment = datetime.fromisoformat(value).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- workflows and the runs of deployment workflows (REST, ETag) ------------------------------
def workflows_page(client: GitHubClient, repository: str, cursor: Cursor) -> Step:
    """The repository's workflows by id → name (one page: repositories rarely have 100)."""
    try:
        page = client.rest(
            f"/repos/{repository}/actions/workflows",
            params={"per_page": 100},
            etag=cursor.get("etag"),
        )
    except UpstreamNotFound:
        raise _not_found(repository) from None
    if page.not_modified:
        return Step(cursor=cursor, done=True)
    try:
        listing = payloads.RestWorkflowList.model_validate(page.body)
    except ValidationError as exc:
        raise _invalid("workflows", repository, exc) from None
    names = {str(w.id): w.name for w in listing.workflows}
    return Step(cursor={"etag": page.etag, "workflows": names}, done=True)


#: GitHub lets a finished run be run again for 30 days; the new attempt keeps the run's
#: creation date, so each pass reads again the runs created this long before its watermark
#: (an unchanged first page still costs a free 304).
RERUN_WINDOW = timedelta(days=3)


def workflow_runs_page(
    client: GitHubClient, repository: str, workflow_id: str, workflow_name: str, cursor: Cursor
) -> Step:
    """Runs of one deployment workflow, newest first; runs still going, and runs created
    within RERUN_WINDOW of the watermark, are read again. A run with several attempts is a
    deployment per attempt: the earlier attempts are read from their own URLs."""
    next_url = cursor.get("next_url")
    try:
        page = (
            client.rest(next_url)
            if next_url
            else client.rest(
                f"/repos/{repository}/actions/workflows/{workflow_id}/runs",
                params={"per_page": 100},
                etag=cursor.get("etag"),
            )
        )
    except UpstreamNotFound:
        raise _not_found(repository) from None
    if page.not_modified:
        return Step(cursor=cursor, done=True)
    try:
        listing = payloads.RestWorkflowRunList.model_validate(page.body)
    except ValidationError as exc:
        raise _invalid("workflow runs", repository, exc) from None
    watermark = _at(cursor.get("watermark"))
    stop = _at(
        _earlier(
            _iso(watermark - RERUN_WINDOW) if watermark else None, _at(cursor.get("open_since"))
        )
    )
    building = cursor.get("building")
    open_since = cursor.get("building_open_since")
    step = Step(cursor={}, done=False)
    reached = False
    for run in listing.workflow_runs:
        if stop is not None and run.created_at < stop:
            reached = True
            break
        building = _later(building, run.created_at)
        if run.status != "completed":
            open_since = _earlier(open_since, run.created_at)
            continue
        if record := payloads.workflow_run_record(repository, run, workflow_name):
            step.deployments.append(record)
        step.deployments.extend(_earlier_attempts(client, repository, run, workflow_name))
    etag = cursor.get("new_etag") if next_url else page.etag
    step.done = reached or page.next_url is None
    if step.done:
        step.cursor = {
            "etag": etag,
            "watermark": building or cursor.get("watermark"),
            "open_since": open_since,
        }
    else:
        step.cursor = {
            "etag": cursor.get("etag"),
            "new_etag": etag,
            "watermark": cursor.get("watermark"),
            "open_since": cursor.get("open_since"),
            "building": building,
            "building_open_since": open_since,
            "next_url": page.next_url,
        }
    return step


def _earlier_attempts(
    client: GitHubClient, repository: str, run: payloads.RestWorkflowRun, workflow_name: str
) -> list[DeploymentRecord]:
    """The attempts before a re-run run's latest, each a deployment of its own (a failed
    attempt then a successful one is a failed deployment and its recovery)."""
    records: list[DeploymentRecord] = []
    for attempt in range(1, (run.run_attempt or 1)):
        try:
            page = client.rest(f"/repos/{repository}/actions/runs/{run.id}/attempts/{attempt}")
            earlier = payloads.RestWorkflowRun.model_validate(page.body)
        except UpstreamNotFound:
            continue  # GitHub keeps a run's attempts for as long as the run; gone means gone
        except ValidationError as exc:
            raise _invalid("workflow run attempts", repository, exc) from None
        if record := payloads.workflow_run_record(repository, earlier, workflow_name):
            records.append(record)
    return records


# --- pull request details: the nested lists a GraphQL page could not hold (REST) --------------
#: overflowing list → the REST lists that replace it, by the event kinds they hold
DETAIL_KINDS: dict[str, tuple[str, ...]] = {
    "reviews": ("review", "review_comment"),
    "review_comments": ("review_comment",),
    "comments": ("comment",),
    "timeline": ("ready_for_review", "review_requested"),
    "commits": (),
}


def _all_pages(client: GitHubClient, path: str) -> list[Any]:
    items: list[Any] = []
    page = client.rest(path, params={"per_page": 100})
    while True:
        if not isinstance(page.body, list):
            raise ConnectorError(f"GitHub sent {path} as something other than a list")
        items.extend(page.body)
        if page.next_url is None:
            return items
        page = client.rest(page.next_url)


def complete_pull_request(
    client: GitHubClient, stored: PullRequestRecord, lists: Iterable[str]
) -> PullRequestRecord:
    """The stored pull request with the overflowing lists read whole; the rest is kept."""
    repository, number = stored.repository, stored.number
    base = f"/repos/{repository}"
    wanted = set(lists)
    if "reviews" in wanted:
        wanted.add("review_comments")
    replaced_kinds = {kind for name in wanted for kind in DETAIL_KINDS.get(name, ())}
    events = [e for e in stored.events or () if e.kind not in replaced_kinds]
    commits = list(stored.commits or ())
    try:
        if "reviews" in wanted or "review_comments" in wanted:
            reviews = (
                payloads.parse_list(
                    payloads.RestReview, _all_pages(client, f"{base}/pulls/{number}/reviews")
                )
                if "reviews" in wanted
                else []
            )
            comments = payloads.parse_list(
                payloads.RestComment, _all_pages(client, f"{base}/pulls/{number}/comments")
            )
            events += payloads.review_events(reviews, comments)
        if "comments" in wanted:
            events += payloads.comment_events(
                payloads.parse_list(
                    payloads.RestComment, _all_pages(client, f"{base}/issues/{number}/comments")
                )
            )
        if "timeline" in wanted and number is not None:
            events += _timeline(client, repository, number)
        if "commits" in wanted:
            commits = payloads.pull_commit_records(
                payloads.parse_list(
                    payloads.RestPullCommit, _all_pages(client, f"{base}/pulls/{number}/commits")
                )
            )
    except ValidationError as exc:
        raise _invalid(f"details of pull request #{number}", repository, exc) from None
    except UpstreamNotFound:
        raise _not_found(repository) from None
    return dataclasses.replace(stored, events=tuple(events), commits=tuple(commits))


def _timeline(client: GitHubClient, repository: str, number: int) -> list[PullRequestEventRecord]:
    """Every ready-for-review and review-requested event of a PR (GraphQL pages of 100)."""
    events: list[PullRequestEventRecord] = []
    after: str | None = None
    while True:
        data = client.graphql(
            queries.TIMELINE_EVENTS,
            {**_owner_name(repository), "number": number, "after": after},
        )
        pull_request = (data.get("repository") or {}).get("pullRequest")
        if pull_request is None:
            return events
        page = payloads.GqlTimeline.model_validate(pull_request["timelineItems"])
        events += payloads.timeline_item_events(page.nodes)
        if not page.page_info.has_next_page:
            return events
        after = page.page_info.end_cursor


# --- pull request files: for PR-size exclusions (GraphQL, many PRs per request) ---------------
FileLists = dict[int, tuple[PullRequestFileRecord, ...]]


def pull_request_files(client: GitHubClient, repository: str, numbers: list[int]) -> FileLists:
    """The changed files of these pull requests (one GraphQL request for up to
    `queries.FILES_BATCH`); a PR GitHub no longer has gets an empty list, so it is not asked
    for again."""
    try:
        data = client.graphql(queries.pull_request_files(numbers), _owner_name(repository))
    except UpstreamNotFound:
        # One of the PRs is gone (or the repository): GitHub then fails the whole request,
        # so read each PR alone.
        return {number: _rest_files(client, repository, number) for number in numbers}
    repo = data.get("repository")
    if repo is None:
        raise _not_found(repository)
    lists: FileLists = {}
    for number in numbers:
        raw = repo.get(f"pr{number}")
        if raw is None:
            lists[number] = ()
            continue
        try:
            pull_request = payloads.GqlPullRequestFiles.model_validate(raw)
        except ValidationError as exc:
            raise _invalid(f"files of pull request #{number}", repository, exc) from None
        files = pull_request.files or payloads.GqlFileConnection()
        if files.page_info.has_next_page:
            lists[number] = _rest_files(client, repository, number)
        else:
            lists[number] = payloads.file_records(files.nodes)
    return lists


def _rest_files(
    client: GitHubClient, repository: str, number: int
) -> tuple[PullRequestFileRecord, ...]:
    """Every file of one PR over REST (GitHub lists at most 3,000)."""
    try:
        items = _all_pages(client, f"/repos/{repository}/pulls/{number}/files")
        return payloads.rest_file_records(payloads.parse_list(payloads.RestPullFile, items))
    except UpstreamNotFound:
        return ()
    except ValidationError as exc:
        raise _invalid(f"files of pull request #{number}", repository, exc) from None
