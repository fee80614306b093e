"""REST payloads shaped exactly like GitHub's (the recorded real responses are the model)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from veelocity.demo.model import (
    Commit,
    DemoOrganisation,
    Deployment,
    DeploymentStatus,
    Issue,
    IssueComment,
    Member,
    PullRequest,
    Release,
    Repository,
    Review,
    ReviewComment,
    Workflow,
    WorkflowRun,
)

Json = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    """GitHub's timestamp form (UTC, seconds, Z)."""
    return None if moment is None else _iso(moment)


@lru_cache(maxsize=262_144)
def _iso(moment: datetime) -> str:
    # Formatting dominates large pages; the same moments are asked for page after page.
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Urls:
    """Where the API and the web pages of this fake live (api.github.com or Enterprise)."""

    api: str  # e.g. http://127.0.0.1:8765 or http://127.0.0.1:8765/api/v3
    web: str


def user(urls: Urls, member: Member | None, login: str | None = None) -> Json | None:
    if member is None:
        if login is None:
            return None
        return {"login": login, "id": 0, "type": "User", "site_admin": False}
    api = f"{urls.api}/users/{member.login}"
    return {
        "login": member.login,
        "id": member.id,
        "node_id": member.node_id,
        "avatar_url": f"{urls.web}/avatars/u/{member.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{member.login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Bot" if member.is_bot else "User",
        "site_admin": False,
    }


def organisation_owner(urls: Urls, org: DemoOrganisation) -> Json:
    api = f"{urls.api}/users/{org.login}"
    return {
        "login": org.login,
        "id": org.id,
        "node_id": org.node_id,
        "avatar_url": f"{urls.web}/avatars/u/{org.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{org.login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Organization",
        "site_admin": False,
    }


def organisation(urls: Urls, org: DemoOrganisation) -> Json:
    api = f"{urls.api}/orgs/{org.login}"
    return {
        "login": org.login,
        "id": org.id,
        "node_id": org.node_id,
        "url": api,
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events",
        "hooks_url": f"{api}/hooks",
        "issues_url": f"{api}/issues",
        "members_url": f"{api}/members{{/member}}",
        "public_members_url": f"{api}/public_members{{/member}}",
        "avatar_url": f"{urls.web}/avatars/u/{org.id}?v=4",
        "description": f"{org.name} engineering",
        "name": org.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "is_verified": False,
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "html_url": f"{urls.web}/{org.login}",
        "created_at": iso(org.created_at),
        "updated_at": iso(org.now),
        "type": "Organization",
        "total_private_repos": len(org.repositories),
        "owned_private_repos": len(org.repositories),
    }


def repository(urls: Urls, org: DemoOrganisation, repo: Repository, full: bool = False) -> Json:
    """A repository as lists show it; `full` adds what GET /repos/{owner}/{repo} adds."""
    api = f"{urls.api}/repos/{repo.full_name}"
    # GitHub counts open issues and open pull requests together
    open_count = sum(1 for pr in repo.pull_requests if pr.closed_at is None)
    open_count += sum(1 for item in repo.issues if item.closed_at is None)
    payload: Json = {
        "id": repo.id,
        "node_id": repo.node_id,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": True,
        "owner": organisation_owner(urls, org),
        "html_url": f"{urls.web}/{repo.full_name}",
        "description": repo.description,
        "fork": False,
        "url": api,
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.updated_at),
        "pushed_at": iso(repo.pushed_at),
        "git_url": f"git://{urls.web.split('://', 1)[-1]}/{repo.full_name}.git",
        "ssh_url": f"git@{urls.web.split('://', 1)[-1]}:{repo.full_name}.git",
        "clone_url": f"{urls.web}/{repo.full_name}.git",
        "svn_url": f"{urls.web}/{repo.full_name}",
        "homepage": None,
        "size": 1000 + len(repo.history) * 7,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": repo.language,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": False,
        "has_pages": False,
        "forks_count": 0,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": open_count,
        "license": None,
        "allow_forking": False,
        "is_template": False,
        "topics": [repo.kind],
        "visibility": "private",
        "forks": 0,
        "open_issues": open_count,
        "watchers": 0,
        "default_branch": repo.default_branch,
    }
    if full:
        payload.update(
            {
                "temp_clone_token": None,
                "organization": organisation_owner(urls, org),
                "network_count": 0,
                "subscribers_count": len(org.members),
            }
        )
    return payload


