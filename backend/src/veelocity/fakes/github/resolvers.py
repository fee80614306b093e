"""GraphQL values for the organisation: plain dicts that graphql-core's default resolver reads.

Scalars are filled in eagerly (cheap); connections and other fields with arguments are
callables, so nothing is built unless the query asks for it. `__typename` lets interfaces
and unions (Actor, Node, timeline items) resolve.
"""

from __future__ import annotations

import base64
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from graphql import GraphQLResolveInfo

from veelocity.demo.model import (
    Commit,
    DemoOrganisation,
    Deployment,
    IssueComment,
    Member,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    TimelineEvent,
)
from veelocity.fakes.github.payloads import Urls, iso
from veelocity.fakes.graphql_executor import FieldError

Json = dict[str, Any]
Key = tuple[int, ...]
T = TypeVar("T")


@dataclass(slots=True)
class Context:
    """Everything one GraphQL request resolves against."""

    org: DemoOrganisation
    urls: Urls
    members: dict[str, Member]
    viewer: Member
    rate_limit: Json
    nodes_returned: int = 0
    index: dict[str, tuple[Repository, Any]] = field(default_factory=dict)


class NotFoundError(FieldError):
    """Reported as GitHub does: the field is null and the error's type is NOT_FOUND."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "NOT_FOUND")


def _encode(key: Key) -> str:
    return base64.b64encode(("cursor:v2:" + ",".join(map(str, key))).encode()).decode()


def _decode(cursor: str) -> Key:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
        if not raw.startswith("cursor:v2:"):
            raise ValueError(cursor)
        return tuple(int(v) for v in raw.removeprefix("cursor:v2:").split(","))
    except (ValueError, TypeError) as error:
        raise FieldError(
            f"`{cursor}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS"
        ) from error


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def connection(
    context: Context,
    items: Sequence[T],
    keys: Sequence[Key],
    make: Callable[[T], Json],
    args: dict[str, Any],
) -> Json:
    """A Relay connection over items sorted so that `keys` ascend."""
    start, end = 0, len(items)
    if args.get("after"):
        start = bisect_right(keys, _decode(args["after"]))
    if args.get("before"):
        end = max(start, bisect_right(keys, _decode(args["before"])) - 1)
    first, last = args.get("first"), args.get("last")
    lo, hi = start, end
    if first is not None:
        hi = min(end, lo + first)
    elif last is not None:
        lo = max(start, hi - last)
    page = items[lo:hi]
    context.nodes_returned += len(page)
    nodes = [make(item) for item in page]
    page_keys = keys[lo:hi]
    return {
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": hi < end,
            "hasPreviousPage": lo > start,
            # Encoded only when asked for: most nested lists are read for their nodes alone.
            "startCursor": (lambda _info, **_: _encode(page_keys[0])) if page else None,
            "endCursor": (lambda _info, **_: _encode(page_keys[-1])) if page else None,
        },
        "nodes": nodes,
        "edges": lambda _info, **_: [
            {"cursor": _encode(k), "node": n} for k, n in zip(page_keys, nodes, strict=True)
        ],
    }


def by_position(items: Sequence[Any]) -> list[Key]:
    return [(index,) for index in range(len(items))]


class Views:
    """Builds the dict of each GraphQL object."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.urls = context.urls
        self.actors: dict[str, Json] = {}
        self.commits: dict[int, dict[str, Commit]] = {}

    # --- people -----------------------------------------------------------------------------
    def actor(self, login: str | None) -> Json | None:
        if login is None:
            return None
        cached = self.actors.get(login)
        if cached is not None:
            return cached
        member = self.context.members.get(login)
        is_bot = member.is_bot if member else login.endswith("[bot]")
        database_id = member.id if member else 0
        value: Json = {
            "__typename": "Bot" if is_bot else "User",
            "login": login.removesuffix("[bot]") if is_bot else login,
            "id": member.node_id if member else f"U_{login}",
            "databaseId": database_id,
            "name": member.name if member else login,
            "email": member.email if member and not is_bot else "",
            "url": f"{self.urls.web}/{login}",
            "resourcePath": f"/{login}",
            "avatarUrl": f"{self.urls.web}/avatars/u/{database_id}?v=4",
            "createdAt": "2020-01-01T00:00:00Z",
            "updatedAt": "2020-01-01T00:00:00Z",
        }
        self.actors[login] = value
        return value

    def organisation(self) -> Json:
        org = self.context.org
        return {
            "__typename": "Organization",
            "id": org.node_id,
            "databaseId": org.id,
            "login": org.login,
            "name": org.name,
            "url": f"{self.urls.web}/{org.login}",
            "createdAt": iso(org.created_at),
            "updatedAt": iso(org.now),
            "repositories": self.repositories,
            "repository": lambda _info, name, **_: self._repository_named(name),
        }

    def repositories(self, _info: GraphQLResolveInfo[Any], **args: Any) -> Json:
        repos = sorted(self.context.org.repositories, key=lambda r: r.name.lower())
        order = args.get("orderBy") or {}
        if order.get("field") in ("UPDATED_AT", "PUSHED_AT", "CREATED_AT"):
            attribute = {
                "UPDATED_AT": "updated_at",
                "PUSHED_AT": "updated_at",
                "CREATED_AT": "created_at",
            }
            repos.sort(key=lambda r: (getattr(r, attribute[order["field"]]), r.id))
            if order.get("direction") == "DESC":
                repos.reverse()
        return connection(self.context, repos, by_position(repos), self.repository, args)

    def _repository_named(self, name: str, owner: str | None = None) -> Json:
        org = self.context.org
        if owner is None or owner.lower() == org.login.lower():
            for repo in org.repositories:
                if repo.name.lower() == name.lower():
                    return self.repository(repo)
        raise NotFoundError(
            f"Could not resolve to a Repository with the name '{owner or org.login}/{name}'."
        )

    # --- repositories -----------------------------------------------------------------------
    def repository(self, repo: Repository) -> Json:
        return {
            "__typename": "Repository",
            "id": repo.node_id,
            "databaseId": repo.id,
            "name": repo.name,
            "nameWithOwner": repo.full_name,
            "description": repo.description,
            "url": f"{self.urls.web}/{repo.full_name}",
            "isPrivate": True,
            "isArchived": False,
            "isFork": False,
            "isDisabled": False,
            "isEmpty": False,
            "visibility": "PRIVATE",
            "createdAt": iso(repo.created_at),
            "updatedAt": iso(repo.updated_at),
            "pushedAt": iso(repo.pushed_at),
            "owner": lambda _info, **_: self.organisation(),
            "defaultBranchRef": lambda _info, **_: self.ref(repo),
            "ref": lambda _info, **args: self._ref_named(repo, args["qualifiedName"]),
            "pullRequests": lambda _info, **args: self.pull_requests(repo, args),
            "pullRequest": lambda _info, number, **_: self._pull_request_numbered(repo, number),
            "deployments": lambda _info, **args: self.deployments(repo, args),
            "releases": lambda _info, **args: self.releases(repo, args),
            "object": lambda _info, oid=None, expression=None, **_: self._object(
                repo, oid or expression
            ),
        }

    def _object(self, repo: Repository, wanted: str | None) -> Json | None:
        if wanted in (None, repo.default_branch, "HEAD"):
            return self.commit(repo, repo.history[-1], with_history=True)
        for item in repo.history:
            if item.oid == wanted:
                return self.commit(repo, item)
        return None

    def _ref_named(self, repo: Repository, name: str) -> Json | None:
        wanted = name.removeprefix("refs/heads/")
        return self.ref(repo) if wanted == repo.default_branch else None

    def ref(self, repo: Repository) -> Json:
        return {
            "__typename": "Ref",
            "id": f"REF_{repo.id}",
            "name": repo.default_branch,
            "prefix": "refs/heads/",
            "target": self.commit(repo, repo.history[-1], with_history=True),
        }

    def commit(self, repo: Repository, item: Commit, with_history: bool = False) -> Json:
        member = self.context.members.get(item.author)
        person = {
            "name": member.name if member else item.author,
            "email": member.email if member else "",
            "date": iso(item.authored_at),
            "user": self.actor(item.author) if member and not member.is_bot else None,
        }
        value: Json = {
            "__typename": "Commit",
            "id": f"C_{item.oid}",
            "oid": item.oid,
            "abbreviatedOid": item.oid[:7],
            "message": item.message,
            "messageHeadline": item.message.split("\n", 1)[0],
            # After the headline and its blank line: trailers such as `Co-authored-by:`.
            "messageBody": item.message.partition("\n")[2].lstrip("\n"),
            "authoredDate": iso(item.authored_at),
            "committedDate": iso(item.committed_at),
            "author": person,
            "committer": {**person, "date": iso(item.committed_at)},
            "url": f"{self.urls.web}/{repo.full_name}/commit/{item.oid}",
            "additions": item.additions,
            "deletions": item.deletions,
            "changedFilesIfAvailable": None,
            "parents": lambda _info, **args: connection(
                self.context,
                list(item.parents),
                by_position(item.parents),
                lambda oid: self._parent(repo, oid),
                args,
            ),
        }
        if with_history:
            value["history"] = lambda _info, **args: self.history(repo, args)
        return value

    def _parent(self, repo: Repository, oid: str) -> Json:
        return {"__typename": "Commit", "id": f"C_{oid}", "oid": oid, "abbreviatedOid": oid[:7]}

    def history(self, repo: Repository, args: dict[str, Any]) -> Json:
        # Newest first, as `git log` from the branch head.
        commits = list(reversed(repo.history))
        since, until = args.get("since"), args.get("until")
        if since or until:
            low = str(since or "")
            high = str(until or "9999")
            commits = [c for c in commits if low <= (iso(c.committed_at) or "") <= high]
        return connection(
            self.context, commits, by_position(commits), lambda c: self.commit(repo, c), args
        )

    # --- pull requests ----------------------------------------------------------------------
    def pull_requests(self, repo: Repository, args: dict[str, Any]) -> Json:
        prs: list[PullRequest] = repo.pull_requests
        states = args.get("states")
        if states:
            wanted = set(states)
            prs = [pr for pr in prs if pr.graphql_state in wanted]
        for name, attribute in (("headRefName", "head_ref"), ("baseRefName", "base_ref")):
            if args.get(name):
                prs = [pr for pr in prs if getattr(pr, attribute) == args[name]]
        if args.get("labels"):
            labels = set(args["labels"])
            prs = [pr for pr in prs if labels & set(pr.labels)]
        order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
        attribute = "updated_at" if order.get("field") == "UPDATED_AT" else "created_at"
        sign = -1 if order.get("direction") == "DESC" else 1
        keyed = sorted(
            ((sign * _stamp(getattr(pr, attribute)), sign * pr.number), pr) for pr in prs
        )
        keys = [k for k, _ in keyed]
        ordered = [pr for _, pr in keyed]
        return connection(self.context, ordered, keys, lambda pr: self.pull_request(repo, pr), args)

    def _pull_request_numbered(self, repo: Repository, number: int) -> Json | None:
        if 1 <= number <= len(repo.pull_requests):
            return self.pull_request(repo, repo.pull_requests[number - 1])
        return None

    def pull_request(self, repo: Repository, pr: PullRequest) -> Json:
        url = f"{self.urls.web}/{repo.full_name}/pull/{pr.number}"
        context = self.context
        merge_commit = self._commit_by_oid(repo, pr.merge_commit_oid)
        return {
            "__typename": "PullRequest",
            "id": pr.node_id,
            "databaseId": pr.id,
            "fullDatabaseId": str(pr.id),
            "number": pr.number,
            "title": pr.title,
            "body": pr.body,
            "url": url,
            "permalink": url,
            "resourcePath": f"/{repo.full_name}/pull/{pr.number}",
            "state": pr.graphql_state,
            "isDraft": pr.is_draft,
            "closed": pr.closed_at is not None,
            "merged": pr.merged_at is not None,
            "locked": False,
            "createdAt": iso(pr.created_at),
            "publishedAt": iso(pr.created_at),
            "updatedAt": iso(pr.updated_at),
            "lastEditedAt": None,
            "closedAt": iso(pr.closed_at),
            "mergedAt": iso(pr.merged_at),
            "author": self.actor(pr.author),
            "mergedBy": self.actor(pr.merged_by),
            "additions": pr.additions,
            "deletions": pr.deletions,
            "changedFiles": len(pr.files),
            "baseRefName": pr.base_ref,
            "headRefName": pr.head_ref,
            "headRefOid": pr.head_oid,
            "baseRefOid": pr.commits[0].parents[0] if pr.commits and pr.commits[0].parents else "",
            "reviewDecision": self._review_decision(pr),
            "repository": lambda _info, **_: self.repository(repo),
            "mergeCommit": (lambda _info, **_: self.commit(repo, merge_commit))
            if merge_commit
            else None,
            "labels": lambda _info, **args: connection(
                context,
                pr.labels,
                by_position(pr.labels),
                lambda name: {"__typename": "Label", "id": f"LA_{name}", "name": name},
                args,
            ),
            "reviews": lambda _info, **args: self.reviews(repo, pr, args),
            "latestReviews": lambda _info, **args: self.reviews(repo, pr, args),
            "comments": lambda _info, **args: connection(
                context,
                pr.comments,
                by_position(pr.comments),
                lambda c: self.issue_comment(repo, pr, c),
                args,
            ),
            "reviewThreads": lambda _info, **args: self.review_threads(repo, pr, args),
            "commits": lambda _info, **args: connection(
                context,
                pr.commits,
                by_position(pr.commits),
                lambda c: self.pull_request_commit(repo, pr, c),
                args,
            ),
            "timelineItems": lambda _info, **args: self.timeline(repo, pr, args),
            "files": lambda _info, **args: connection(
                context,
                pr.files,
                by_position(pr.files),
                lambda f: {
                    "__typename": "PullRequestChangedFile",
                    "path": f.path,
                    "additions": f.additions,
                    "deletions": f.deletions,
                    "changeType": f.status.upper(),
                },
                args,
            ),
            "reviewRequests": lambda _info, **args: connection(
                context,
                pr.requested_reviewers,
                by_position(pr.requested_reviewers),
                lambda login: {
                    "__typename": "ReviewRequest",
                    "id": f"RR_{pr.id}_{login}",
                    "requestedReviewer": self.actor(login),
                },
                args,
            ),
        }

    def _commit_by_oid(self, repo: Repository, oid: str | None) -> Commit | None:
        if oid is None:
            return None
        commits = self.commits.get(repo.id)
        if commits is None:
            commits = self.commits[repo.id] = {c.oid: c for c in repo.history}
        return commits.get(oid)

    @staticmethod
    def _review_decision(pr: PullRequest) -> str | None:
        latest: dict[str, str] = {}
        for item in pr.reviews:
            if item.state in ("APPROVED", "CHANGES_REQUESTED"):
                latest[item.author] = item.state
        if "CHANGES_REQUESTED" in latest.values():
            return "CHANGES_REQUESTED"
        if "APPROVED" in latest.values():
            return "APPROVED"
        return "REVIEW_REQUIRED" if pr.closed_at is None else None

    def reviews(self, repo: Repository, pr: PullRequest, args: dict[str, Any]) -> Json:
        items: list[Review] = pr.reviews
        if args.get("states"):
            wanted = set(args["states"])
            items = [r for r in items if r.state in wanted]
        if args.get("author"):
            items = [r for r in items if r.author == args["author"]]
        return connection(
            self.context, items, by_position(items), lambda r: self.review(repo, pr, r), args
        )

    def review(self, repo: Repository, pr: PullRequest, item: Review) -> Json:
        url = f"{self.urls.web}/{repo.full_name}/pull/{pr.number}#pullrequestreview-{item.id}"
        in_review = [c for c in pr.review_comments if c.review_id == item.id]
        return {
            "__typename": "PullRequestReview",
            "id": item.node_id,
            "databaseId": item.id,
            "fullDatabaseId": str(item.id),
            "author": self.actor(item.author),
            "state": item.state,
            "body": item.body,
            "url": url,
            "createdAt": iso(item.submitted_at),
            "submittedAt": iso(item.submitted_at),
            "publishedAt": iso(item.submitted_at),
            "updatedAt": iso(item.submitted_at),
            "commit": {
                "__typename": "Commit",
                "id": f"C_{item.commit_oid}",
                "oid": item.commit_oid,
            },
            "comments": lambda _info, **args: connection(
                self.context,
                in_review,
                by_position(in_review),
                lambda c: self.review_comment(repo, pr, c),
                args,
            ),
        }

    def review_comment(self, repo: Repository, pr: PullRequest, item: ReviewComment) -> Json:
        return {
            "__typename": "PullRequestReviewComment",
            "id": item.node_id,
            "databaseId": item.id,
            "fullDatabaseId": str(item.id),
            "author": self.actor(item.author),
            "body": item.body,
            "path": item.path,
            "line": item.line,
            "originalLine": item.line,
            "createdAt": iso(item.created_at),
            "publishedAt": iso(item.created_at),
            "updatedAt": iso(item.updated_at),
            "url": f"{self.urls.web}/{repo.full_name}/pull/{pr.number}#discussion_r{item.id}",
            "replyTo": None,
            "outdated": False,
            "state": "SUBMITTED",
        }

    def review_threads(self, repo: Repository, pr: PullRequest, args: dict[str, Any]) -> Json:
        threads: dict[int, list[ReviewComment]] = {}
        for item in pr.review_comments:
            threads.setdefault(item.thread_id, []).append(item)
        groups = list(threads.values())

        def make(comments: list[ReviewComment]) -> Json:
            head = comments[0]
            return {
                "__typename": "PullRequestReviewThread",
                "id": f"PRRT_{head.id}",
                "isResolved": pr.closed_at is not None,
                "isOutdated": False,
                "isCollapsed": False,
                "path": head.path,
                "line": head.line,
                "comments": lambda _info, **a: connection(
                    self.context,
                    comments,
                    by_position(comments),
                    lambda c: self.review_comment(repo, pr, c),
                    a,
                ),
            }

        return connection(self.context, groups, by_position(groups), make, args)

    def issue_comment(self, repo: Repository, pr: PullRequest, item: IssueComment) -> Json:
        return {
            "__typename": "IssueComment",
            "id": item.node_id,
            "databaseId": item.id,
            "fullDatabaseId": str(item.id),
            "author": self.actor(item.author),
            "body": item.body,
            "createdAt": iso(item.created_at),
            "publishedAt": iso(item.created_at),
            "updatedAt": iso(item.updated_at),
            "url": f"{self.urls.web}/{repo.full_name}/pull/{pr.number}#issuecomment-{item.id}",
        }

    def pull_request_commit(self, repo: Repository, pr: PullRequest, item: Commit) -> Json:
        return {
            "__typename": "PullRequestCommit",
            "id": f"PURC_{item.oid[:20]}",
            "url": f"{self.urls.web}/{repo.full_name}/pull/{pr.number}/commits/{item.oid}",
            "resourcePath": f"/{repo.full_name}/pull/{pr.number}/commits/{item.oid}",
            "commit": self.commit(repo, item),
        }

    def timeline(self, repo: Repository, pr: PullRequest, args: dict[str, Any]) -> Json:
        events: list[Any] = list(pr.timeline)
        if pr.merged_at is not None:
            events.append(("MERGED_EVENT", pr))
        elif pr.closed_at is not None:
            events.append(("CLOSED_EVENT", pr))
        wanted = set(args.get("itemTypes") or ())
        if wanted:
            events = [e for e in events if self._event_type(e) in wanted]
        if args.get("since"):
            since = str(args["since"])
            events = [e for e in events if (iso(self._event_time(e)) or "") >= since]
        return connection(
            self.context, events, by_position(events), lambda e: self.timeline_item(repo, e), args
        )

    @staticmethod
    def _event_type(event: Any) -> str:
        return str(event[0]) if isinstance(event, tuple) else str(event.type)

    @staticmethod
    def _event_time(event: Any) -> datetime | None:
        if isinstance(event, tuple):
            pr: PullRequest = event[1]
            return pr.closed_at
        created: datetime = event.created_at
        return created

    def timeline_item(self, repo: Repository, event: TimelineEvent | tuple[str, Any]) -> Json:
        if isinstance(event, tuple):
            kind, pr = event
            if kind == "MERGED_EVENT":
                return {
                    "__typename": "MergedEvent",
                    "id": f"ME_{pr.id}",
                    "actor": self.actor(pr.merged_by),
                    "createdAt": iso(pr.merged_at),
                    "mergeRefName": pr.base_ref,
                    "commit": self._parent(repo, pr.merge_commit_oid or ""),
                }
            return {
                "__typename": "ClosedEvent",
                "id": f"CE_{pr.id}",
                "actor": self.actor(pr.author),
                "createdAt": iso(pr.closed_at),
            }
        typename = "".join(part.title() for part in event.type.lower().split("_"))
        value: Json = {
            "__typename": typename,
            "id": event.node_id,
            "actor": self.actor(event.actor),
            "createdAt": iso(event.created_at),
        }
        if event.type == "REVIEW_REQUESTED_EVENT":
            value["requestedReviewer"] = self.actor(event.requested_reviewer)
        return value

    # --- deployments and releases -----------------------------------------------------------
    def deployments(self, repo: Repository, args: dict[str, Any]) -> Json:
        items: list[Deployment] = repo.deployments
        if args.get("environments"):
            wanted = set(args["environments"])
            items = [d for d in items if d.environment in wanted]
        # The schema's default is {field: CREATED_AT, direction: ASC}, the only field there is.
        # Cursors hold the creation time and id, so a deployment created during a pass
        # joins its head (newest first) or its tail, and never shifts the pages between.
        descending = (args.get("orderBy") or {}).get("direction") == "DESC"
        sign = -1 if descending else 1
        keyed = sorted(((sign * _stamp(d.created_at), sign * d.id), d) for d in items)

        def make(item: Deployment) -> Json:
            latest = item.statuses[-1] if item.statuses else None
            return {
                "__typename": "Deployment",
                "id": item.node_id,
                "databaseId": item.id,
                "environment": item.environment,
                "originalEnvironment": item.environment,
                "task": item.task,
                "description": item.description,
                "createdAt": iso(item.created_at),
                "updatedAt": iso(item.updated_at),
                "state": latest.state.upper() if latest else "PENDING",
                "creator": self.actor(item.creator),
                "commitOid": item.sha,
                "commit": self._parent(repo, item.sha),
                "latestStatus": None
                if latest is None
                else {
                    "__typename": "DeploymentStatus",
                    "id": latest.node_id,
                    "state": latest.state.upper(),
                    "createdAt": iso(latest.created_at),
                    "description": latest.description,
                },
            }

        return connection(self.context, [d for _, d in keyed], [k for k, _ in keyed], make, args)

    def releases(self, repo: Repository, args: dict[str, Any]) -> Json:
        order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "DESC"}
        sign = -1 if order.get("direction") == "DESC" else 1
        if order.get("field") == "NAME":
            by_name = sorted(repo.releases, key=lambda r: (r.name, r.id))
            items: list[Release] = by_name[::-1] if sign < 0 else by_name
            keys = by_position(items)
        else:
            keyed = sorted(((sign * _stamp(r.created_at), sign * r.id), r) for r in repo.releases)
            items, keys = [r for _, r in keyed], [k for k, _ in keyed]

        def make(item: Release) -> Json:
            return {
                "__typename": "Release",
                "id": item.node_id,
                "databaseId": item.id,
                "name": item.name,
                "tagName": item.tag_name,
                "createdAt": iso(item.created_at),
                "publishedAt": iso(item.published_at),
                "isDraft": item.draft,
                "isPrerelease": item.prerelease,
                "author": self.actor(item.author),
            }

        return connection(self.context, items, keys, make, args)

    def _organisation_named(self, login: str) -> Json:
        if login.lower() == self.context.org.login.lower():
            return self.organisation()
        raise NotFoundError(f"Could not resolve to an Organization with the login of '{login}'.")

    # --- global ids -------------------------------------------------------------------------
    def node(self, node_id: str) -> Json | None:
        index = self.context.index
        if not index:
            for repo in self.context.org.repositories:
                index[repo.node_id] = (repo, repo)
                for pr in repo.pull_requests:
                    index[pr.node_id] = (repo, pr)
        found = index.get(node_id)
        if found is None:
            return None
        repo, item = found
        if isinstance(item, PullRequest):
            return self.pull_request(repo, item)
        return self.repository(repo)

    def root(self) -> Json:
        context = self.context
        return {
            "viewer": self.actor(context.viewer.login),
            "organization": lambda _info, login, **_: self._organisation_named(login),
            "repositoryOwner": lambda _info, login, **_: (
                self.organisation() if login.lower() == context.org.login.lower() else None
            ),
            "repository": lambda _info, owner, name, **_: self._repository_named(name, owner),
            "node": lambda _info, id, **_: self.node(id),
            "nodes": lambda _info, ids, **_: [self.node(i) for i in ids],
            "rateLimit": lambda _info, **_: context.rate_limit,
        }
