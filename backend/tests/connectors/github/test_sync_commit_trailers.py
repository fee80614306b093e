"""A sync against the fake GitHub keeps the AI trailers of each pull request's commits
(`Co-authored-by:`, `Made-with:`), read with the commits it already asks for."""

from __future__ import annotations

from veelocity.demo.model import DemoOrganisation
from veelocity.models import PullRequest
from veelocity.models.ai import CommitTrailer
from veelocity.records.ai import commit_trailers

from .conftest import Harness


def test_the_ai_trailers_of_pull_request_commits_are_kept(
    harness: Harness, org: DemoOrganisation
) -> None:
    pr = org.repositories[0].pull_requests[0]
    commit = pr.commits[0]
    commit.message = (
        "Add the thing\n\nLonger body.\n\n"
        "Co-authored-by: Cursor Agent <cursoragent@cursor.com>\nMade-with: Cursor\n"
    )
    harness.run()

    stored = {
        (external_id, sha, key, value)
        for external_id, sha, key, value in harness.rows(
            PullRequest.external_id,
            CommitTrailer.sha,
            CommitTrailer.key,
            CommitTrailer.value,
            where=[PullRequest.id == CommitTrailer.pull_request_id],
        )
    }
    expected = {
        (f"{repository.full_name}#{p.number}", c.oid, key, value)
        for repository in org.repositories
        for p in repository.pull_requests
        for c in p.commits
        for key, value in commit_trailers(c.message.partition("\n")[2])
    }
    assert stored == expected
    mine = f"{org.repositories[0].full_name}#{pr.number}"
    assert {(key, value) for e, _sha, key, value in stored if e == mine} >= {
        ("co-authored-by", "Cursor Agent <cursoragent@cursor.com>"),
        ("made-with", "Cursor"),
    }

    # a second sync finds nothing new and adds nothing
    harness.run()
    assert harness.count(CommitTrailer.sha) == len(expected)


def test_trailers_are_read_from_any_line_case_and_kept_once() -> None:
    message = (
        "Fix\n\nco-authored-by: Ana <ana@example.com>\nCo-Authored-By: Ana <ana@example.com>\n"
        "Made-With:  Cursor  \nSigned-off-by: Bo <bo@example.com>\n"
    )

    assert commit_trailers(message) == (
        ("co-authored-by", "Ana <ana@example.com>"),
        ("made-with", "Cursor"),
    )