def _branch_ref(urls: Urls, org: DemoOrganisation, ref: str, sha: str, repo_payload: Json) -> Json:
    return {
        "label": f"{org.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": organisation_owner(urls, org),
        "repo": repo_payload,
    }


Members = dict[str, Member]


def pull_request(
    urls: Urls,
    org: DemoOrganisation,
    repo: Repository,
    pr: PullRequest,
    members: Members,
    full: bool = False,
    repo_payload: Json | None = None,
) -> Json:
    """`repo_payload` lets a list build its repository's payload once for every item."""
    if repo_payload is None:
        repo_payload = repository(urls, org, repo)
    api = f"{urls.api}/repos/{repo.full_name}"
    html = f"{urls.web}/{repo.full_name}/pull/{pr.number}"
    self_url = f"{api}/pulls/{pr.number}"
    base_sha = pr.commits[0].parents[0] if pr.commits and pr.commits[0].parents else ""
    payload: Json = {
        "url": self_url,
        "id": pr.id,
        "node_id": pr.node_id,
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{api}/issues/{pr.number}",
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": user(urls, members.get(pr.author), pr.author),
        "body": pr.body,
        "created_at": iso(pr.created_at),
        "updated_at": iso(pr.updated_at),
        "closed_at": iso(pr.closed_at),
        "merged_at": iso(pr.merged_at),
        "merge_commit_sha": pr.merge_commit_oid or pr.head_oid,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [
            user(urls, members.get(login), login) for login in pr.requested_reviewers
        ],
        "requested_teams": [],
        "labels": [_label(urls, repo, name) for name in pr.labels],
        "milestone": None,
        "draft": pr.is_draft,
        "commits_url": f"{self_url}/commits",
        "review_comments_url": f"{self_url}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{pr.number}/comments",
        "statuses_url": f"{api}/statuses/{pr.head_oid}",
        "head": _branch_ref(urls, org, pr.head_ref, pr.head_oid, repo_payload),
        "base": _branch_ref(urls, org, pr.base_ref, base_sha, repo_payload),
        "_links": {
            "self": {"href": self_url},
            "html": {"href": html},
            "issue": {"href": f"{api}/issues/{pr.number}"},
            "comments": {"href": f"{api}/issues/{pr.number}/comments"},
            "review_comments": {"href": f"{self_url}/comments"},
            "review_comment": {"href": f"{api}/pulls/comments{{/number}}"},
            "commits": {"href": f"{self_url}/commits"},
            "statuses": {"href": f"{api}/statuses/{pr.head_oid}"},
        },
        "author_association": "MEMBER",
        "auto_merge": None,
        "active_lock_reason": None,
    }
    if full:
        merger = pr.merged_by
        payload.update(
            {
                "merged": pr.merged_at is not None,
                "mergeable": None if pr.closed_at else True,
                "rebaseable": None if pr.closed_at else True,
                "mergeable_state": "unknown" if pr.closed_at else "clean",
                "merged_by": user(urls, members.get(merger), merger) if merger else None,
                "comments": len(pr.comments),
                "review_comments": len(pr.review_comments),
                "maintainer_can_modify": False,
                "commits": len(pr.commits),
                "additions": pr.additions,
                "deletions": pr.deletions,
                "changed_files": len(pr.files),
            }
        )
    return payload


def _label(urls: Urls, repo: Repository, name: str) -> Json:
    label_id = zlib.crc32(f"{repo.id}:{name}".encode()) % 10_000_000
    return {
        "id": label_id,
        "node_id": f"LA_kw{label_id}",
        "url": f"{urls.api}/repos/{repo.full_name}/labels/{name}",
        "name": name,
        "color": "d73a4a" if name in ("bug", "hotfix", "incident", "severity:high") else "0366d6",
        "default": name in ("bug", "enhancement"),
        "description": None,
    }


