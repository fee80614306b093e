"""The push-ingest payloads: what the API and `veelocity import` accept, item by item.

Strict where a mistake would silently skew a metric (timestamps must carry a zone, commit
shas must be full, states must agree with the times), tolerant where it costs nothing
(an external id may be a number, enum values in any case). Each item maps to a record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from veelocity.credentials.catalogue import SourceName
from veelocity.ingest.otel_aliases import with_native_names
from veelocity.records import (
    DeploymentRecord,
    DeploymentReference,
    IncidentRecord,
    PullRequestCommitRecord,
    PullRequestEventRecord,
    PullRequestFileRecord,
    PullRequestRecord,
)
from veelocity.records.references import body_references

#: The most items one request may carry.
MAX_BATCH_ITEMS = 1000

#: Sources Veelocity's own connectors and derive write; pushing under them would overwrite
#: synced rows, so ingest refuses them (and any name starting with one and a separator).
RESERVED_SOURCES = frozenset({*(s.value for s in SourceName), "revert"})

_TIMESTAMP_EXAMPLE = "2025-03-03T09:00:00Z"

#: The environment of a deployment that names none.
DEFAULT_ENVIRONMENT = "production"


def _parse_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "timestamp_type",
            "expected an ISO 8601 timestamp string with a time zone, e.g. {example}",
            {"example": _TIMESTAMP_EXAMPLE},
        )
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError(
            "timestamp_format",
            "not an ISO 8601 timestamp; expected e.g. {example}",
            {"example": _TIMESTAMP_EXAMPLE},
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise PydanticCustomError(
            "timestamp_without_zone",
            "the timestamp has no time zone; add Z or an offset such as +02:00, e.g. {example}",
            {"example": _TIMESTAMP_EXAMPLE},
        )
    return parsed.astimezone(UTC)


Timestamp = Annotated[
    datetime,
    BeforeValidator(_parse_timestamp),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with a time zone (Z or an offset).",
            "examples": [_TIMESTAMP_EXAMPLE],
        }
    ),
]


def _check_source(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", value):
        raise PydanticCustomError(
            "source_format",
            "a source is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or "
            "digit, e.g. jenkins or argo-cd",
            {},
        )
    lowered = value.lower()
    for reserved in RESERVED_SOURCES:
        if lowered == reserved or re.match(rf"^{re.escape(reserved)}[-_.]", lowered):
            # The value goes in the message itself: pydantic fills {placeholders} but not
            # conversions such as !r.
            raise PydanticCustomError(
                "reserved_source",
                f"'{lowered}' is used by Veelocity's own connectors; name the sending tool "
                "instead, e.g. jenkins or argocd",
            )
    return lowered


Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_check_source),
    Field(description="The sending tool, e.g. jenkins, argocd, gitlab (lower-cased)."),
]


def _external_id(value: Any) -> Any:
    # Build numbers arrive as numbers; they are identifiers all the same.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


ExternalId = Annotated[
    str,
    BeforeValidator(_external_id),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    Field(description="The item's id in the sending tool; with source, its natural key."),
]


def _repository_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+", value):
        raise PydanticCustomError(
            "repository_format",
            "expected a repository as owner/name (or group/subgroup/name) of letters, digits, "
            "'.', '_' and '-', e.g. acme/api",
        )
    return value


RepositoryName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=300),
    AfterValidator(_repository_name),
    Field(description='"owner/name" (or "group/subgroup/name").', examples=["acme/api"]),
]


def _full_sha(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value):
        raise PydanticCustomError(
            "commit_sha",
            "not a full commit sha: expected 40 (SHA-1) or 64 (SHA-256) hexadecimal "
            "characters; an abbreviated sha would not match the commits Veelocity knows",
        )
    return value


Sha = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True),
    AfterValidator(_full_sha),
    Field(description="A full commit sha (40 or 64 hex characters)."),
]


def _login(value: str) -> str:
    if not re.fullmatch(r"[^\s/\\\x00-\x1f]{1,200}", value):
        raise PydanticCustomError(
            "login_format",
            "expected a login: 1 to 200 characters without spaces, slashes or control "
            "characters, e.g. alice",
        )
    return value


Login = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_login)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _web_url(value: str) -> str:
    if not re.match(r"^https?://[^\s]+$", value, re.IGNORECASE):
        raise PydanticCustomError("url_scheme", "expected an http(s) URL", {})
    return value


Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_web_url)
]


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid")


PullRequestNumberOrUrl = Annotated[
    int | Url,
    Field(
        description="A pull request's number in the deployment's repository (311) or its web "
        "address (https://github.com/acme/api/pull/311).",
    ),
]


class DeploymentIn(_Item):
    """One deployment. Re-sending the same (source, external_id) updates it. OpenTelemetry's
    attribute names (deployment.id, deployment.environment.name, deployment.status,
    deployment.name, vcs.repository.url.full, vcs.owner.name with vcs.repository.name,
    vcs.ref.head.revision, vcs.change.id, cicd.pipeline.run.id, cicd.pipeline.result,
    cicd.pipeline.name, cicd.pipeline.run.url.full) are accepted for the native fields."""

    source: Source
    external_id: ExternalId
    repository: RepositoryName
    environment: Name = Field(
        default=DEFAULT_ENVIRONMENT,
        description="Matched against the production pattern. Default: production, for tools "
        "that deploy to one environment and do not name it.",
    )
    status: Annotated[Literal["success", "failure"], BeforeValidator(_lower)]
    started_at: Timestamp | None = None
    finished_at: Timestamp
    commit_sha: Sha | None = Field(default=None, description="The deployed commit.")
    commits: list[Sha] | None = Field(
        default=None,
        max_length=10_000,
        description="The commits this deployment ships, when the sender knows them; then "
        "used instead of the commit graph. Left out: a list sent before is kept.",
    )
    pull_requests: list[PullRequestNumberOrUrl] | None = Field(
        default=None,
        max_length=1000,
        description="The pull requests this deployment ships, by number (in `repository`) or "
        "web address, when the sender knows them rather than commits. Each must be known to "
        "Veelocity and merged; its merge commit joins `commits`.",
    )
    url: Url | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _otel_names(cls, data: Any) -> Any:
        return with_native_names(data)

    @model_validator(mode="after")
    def _finished_after_start(self) -> DeploymentIn:
        if self.started_at is not None and self.finished_at < self.started_at:
            raise PydanticCustomError(
                "finished_before_started", "finished_at is before started_at", {}
            )
        return self

    def to_record(self, shipped_merge_commits: Sequence[str] = ()) -> DeploymentRecord:
        """`shipped_merge_commits`: the merge commits of the named `pull_requests`, looked
        up by the caller; they join the listed commits."""
        commits = self.commits
        if shipped_merge_commits:
            commits = list(dict.fromkeys([*(commits or ()), *shipped_merge_commits]))
        return DeploymentRecord(
            source=self.source,
            external_id=self.external_id,
            repository=self.repository,
            environment=self.environment,
            status=self.status,
            started_at=self.started_at,
            finished_at=self.finished_at,
            commit_sha=self.commit_sha,
            url=self.url,
            name=self.name,
            commits=tuple(commits) if commits is not None else None,
        )


class DeploymentRef(_Item):
    source: Source
    external_id: ExternalId


class IncidentIn(_Item):
    """One incident: it names a repository, a service, or both."""

    source: Source
    external_id: ExternalId
    title: Text = ""
    repository: RepositoryName | None = None
    service: Name | None = None
    severity: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    started_at: Timestamp
    resolved_at: Timestamp | None = None
    url: Url | None = None
    deployment: DeploymentRef | None = Field(
        default=None,
        description="The deployment that caused it, sent before through the ingest API.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> IncidentIn:
        if self.repository is None and self.service is None:
            raise PydanticCustomError(
                "repository_or_service", "give a repository, a service, or both", {}
            )
        if self.resolved_at is not None and self.resolved_at < self.started_at:
            raise PydanticCustomError(
                "resolved_before_started", "resolved_at is before started_at", {}
            )
        return self

    def to_record(self) -> IncidentRecord:
        return IncidentRecord(
            source=self.source,
            external_id=self.external_id,
            title=self.title,
            repository=self.repository,
            service=self.service,
            severity=self.severity,
            started_at=self.started_at,
            resolved_at=self.resolved_at,
            url=self.url,
            deployment=(
                DeploymentReference(self.deployment.source, self.deployment.external_id)
                if self.deployment
                else None
            ),
        )


class PullRequestCommitIn(_Item):
    sha: Sha
    authored_at: Timestamp | None = None


class PullRequestFileIn(_Item):
    path: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    additions: int = Field(default=0, ge=0)
    deletions: int = Field(default=0, ge=0)


ReviewState = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"]


#: Review kinds a tool may send instead of `review` with a state, named as GitHub's review
#: states are (GitLab's approvals, for example, arrive as `approved`).
REVIEW_KIND_STATES: dict[str, ReviewState] = {
    "approved": "APPROVED",
    "changes_requested": "CHANGES_REQUESTED",
    "commented": "COMMENTED",
    "dismissed": "DISMISSED",
}


def _review_kind(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("kind"), str):
        kind = data["kind"].strip().lower()
        if kind in REVIEW_KIND_STATES:
            if data.get("state") is not None:
                raise PydanticCustomError(
                    "review_state",
                    "kind {kind} already says the review's state; leave state out",
                    {"kind": kind},
                )
            return {**data, "kind": "review", "state": REVIEW_KIND_STATES[kind]}
    return data


class PullRequestEventIn(_Item):
    """A review, a comment, a review request or a draft marked ready. A review is `review`
    with a `state`, or one of the kinds approved, changes_requested, commented, dismissed."""

    kind: Annotated[
        Literal["review", "review_comment", "comment", "ready_for_review", "review_requested"],
        BeforeValidator(_lower),
        WithJsonSchema(
            {
                "type": "string",
                "enum": [
                    "review",
                    "review_comment",
                    "comment",
                    "ready_for_review",
                    "review_requested",
                    *REVIEW_KIND_STATES,
                ],
                "description": "approved, changes_requested, commented and dismissed are "
                "reviews with that state.",
            }
        ),
    ]
    actor: Login
    at: Timestamp
    state: Annotated[ReviewState, BeforeValidator(_upper)] | None = Field(
        default=None, description="Reviews only (required for them)."
    )
    subject: Login | None = Field(
        default=None, description="review_requested only: the requested reviewer."
    )

    @model_validator(mode="before")
    @classmethod
    def _review_kinds(cls, data: Any) -> Any:
        return _review_kind(data)

    @model_validator(mode="after")
    def _state_for_reviews(self) -> PullRequestEventIn:
        if self.kind == "review" and self.state is None:
            raise PydanticCustomError("review_state", "a review needs a state", {})
        if self.kind != "review" and self.state is not None:
            raise PydanticCustomError("review_state", "only reviews have a state", {})
        if self.kind != "review_requested" and self.subject is not None:
            raise PydanticCustomError(
                "event_subject", "only review_requested events have a subject", {}
            )
        return self


class PullRequestIn(_Item):
    """One pull (merge) request with its commits and review and comment events."""

    source: Source
    external_id: ExternalId
    repository: RepositoryName
    number: int | None = Field(default=None, ge=0)
    title: Text = ""
    url: Url | None = None
    author: Login | None = None
    head_branch: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )
    state: Annotated[Literal["open", "closed", "merged"], BeforeValidator(_lower)] | None = Field(
        default=None, description="Default: merged if merged_at, closed if closed_at, else open."
    )
    is_draft: bool = False
    created_at: Timestamp
    updated_at: Timestamp | None = Field(
        default=None, description="Default: the latest time given in the item."
    )
    merged_at: Timestamp | None = None
    closed_at: Timestamp | None = None
    merge_commit_sha: Sha | None = None
    additions: int | None = Field(default=None, ge=0)
    deletions: int | None = Field(default=None, ge=0)
    labels: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]] = Field(
        default_factory=list, max_length=100
    )
    body: str | None = Field(
        default=None,
        max_length=65536,
        description="The description. Only the issue identifiers it names (`ENG-123`) are "
        "kept, to link the pull request to Linear issues; left out, those found before are "
        "kept.",
    )
    commits: list[PullRequestCommitIn] | None = Field(
        default=None, max_length=1000, description="Left out: commits sent before are kept."
    )
    events: list[PullRequestEventIn] | None = Field(
        default=None, max_length=5000, description="Left out: events sent before are kept."
    )
    files: list[PullRequestFileIn] | None = Field(
        default=None,
        max_length=3000,
        description="The changed files with their line counts. Given, PR size leaves out the "
        "files PR_SIZE_EXCLUDE names (lock files by default); left out, files sent before "
        "are kept.",
    )

    @model_validator(mode="after")
    def _state_matches_times(self) -> PullRequestIn:
        state = self.state
        if state is None:
            state = "merged" if self.merged_at else "closed" if self.closed_at else "open"
        if state == "merged" and self.merged_at is None:
            raise PydanticCustomError("pr_state", "a merged pull request needs merged_at", {})
        if state != "merged" and self.merged_at is not None:
            raise PydanticCustomError(
                "pr_state", "merged_at is given but the state is {state}", {"state": state}
            )
        if state == "open" and self.closed_at is not None:
            raise PydanticCustomError("pr_state", "closed_at is given but the state is open", {})
        self.state = state
        return self

    def _updated_at(self) -> datetime:
        if self.updated_at is not None:
            return self.updated_at
        times = [self.created_at, self.merged_at, self.closed_at]
        times += [event.at for event in self.events or ()]
        return max(t for t in times if t is not None)

    def to_record(self) -> PullRequestRecord:
        assert self.state is not None  # set by the validator
        return PullRequestRecord(
            source=self.source,
            external_id=self.external_id,
            repository=self.repository,
            number=self.number,
            title=self.title,
            url=self.url,
            author=self.author,
            head_branch=self.head_branch,
            state=self.state,
            is_draft=self.is_draft,
            created_at=self.created_at,
            updated_at=self._updated_at(),
            merged_at=self.merged_at,
            closed_at=self.closed_at,
            merge_commit_sha=self.merge_commit_sha,
            additions=self.additions,
            deletions=self.deletions,
            labels=tuple(self.labels),
            body_references=body_references(self.body) if self.body is not None else None,
            commits=(
                tuple(PullRequestCommitRecord(c.sha, c.authored_at) for c in self.commits)
                if self.commits is not None
                else None
            ),
            events=(
                tuple(
                    PullRequestEventRecord(e.kind, e.actor, e.at, e.state, e.subject)
                    for e in self.events
                )
                if self.events is not None
                else None
            ),
            files=(
                tuple(PullRequestFileRecord(f.path, f.additions, f.deletions) for f in self.files)
                if self.files is not None
                else None
            ),
        )


def _one_or_many(data: Any) -> Any:
    """A single item is a batch of one; a batch over the limit is refused before any item
    is validated, so an oversized request costs little."""
    if isinstance(data, dict) and "items" not in data:
        return {"items": [data]}
    if (
        isinstance(data, dict)
        and isinstance(data["items"], list)
        and len(data["items"]) > MAX_BATCH_ITEMS
    ):
        raise PydanticCustomError(
            "too_many_items",
            "a request carries at most {limit} items and this one has {count}; "
            "split it into several requests",
            {"limit": MAX_BATCH_ITEMS, "count": len(data["items"])},
        )
    return data


class _Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return _one_or_many(data)


class DeploymentBatch(_Batch):
    """`{"items": [...]}` with 1 to 1,000 deployments, or one deployment alone."""

    items: list[DeploymentIn] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class IncidentBatch(_Batch):
    """`{"items": [...]}` with 1 to 1,000 incidents, or one incident alone."""

    items: list[IncidentIn] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class PullRequestBatch(_Batch):
    """`{"items": [...]}` with 1 to 1,000 pull requests, or one pull request alone."""

    items: list[PullRequestIn] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


#: Any one ingest item.
IngestItem = DeploymentIn | IncidentIn | PullRequestIn
