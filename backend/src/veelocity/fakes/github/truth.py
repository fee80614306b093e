"""What the fake holds, in the natural keys a synced database uses, for tests to compare."""

from __future__ import annotations

from dataclasses import dataclass

from veelocity.demo.model import DemoOrganisation, Issue, PullRequest


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """Read at the moment of the call: let time pass and ask again for the new truth."""

    org: DemoOrganisation

    def repositories(self) -> set[str]:
        return {repo.full_name for repo in self.org.repositories}

    def pull_requests(self) -> dict[tuple[str, int], PullRequest]:
        return {
            (repo.full_name, pr.number): pr
            for repo in self.org.repositories
            for pr in repo.pull_requests
        }

    def reviews(self) -> set[tuple[str, int, int]]:
        return {
            (repo.full_name, pr.number, review.id)
            for repo in self.org.repositories
            for pr in repo.pull_requests
            for review in pr.reviews
        }

    def review_comments(self) -> set[tuple[str, int, int]]:
        return {
            (repo.full_name, pr.number, comment.id)
            for repo in self.org.repositories
            for pr in repo.pull_requests
            for comment in pr.review_comments
        }

    def issue_comments(self) -> set[tuple[str, int, int]]:
        return {
            (repo.full_name, pr.number, comment.id)
            for repo in self.org.repositories
            for pr in repo.pull_requests
            for comment in pr.comments
        }

    def pull_request_commits(self) -> set[tuple[str, int, str]]:
        return {
            (repo.full_name, pr.number, commit.oid)
            for repo in self.org.repositories
            for pr in repo.pull_requests
            for commit in pr.commits
        }

    def default_branch_commits(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """Every commit reachable from each default branch, with its parents."""
        return {
            (repo.full_name, commit.oid): commit.parents
            for repo in self.org.repositories
            for commit in repo.history
        }

    def workflow_runs(self) -> set[tuple[str, int]]:
        return {
            (repo.full_name, run.id) for repo in self.org.repositories for run in repo.workflow_runs
        }

    def deployments(self) -> set[tuple[str, int]]:
        return {
            (repo.full_name, deployment.id)
            for repo in self.org.repositories
            for deployment in repo.deployments
        }

    def releases(self) -> set[tuple[str, str]]:
        return {
            (repo.full_name, release.tag_name)
            for repo in self.org.repositories
            for release in repo.releases
        }

    def issues(self) -> dict[tuple[str, int], Issue]:
        """Issues only: the pull requests GitHub also lists as issues are not among them."""
        return {
            (repo.full_name, issue.number): issue
            for repo in self.org.repositories
            for issue in repo.issues
        }

    def counts(self) -> dict[str, int]:
        return {
            "repositories": len(self.org.repositories),
            "pull_requests": len(self.pull_requests()),
            "reviews": len(self.reviews()),
            "review_comments": len(self.review_comments()),
            "issue_comments": len(self.issue_comments()),
            "pull_request_commits": len(self.pull_request_commits()),
            "default_branch_commits": len(self.default_branch_commits()),
            "workflow_runs": len(self.workflow_runs()),
            "deployments": len(self.deployments()),
            "releases": len(self.releases()),
            "issues": len(self.issues()),
        }
