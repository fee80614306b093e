"""What a write touched, so derive recomputes only that and its neighbours."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ChangeSet:
    pull_request_ids: set[int] = field(default_factory=set)
    deployment_ids: set[int] = field(default_factory=set)
    incident_ids: set[int] = field(default_factory=set)
    #: Pull requests whose file list alone changed: only their size is recomputed.
    resized_pull_request_ids: set[int] = field(default_factory=set)
    #: Issues written: derive decides from their labels whether each is an incident.
    issue_ids: set[int] = field(default_factory=set)
    #: Repositories whose commit graph gained commits.
    repository_ids_with_new_commits: set[int] = field(default_factory=set)
    #: The new commits by repository, when the writer knows them: derive then recomputes
    #: only the deployments they can affect instead of the repository's whole history.
    new_commit_shas: dict[int, set[str]] = field(default_factory=dict)
    #: Linear issues written (`linear_issue.id`): their flow figures, links and incident
    #: status are recomputed.
    linear_issue_ids: set[int] = field(default_factory=set)
    #: Sentry issues written (`sentry_issue.id`): whether each is an incident, and its
    #: attribution, are recomputed.
    sentry_issue_ids: set[int] = field(default_factory=set)
    #: Sentry releases written (`sentry_release.id`): the deployment each maps to, and the
    #: issues first seen in them, are recomputed.
    sentry_release_ids: set[int] = field(default_factory=set)
    #: Commits whose AI lines were written (`ai_commit.sha`, lower-case): the AI share of
    #: the pull requests and deployments holding them is recomputed.
    ai_commit_shas: set[str] = field(default_factory=set)
    #: Cursor members whose usage or developer changed (`cursor_member.id`): their
    #: developers' same-day usage evidence is recomputed.
    cursor_member_ids: set[int] = field(default_factory=set)
    #: Greptile reviews written (`greptile_review.id`): their pull requests' review facts
    #: are recomputed.
    greptile_review_ids: set[int] = field(default_factory=set)

    def merge(self, other: ChangeSet) -> ChangeSet:
        self.pull_request_ids |= other.pull_request_ids
        self.deployment_ids |= other.deployment_ids
        self.incident_ids |= other.incident_ids
        self.resized_pull_request_ids |= other.resized_pull_request_ids
        self.issue_ids |= other.issue_ids
        self.repository_ids_with_new_commits |= other.repository_ids_with_new_commits
        self.linear_issue_ids |= other.linear_issue_ids
        self.sentry_issue_ids |= other.sentry_issue_ids
        self.sentry_release_ids |= other.sentry_release_ids
        self.ai_commit_shas |= other.ai_commit_shas
        self.cursor_member_ids |= other.cursor_member_ids
        self.greptile_review_ids |= other.greptile_review_ids
        for repository_id, shas in other.new_commit_shas.items():
            self.new_commit_shas.setdefault(repository_id, set()).update(shas)
        return self

    def is_empty(self) -> bool:
        return not (
            self.pull_request_ids
            or self.deployment_ids
            or self.incident_ids
            or self.resized_pull_request_ids
            or self.issue_ids
            or self.repository_ids_with_new_commits
            or self.linear_issue_ids
            or self.sentry_issue_ids
            or self.sentry_release_ids
            or self.ai_commit_shas
            or self.cursor_member_ids
            or self.greptile_review_ids
        )
