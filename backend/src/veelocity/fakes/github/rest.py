"""The REST endpoints: which items each path lists, filtered and ordered as GitHub does.

Handlers return a `Listing` (items plus how to render one, paginated by the app) or a
`Single` payload; the app adds pagination, ETags, rate-limit headers and faults.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from veelocity.demo.model import DemoOrganisation, Issue, Member, PullRequest, Repository
from veelocity.fakes.github import payloads
from veelocity.fakes.github.payloads import Json, Urls, iso

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


@dataclass(slots=True)
class Single:
    body: Any
    status: int = 200
    modified: datetime | None = None  # sent as Last-Modified, for If-Modified-Since


@dataclass(slots=True)
class Listing:
    items: Sequence[Any]
    render: Callable[[Any], Json]
    link_path: str  # the path later pages use, e.g. /repositories/123/pulls
    wrapper: str | None = None  # e.g. workflow_runs: {"total_count": n, "workflow_runs": [...]}
    max_items: int | None = None  # some lists stop at a fixed number of items


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    urls: Urls
    viewer: Member | None
    scopes: tuple[str, ...] | None  # None: unauthenticated
    members: dict[str, Member] = field(default_factory=dict)
    media: str | None = None  # full, html, text or raw (from application/vnd.github.*+json)


Result = Single | Listing
# Query parameters of /actions/runs and the run attribute each one matches.
RUN_FILTERS = {"branch": "head_branch", "event": "event", "head_sha": "head_sha", "actor": "actor"}
REPO_PATH = re.compile(
    r"^/(?:repos/(?P<owner>[^/]+)/(?P<name>[^/]+)|repositories/(?P<rid>\d+))(?P<rest>/.*)?$"
)


def _since(value: str | None) -> str:
    if not value:
        return ""
    return value if "T" in value else f"{value}T00:00:00Z"


class RestApi:
    def __init__(self, org: DemoOrganisation) -> None:
        self.org = org
        self.stats_ready: set[int] = set()

    # --- dispatch ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Result:
        path = request.path.rstrip("/") or "/"
        if request.method != "GET":
            return Single(NOT_FOUND, 404)  # the fake is read-only
        if path == "/user":
            if request.viewer is None:
                return Single(
                    {
                        "message": "Requires authentication",
                        "documentation_url": "https://docs.github.com/rest/users/users",
                    },
                    401,
                )
            return Single(payloads.authenticated_user(request.urls, request.viewer))
        if path.startswith(("/orgs/", "/organizations/")):
            return self.organisation(request, path)
        match = REPO_PATH.match(path)
        if match:
            repo = self.find_repository(match, request)
            if repo is None:
                return Single(NOT_FOUND, 404)
            return self.repository(request, repo, match.group("rest") or "")
        return Single(NOT_FOUND, 404)

    def visible(self, request: Request) -> bool:
        # The organisation's repositories are private: reading them needs the `repo` scope.
        return request.scopes is not None and "repo" in request.scopes

    def find_repository(self, match: re.Match[str], request: Request) -> Repository | None:
        if not self.visible(request):
            return None
        for repo in self.org.repositories:
            if match.group("rid"):
                if repo.id == int(match.group("rid")):
                    return repo
            elif (
                repo.owner.lower() == match.group("owner").lower()
                and repo.name.lower() == match.group("name").lower()
            ):
                return repo
        return None

    def organisation(self, request: Request, path: str) -> Result:
        parts = path.split("/")
        org = self.org
        known = parts[2].lower() == org.login.lower() or parts[2] == str(org.id)
        if not known:
            return Single(NOT_FOUND, 404)
        if len(parts) == 3:
            return Single(payloads.organisation(request.urls, org))
        if len(parts) == 4 and parts[3] == "repos":
            repos = list(org.repositories) if self.visible(request) else []
            sort = request.query.get("sort", "created")
            key: Callable[[Repository], Any] = {
                "updated": lambda r: r.updated_at,
                "pushed": lambda r: r.updated_at,
                "full_name": lambda r: r.full_name.lower(),
            }.get(sort, lambda r: r.created_at)
            default = "asc" if sort == "full_name" else "desc"
            repos.sort(key=key, reverse=request.query.get("direction", default) == "desc")
            return Listing(
                repos,
                lambda r: payloads.repository(request.urls, org, r),
                f"/organizations/{org.id}/repos",
            )
        return Single(NOT_FOUND, 404)

    # --- one repository ---------------------------------------------------------------------
    def repository(self, request: Request, repo: Repository, rest: str) -> Result:
        urls, org, members, query = request.urls, self.org, request.members, request.query
        base = f"/repositories/{repo.id}"
        parts = [p for p in rest.split("/") if p]
        if not parts:
            return Single(payloads.repository(urls, org, repo, full=True), modified=repo.updated_at)
        head = parts[0]
        if head == "pulls":
            return self.pulls(request, repo, parts[1:])
        if head == "issues" and len(parts) <= 2:
            return self.issues(request, repo, parts[1:])
        if head == "issues" and len(parts) == 3 and parts[2] == "comments":
            pr = self._pull(repo, parts[1])
            if pr is None:
                if self._issue(repo, parts[1]) is not None:  # issues keep no comments here
                    return Listing([], lambda c: c, f"{base}/issues/{parts[1]}/comments")
                return Single(NOT_FOUND, 404)
            since = _since(query.get("since"))
            comments = [c for c in pr.comments if (iso(c.updated_at) or "") >= since]
            return Listing(
                comments,
                lambda c: payloads.issue_comment(urls, repo, pr, c, members),
                f"{base}/issues/{pr.number}/comments",
            )
        if head == "commits" and len(parts) == 1:
            return self.commits(request, repo)
        if head == "actions":
            return self.actions(request, repo, parts[1:])
        if head == "deployments":
            return self.deployments(request, repo, parts[1:])
        if head == "releases" and len(parts) == 1:
            releases = sorted(repo.releases, key=lambda r: (r.created_at, r.id), reverse=True)
            return Listing(
                releases,
                lambda r: payloads.release(urls, repo, r, members),
                f"{base}/releases",
            )
        if parts == ["stats", "contributors"]:
            return self.contributors(request, repo)
        return Single(NOT_FOUND, 404)

    @staticmethod
    def _pull(repo: Repository, number: str) -> PullRequest | None:
        if not number.isdigit():
            return None
        index = int(number) - 1
        return repo.pull_requests[index] if 0 <= index < len(repo.pull_requests) else None

    @staticmethod
    def _issue(repo: Repository, number: str) -> Issue | None:
        if not number.isdigit():
            return None
        return next((i for i in repo.issues if i.number == int(number)), None)

    def issues(self, request: Request, repo: Repository, parts: list[str]) -> Result:
        """Issues and, as GitHub lists them too, pull requests (with a `pull_request` key)."""
        urls, members, query = request.urls, request.members, request.query
        if parts:
            found = self._issue(repo, parts[0])
            if found is not None:
                return Single(payloads.issue(urls, repo, found, members), modified=found.updated_at)
            pr = self._pull(repo, parts[0])
            if pr is None:
                return Single(NOT_FOUND, 404)
            return Single(
                payloads.pull_request_issue(urls, repo, pr, members), modified=pr.updated_at
            )
        items: list[Issue | PullRequest] = [*repo.issues, *repo.pull_requests]
        state = query.get("state", "open")
        if state != "all":
            items = [i for i in items if i.state == state]
        if query.get("labels"):
            wanted = {name.strip() for name in query["labels"].split(",") if name.strip()}
            items = [i for i in items if wanted <= set(i.labels)]
        since = _since(query.get("since"))
        if since:
            items = [i for i in items if (iso(i.updated_at) or "") >= since]
        sort = query.get("sort", "created")

        def key(item: Issue | PullRequest) -> tuple[Any, int]:
            if sort == "comments":
                count = item.comments if isinstance(item, Issue) else len(item.comments)
                return count, item.number
            return (item.updated_at if sort == "updated" else item.created_at), item.number

        items.sort(key=key, reverse=query.get("direction", "desc") == "desc")
        return Listing(
            items,
            lambda item: (
                payloads.issue(urls, repo, item, members)
                if isinstance(item, Issue)
                else payloads.pull_request_issue(urls, repo, item, members)
            ),
            f"/repositories/{repo.id}/issues",
        )

    def pulls(self, request: Request, repo: Repository, parts: list[str]) -> Result:
        urls, org, members, query = request.urls, self.org, request.members, request.query
        base = f"/repositories/{repo.id}/pulls"
        if not parts:
            state = query.get("state", "open")
            prs = [pr for pr in repo.pull_requests if state == "all" or pr.state == state]
            if query.get("base"):
                prs = [pr for pr in prs if pr.base_ref == query["base"]]
            if query.get("head"):
                wanted = query["head"].split(":", 1)[-1]
                prs = [pr for pr in prs if pr.head_ref == wanted]
            sort = query.get("sort", "created")
            attribute = "updated_at" if sort == "updated" else "created_at"
            prs.sort(
                key=lambda pr: (getattr(pr, attribute), pr.number),
                reverse=query.get("direction", "desc") == "desc",
            )
            repo_payload = payloads.repository(urls, org, repo)
            return Listing(
                prs,
                lambda pr: payloads.pull_request(
                    urls, org, repo, pr, members, repo_payload=repo_payload
                ),
                base,
            )
        if parts == ["comments"]:
            since = _since(query.get("since"))
            every = [
                (c, pr)
                for pr in repo.pull_requests
                for c in pr.review_comments
                if (iso(c.updated_at) or "") >= since
            ]
            every.sort(key=lambda pair: (pair[0].created_at, pair[0].id))
            return Listing(
                every,
                lambda pair: payloads.review_comment(urls, repo, pair[1], pair[0], members),
                f"{base}/comments",
            )
        pr = self._pull(repo, parts[0])
        if pr is None:
            return Single(NOT_FOUND, 404)
        here = f"{base}/{pr.number}"
        if len(parts) == 1:
            return Single(
                payloads.pull_request(urls, org, repo, pr, members, full=True),
                modified=pr.updated_at,
            )
        what = parts[1] if len(parts) == 2 else ""
        if what == "reviews":
            return Listing(
                pr.reviews,
                lambda r: payloads.review(urls, repo, pr, r, members),
                f"{here}/reviews",
            )
        if what == "comments":
            return Listing(
                pr.review_comments,
                lambda c: payloads.review_comment(urls, repo, pr, c, members),
                f"{here}/comments",
            )
        if what == "commits":
            return Listing(
                pr.commits,
                lambda c: payloads.commit(urls, repo, c, members),
                f"{here}/commits",
                max_items=250,
            )
        if what == "files":
            return Listing(
                pr.files,
                lambda f: payloads.changed_file(urls, repo, pr, f.path, f.additions, f.deletions),
                f"{here}/files",
                max_items=3000,
            )
        return Single(NOT_FOUND, 404)

    def commits(self, request: Request, repo: Repository) -> Result:
        query = request.query
        sha = query.get("sha", repo.default_branch)
        history = repo.history
        if sha != repo.default_branch:
            position = next((i for i, c in enumerate(history) if c.oid == sha), None)
            if position is None:
                return Single(
                    {
                        "message": f"No commit found for SHA: {sha}",
                        "documentation_url": "https://docs.github.com/rest/commits/commits",
                    },
                    404,
                )
            history = history[: position + 1]
        since, until = _since(query.get("since")), _since(query.get("until")) or "9999"
        items = [c for c in reversed(history) if since <= (iso(c.committed_at) or "") <= until]
        return Listing(
            items,
            lambda c: payloads.commit(request.urls, repo, c, request.members),
            f"/repositories/{repo.id}/commits",
        )

    def actions(self, request: Request, repo: Repository, parts: list[str]) -> Result:
        urls, members, query = request.urls, request.members, request.query
        base = f"/repositories/{repo.id}/actions"
        if parts == ["workflows"]:
            return Listing(
                repo.workflows,
                lambda w: payloads.workflow(urls, repo, w),
                f"{base}/workflows",
                wrapper="workflows",
            )
        runs = repo.workflow_runs
        link = f"{base}/runs"
        if len(parts) == 3 and parts[0] == "workflows" and parts[2] == "runs":
            workflow = next(
                (w for w in repo.workflows if str(w.id) == parts[1] or w.path.endswith(parts[1])),
                None,
            )
            if workflow is None:
                return Single(NOT_FOUND, 404)
            runs = [r for r in runs if r.workflow_id == workflow.id]
            link = f"{base}/workflows/{workflow.id}/runs"
        elif len(parts) == 2 and parts[0] == "runs":
            run = next((r for r in runs if str(r.id) == parts[1]), None)
            if run is None:
                return Single(NOT_FOUND, 404)
            return Single(
                payloads.workflow_run(urls, self.org, repo, run, members), modified=run.updated_at
            )
        elif len(parts) == 4 and parts[0] == "runs" and parts[2] == "attempts":
            run = next((r for r in runs if str(r.id) == parts[1]), None)
            number = int(parts[3]) if parts[3].isdigit() else 0
            if run is None or not 1 <= number <= len(run.attempts):
                return Single(NOT_FOUND, 404)
            return Single(payloads.workflow_run(urls, self.org, repo, run, members, attempt=number))
        elif parts != ["runs"]:
            return Single(NOT_FOUND, 404)
        filtered = False
        for name, attribute in RUN_FILTERS.items():
            if query.get(name):
                filtered = True
                runs = [r for r in runs if getattr(r, attribute) == query[name]]
        if query.get("status"):
            filtered = True
            wanted = query["status"]
            runs = [r for r in runs if wanted in (r.status, r.latest.conclusion)]
        if query.get("created"):
            filtered = True
            low, high = _created_range(query["created"])
            runs = [r for r in runs if low <= r.created_at <= high]
        ordered = sorted(runs, key=lambda r: (r.created_at, r.id), reverse=True)
        short_repo = payloads.minimal_repository(urls, self.org, repo)
        return Listing(
            ordered,
            lambda r: payloads.workflow_run(urls, self.org, repo, r, members, short_repo),
            link,
            wrapper="workflow_runs",
            # Filtered searches return at most 1,000 runs, as documented.
            max_items=1000 if filtered else None,
        )

    def deployments(self, request: Request, repo: Repository, parts: list[str]) -> Result:
        urls, members, query = request.urls, request.members, request.query
        base = f"/repositories/{repo.id}/deployments"
        if not parts:
            items = list(repo.deployments)
            for name in ("sha", "ref", "task", "environment"):
                if query.get(name):
                    items = [d for d in items if getattr(d, name) == query[name]]
            items.sort(key=lambda d: (d.created_at, d.id), reverse=True)
            return Listing(items, lambda d: payloads.deployment(urls, repo, d, members), base)
        deployment = next((d for d in repo.deployments if str(d.id) == parts[0]), None)
        if deployment is None:
            return Single(NOT_FOUND, 404)
        if len(parts) == 1:
            return Single(
                payloads.deployment(urls, repo, deployment, members), modified=deployment.updated_at
            )
        if parts[1:] == ["statuses"]:
            statuses = list(reversed(deployment.statuses))
            return Listing(
                statuses,
                lambda s: payloads.deployment_status(urls, repo, deployment, s, members),
                f"{base}/{deployment.id}/statuses",
            )
        return Single(NOT_FOUND, 404)

    def contributors(self, request: Request, repo: Repository) -> Result:
        # GitHub computes statistics in the background: the first call answers 202.
        if repo.id not in self.stats_ready:
            self.stats_ready.add(repo.id)
            return Single({}, 202)
        weeks: dict[str, dict[int, int]] = {}
        for item in repo.history:
            week = int(item.committed_at.timestamp()) // 604800 * 604800
            weeks.setdefault(item.author, {}).setdefault(week, 0)
            weeks[item.author][week] += 1
        body = []
        for login, counts in sorted(weeks.items(), key=lambda kv: sum(kv[1].values())):
            body.append(
                {
                    "author": payloads.user(request.urls, request.members.get(login), login),
                    "total": sum(counts.values()),
                    "weeks": [{"w": w, "a": 0, "d": 0, "c": c} for w, c in sorted(counts.items())],
                }
            )
        return Single(body)


def _created_range(value: str) -> tuple[datetime, datetime]:
    """GitHub's date-range syntax: >=D, <=D, >D, <D, D..D, or a single day."""
    low, high = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)

    def parse(text: str) -> datetime:
        text = text.strip()
        if "T" not in text:
            text += "T00:00:00+00:00"
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    try:
        if ".." in value:
            first, second = value.split("..", 1)
            if first not in ("", "*"):
                low = parse(first)
            if second not in ("", "*"):
                high = parse(second)
        elif value.startswith(">="):
            low = parse(value[2:])
        elif value.startswith(">"):
            low = parse(value[1:])
        elif value.startswith("<="):
            high = parse(value[2:])
        elif value.startswith("<"):
            high = parse(value[1:])
        else:
            low = parse(value)
            high = low.replace(hour=23, minute=59, second=59)
    except ValueError:
        pass
    return low, high
