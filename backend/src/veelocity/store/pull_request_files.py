"""The files each pull request changes, replaced as a set; a PR with a stored list (even an
empty one) is marked `files_known`, so its size can leave out excluded files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from veelocity.models import PullRequest, PullRequestFile
from veelocity.records import PullRequestFileRecord
from veelocity.store.report import WriteReport
from veelocity.store.rows import Key, chunks, load_keyed

FileKey = tuple[str, int, int]
#: the longest path stored (the column's length)
MAX_PATH = 1000


def _file_set(files: Sequence[PullRequestFileRecord]) -> set[FileKey]:
    # One row per path; a repeated path keeps its last counts.
    by_path = {f.path[:MAX_PATH]: (f.path[:MAX_PATH], f.additions, f.deletions) for f in files}
    return set(by_path.values())


def _stored(session: Session, ids: list[int]) -> tuple[dict[int, set[FileKey]], set[int]]:
    """Each PR's stored files, and which PRs have a known list."""
    files: dict[int, set[FileKey]] = defaultdict(set)
    known: set[int] = set()
    for batch in chunks(ids):
        known |= set(
            session.scalars(
                select(PullRequest.id).where(
                    PullRequest.id.in_(batch), PullRequest.files_known.is_(True)
                )
            )
        )
        query = select(
            PullRequestFile.pull_request_id,
            PullRequestFile.path,
            PullRequestFile.additions,
            PullRequestFile.deletions,
        ).where(PullRequestFile.pull_request_id.in_(batch))
        for pull_request_id, path, additions, deletions in session.execute(query):
            files[pull_request_id].add((path, additions, deletions))
    return files, known


def replace_changed_files(
    session: Session, lists: Mapping[int, Sequence[PullRequestFileRecord]]
) -> set[int]:
    """Store each PR's file list where it differs from what is stored (or none was known);
    return the PRs whose list changed."""
    if not lists:
        return set()
    stored, known = _stored(session, list(lists))
    changed = {
        pull_request_id: _file_set(files)
        for pull_request_id, files in lists.items()
        if pull_request_id not in known or _file_set(files) != stored.get(pull_request_id, set())
    }
    for batch in chunks(changed):
        session.execute(delete(PullRequestFile).where(PullRequestFile.pull_request_id.in_(batch)))
        session.execute(
            update(PullRequest).where(PullRequest.id.in_(batch)).values(files_known=True)
        )
    rows = [
        {"pull_request_id": pull_request_id, "path": path, "additions": a, "deletions": d}
        for pull_request_id, files in changed.items()
        for path, a, d in files
    ]
    for batch_rows in chunks(rows):
        session.execute(insert(PullRequestFile), batch_rows)
    return set(changed)


def write_pull_request_files(
    session: Session, lists: Mapping[Key, Sequence[PullRequestFileRecord]]
) -> WriteReport:
    """File lists of stored pull requests, by (source, external_id); PRs not stored are
    skipped (counted as received, not created)."""
    report = WriteReport(received=len(lists))
    found = load_keyed(session, PullRequest.__table__, lists, [])  # type: ignore[arg-type]
    by_id = {found[key]["id"]: files for key, files in lists.items() if key in found}
    changed = replace_changed_files(session, by_id)
    report.updated = len(changed)
    report.unchanged = len(by_id) - len(changed)
    report.changes.resized_pull_request_ids |= changed
    return report