def _issue_fields(
    urls: Urls,
    repo: Repository,
    item: Issue | PullRequest,
    members: Members,
    html: str,
    comments: int,
    state_reason: str | None,
) -> Json:
    """What an issue and a pull request have in common as items of the issues list."""
    api = f"{urls.api}/repos/{repo.full_name}/issues/{item.number}"
    return {
        "url": api,
        "repository_url": f"{urls.api}/repos/{repo.full_name}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": html,
        "id": item.id,
        "node_id": item.node_id,
        "number": item.number,
        "title": item.title,
        "user": user(urls, members.get(item.author), item.author),
        "labels": [_label(urls, repo, name) for name in item.labels],
        "state": item.state,
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": comments,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "closed_at": iso(item.closed_at),
        "author_association": "MEMBER",
        "active_lock_reason": None,
        "body": item.body,
        "reactions": _reactions(f"{api}/reactions"),
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": state_reason,
    }


def issue(urls: Urls, repo: Repository, item: Issue, members: Members) -> Json:
    html = f"{urls.web}/{repo.full_name}/issues/{item.number}"
    return _issue_fields(urls, repo, item, members, html, item.comments, item.state_reason)


def pull_request_issue(urls: Urls, repo: Repository, pr: PullRequest, members: Members) -> Json:
    """A pull request as the issues list shows it: an issue with a `pull_request` key."""
    html = f"{urls.web}/{repo.full_name}/pull/{pr.number}"
    payload = _issue_fields(urls, repo, pr, members, html, len(pr.comments), None)
    payload["draft"] = pr.is_draft
    payload["pull_request"] = {
        "url": f"{urls.api}/repos/{repo.full_name}/pulls/{pr.number}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "merged_at": iso(pr.merged_at),
    }
    return payload


def review(urls: Urls, repo: Repository, pr: PullRequest, item: Review, members: Members) -> Json:
    pr_api = f"{urls.api}/repos/{repo.full_name}/pulls/{pr.number}"
    html = f"{urls.web}/{repo.full_name}/pull/{pr.number}#pullrequestreview-{item.id}"
    return {
        "id": item.id,
        "node_id": item.node_id,
        "user": user(urls, members.get(item.author), item.author),
        "body": item.body,
        "state": item.state,
        "html_url": html,
        "pull_request_url": pr_api,
        "author_association": "MEMBER",
        "_links": {"html": {"href": html}, "pull_request": {"href": pr_api}},
        "submitted_at": iso(item.submitted_at),
        "commit_id": item.commit_oid,
    }


def review_comment(
    urls: Urls, repo: Repository, pr: PullRequest, item: ReviewComment, members: Members
) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}/pulls/comments/{item.id}"
    pr_api = f"{urls.api}/repos/{repo.full_name}/pulls/{pr.number}"
    html = f"{urls.web}/{repo.full_name}/pull/{pr.number}#discussion_r{item.id}"
    return {
        "url": api,
        "pull_request_review_id": item.review_id,
        "id": item.id,
        "node_id": item.node_id,
        "diff_hunk": f"@@ -{item.line},3 +{item.line},4 @@",
        "path": item.path,
        "position": 4,
        "original_position": 4,
        "commit_id": item.commit_oid,
        "original_commit_id": item.commit_oid,
        "user": user(urls, members.get(item.author), item.author),
        "body": item.body,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "html_url": html,
        "pull_request_url": pr_api,
        "author_association": "MEMBER",
        "_links": {"self": {"href": api}, "html": {"href": html}, "pull_request": {"href": pr_api}},
        "reactions": _reactions(f"{api}/reactions"),
        "start_line": None,
        "original_start_line": None,
        "start_side": None,
        "line": item.line,
        "original_line": item.line,
        "side": "RIGHT",
    }


def _reactions(url: str) -> Json:
    return {
        "url": url,
        "total_count": 0,
        "+1": 0,
        "-1": 0,
        "laugh": 0,
        "hooray": 0,
        "confused": 0,
        "heart": 0,
        "rocket": 0,
        "eyes": 0,
    }


def issue_comment(
    urls: Urls, repo: Repository, pr: PullRequest, item: IssueComment, members: Members
) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}/issues/comments/{item.id}"
    return {
        "url": api,
        "html_url": f"{urls.web}/{repo.full_name}/pull/{pr.number}#issuecomment-{item.id}",
        "issue_url": f"{urls.api}/repos/{repo.full_name}/issues/{pr.number}",
        "id": item.id,
        "node_id": item.node_id,
        "user": user(urls, members.get(item.author), item.author),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "author_association": "MEMBER",
        "body": item.body,
        "reactions": _reactions(f"{api}/reactions"),
        "performed_via_github_app": None,
    }


