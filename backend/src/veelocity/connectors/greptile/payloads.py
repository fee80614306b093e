"""Tolerant reading of Greptile's JSON, and its mapping to records.

Fields Greptile leaves out take their defaults, unknown fields are ignored. A code review
names its pull request and repository through `mergeRequest` (or flat fields).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from veelocity.records.ai import GreptileRepositoryRecord, GreptileReviewRecord

#: the status stored for a repository Greptile never indexed (404)
NEVER_INDEXED = "never_indexed"


def to_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def repository(
    body: dict[str, Any], external_id: str, full_name: str, branch: str, checked_at: datetime
) -> GreptileRepositoryRecord:
    sha = body.get("sha")
    return GreptileRepositoryRecord(
        external_id=external_id,
        repository=full_name,
        checked_at=checked_at,
        branch=str(body.get("branch") or branch),
        status=str(body["status"]) if body.get("status") else None,
        files_processed=_int(body.get("filesProcessed")),
        num_files=_int(body.get("numFiles")),
        indexed_sha=str(sha) if sha else None,
    )


def never_indexed(
    external_id: str, full_name: str, branch: str, checked_at: datetime
) -> GreptileRepositoryRecord:
    return GreptileRepositoryRecord(
        external_id=external_id,
        repository=full_name,
        checked_at=checked_at,
        branch=branch,
        status=NEVER_INDEXED,
    )


def review(item: dict[str, Any]) -> GreptileReviewRecord | None:
    """A code review, or None when it names no pull request (nothing to join it to)."""
    request = item.get("mergeRequest") or item.get("pullRequest") or {}
    if not isinstance(request, dict):
        request = {}
    repo = request.get("repository") or item.get("repository") or {}
    name = repo.get("name") if isinstance(repo, dict) else repo
    number = _int(request.get("number")) or _int(item.get("prNumber"))
    review_id = item.get("id")
    if not name or number is None or review_id in (None, ""):
        return None
    return GreptileReviewRecord(
        external_id=str(review_id),
        repository_name=str(name),
        pull_request_number=number,
        status=str(item.get("status") or "PENDING"),
        created_at=to_datetime(item.get("createdAt")),
        completed_at=to_datetime(item.get("completedAt")),
        comments=_int(item.get("commentsCount")),
    )


def reviews_page(body: Any) -> tuple[list[dict[str, Any]], int | None]:
    """The review items of a `list_code_reviews` answer, and Greptile's total."""
    if not isinstance(body, dict):
        return [], None
    items = body.get("codeReviews") or body.get("reviews") or body.get("items") or []
    return [item for item in items if isinstance(item, dict)], _int(body.get("total"))