def commit(urls: Urls, repo: Repository, item: Commit, members: Members) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}"
    member = members.get(item.author)
    person = {
        "name": member.name if member else item.author,
        "email": member.email if member else f"{item.author}@users.noreply.example",
        "date": iso(item.authored_at),
    }
    committer = {
        "name": "GitHub" if item.pull_number and len(item.parents) > 1 else person["name"],
        "email": person["email"],
        "date": iso(item.committed_at),
    }
    return {
        "sha": item.oid,
        "node_id": f"C_kw{item.oid[:16]}",
        "commit": {
            "author": person,
            "committer": committer,
            "message": item.message,
            "tree": {"sha": item.oid[::-1], "url": f"{api}/git/trees/{item.oid[::-1]}"},
            "url": f"{api}/git/commits/{item.oid}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
            },
        },
        "url": f"{api}/commits/{item.oid}",
        "html_url": f"{urls.web}/{repo.full_name}/commit/{item.oid}",
        "comments_url": f"{api}/commits/{item.oid}/comments",
        "author": user(urls, member, item.author),
        "committer": user(urls, member, item.author),
        "parents": [
            {
                "sha": parent,
                "url": f"{api}/commits/{parent}",
                "html_url": f"{urls.web}/{repo.full_name}/commit/{parent}",
            }
            for parent in item.parents
        ],
    }


def changed_file(
    urls: Urls, repo: Repository, pr: PullRequest, path: str, adds: int, dels: int
) -> Json:
    blob = f"{urls.web}/{repo.full_name}/blob/{pr.head_oid}/{path}"
    return {
        "sha": f"{zlib.crc32(f'{pr.id}:{path}'.encode()):040x}",
        "filename": path,
        "status": "modified",
        "additions": adds,
        "deletions": dels,
        "changes": adds + dels,
        "blob_url": blob,
        "raw_url": f"{urls.web}/{repo.full_name}/raw/{pr.head_oid}/{path}",
        "contents_url": f"{urls.api}/repos/{repo.full_name}/contents/{path}?ref={pr.head_oid}",
        "patch": f"@@ -1,{dels} +1,{adds} @@",
    }


def workflow(urls: Urls, repo: Repository, item: Workflow) -> Json:
    return {
        "id": item.id,
        "node_id": item.node_id,
        "name": item.name,
        "path": item.path,
        "state": item.state,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "url": f"{urls.api}/repos/{repo.full_name}/actions/workflows/{item.id}",
        "html_url": f"{urls.web}/{repo.full_name}/blob/{repo.default_branch}/{item.path}",
        "badge_url": f"{urls.web}/{repo.full_name}/workflows/{item.name}/badge.svg",
    }


def workflow_run(
    urls: Urls,
    org: DemoOrganisation,
    repo: Repository,
    item: WorkflowRun,
    members: Members,
    repo_payload: Json | None = None,
    attempt: int | None = None,
) -> Json:
    """The run as its latest attempt shows it, or as an earlier `attempt` did."""
    api = f"{urls.api}/repos/{repo.full_name}/actions/runs/{item.id}"
    latest = item.latest if attempt is None else item.attempts[attempt - 1]
    workflow_item = next(w for w in repo.workflows if w.id == item.workflow_id)
    actor_member = members.get(item.actor)
    actor = user(urls, actor_member, item.actor)
    if repo_payload is None:
        repo_payload = minimal_repository(urls, org, repo)
    return {
        "id": item.id,
        "name": item.name,
        "node_id": item.node_id,
        "head_branch": item.head_branch,
        "head_sha": item.head_sha,
        "path": workflow_item.path,
        "display_title": item.name,
        "run_number": item.run_number,
        "event": item.event,
        "status": "completed" if latest.conclusion is not None else "in_progress",
        "conclusion": latest.conclusion,
        "workflow_id": item.workflow_id,
        "check_suite_id": item.id + 7,
        "check_suite_node_id": f"CS_kw{item.id + 7}",
        "url": api,
        "html_url": f"{urls.web}/{repo.full_name}/actions/runs/{item.id}",
        "pull_requests": [],
        "created_at": iso(item.created_at),
        "updated_at": iso(latest.completed_at or latest.started_at),
        "actor": actor,
        "run_attempt": latest.attempt,
        "referenced_workflows": [],
        "run_started_at": iso(latest.started_at),
        "triggering_actor": actor,
        "jobs_url": f"{api}/jobs",
        "logs_url": f"{api}/logs",
        "check_suite_url": f"{urls.api}/repos/{repo.full_name}/check-suites/{item.id + 7}",
        "artifacts_url": f"{api}/artifacts",
        "cancel_url": f"{api}/cancel",
        "rerun_url": f"{api}/rerun",
        "previous_attempt_url": f"{api}/attempts/{latest.attempt - 1}"
        if latest.attempt > 1
        else None,
        "workflow_url": f"{urls.api}/repos/{repo.full_name}/actions/workflows/{item.workflow_id}",
        "head_commit": _head_commit(repo, item.head_sha, item.created_at, actor_member),
        "repository": repo_payload,
        "head_repository": repo_payload,
    }


def minimal_repository(urls: Urls, org: DemoOrganisation, repo: Repository) -> Json:
    """The short repository form nested in workflow runs (up to `deployments_url`)."""
    full = repository(urls, org, repo)
    keys = list(full)
    return {key: full[key] for key in keys[: keys.index("deployments_url") + 1]}


def _head_commit(repo: Repository, sha: str, when: datetime, member: Member | None) -> Json:
    person = {
        "name": member.name if member else "GitHub",
        "email": member.email if member else "noreply@github.com",
    }
    return {
        "id": sha,
        "tree_id": sha[::-1],
        "message": f"Changes on {repo.default_branch}",
        "timestamp": iso(when),
        "author": person,
        "committer": person,
    }


def deployment(urls: Urls, repo: Repository, item: Deployment, members: Members) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}/deployments/{item.id}"
    return {
        "url": api,
        "id": item.id,
        "node_id": item.node_id,
        "sha": item.sha,
        "ref": item.ref,
        "task": item.task,
        "payload": "",
        "original_environment": item.environment,
        "environment": item.environment,
        "description": item.description,
        "creator": user(urls, members.get(item.creator), item.creator),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "statuses_url": f"{api}/statuses",
        "repository_url": f"{urls.api}/repos/{repo.full_name}",
        "transient_environment": False,
        "production_environment": item.environment == "production",
    }


def deployment_status(
    urls: Urls, repo: Repository, parent: Deployment, item: DeploymentStatus, members: Members
) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}/deployments/{parent.id}"
    return {
        "url": f"{api}/statuses/{item.id}",
        "id": item.id,
        "node_id": item.node_id,
        "state": item.state,
        "creator": user(urls, members.get(item.creator), item.creator),
        "description": item.description,
        "environment": parent.environment,
        "target_url": "",
        "created_at": iso(item.created_at),
        "updated_at": iso(item.created_at),
        "deployment_url": api,
        "repository_url": f"{urls.api}/repos/{repo.full_name}",
        "environment_url": "",
        "log_url": "",
    }


def release(urls: Urls, repo: Repository, item: Release, members: Members) -> Json:
    api = f"{urls.api}/repos/{repo.full_name}/releases/{item.id}"
    return {
        "url": api,
        "assets_url": f"{api}/assets",
        "upload_url": f"{urls.web}/uploads/repos/{repo.full_name}/releases/{item.id}/assets"
        "{?name,label}",
        "html_url": f"{urls.web}/{repo.full_name}/releases/tag/{item.tag_name}",
        "id": item.id,
        "node_id": item.node_id,
        "tag_name": item.tag_name,
        "target_commitish": item.target_commitish,
        "name": item.name,
        "draft": item.draft,
        "author": user(urls, members.get(item.author), item.author),
        "prerelease": item.prerelease,
        "created_at": iso(item.created_at),
        "published_at": None if item.draft else iso(item.published_at),
        "assets": [],
        "tarball_url": f"{urls.api}/repos/{repo.full_name}/tarball/{item.tag_name}",
        "zipball_url": f"{urls.api}/repos/{repo.full_name}/zipball/{item.tag_name}",
        "body": item.body,
    }


def authenticated_user(urls: Urls, member: Member) -> Json:
    payload = user(urls, member) or {}
    payload.update(
        {
            "name": member.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": member.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": "2020-01-01T00:00:00Z",
            "updated_at": "2020-01-01T00:00:00Z",
        }
    )
    return payload
