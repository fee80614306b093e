"""Links between Linear issues and pull requests, with the evidence each keeps."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.builders import make_pull_request, make_repository
from tests.derive.linear_builders import (
    make_attachment,
    make_linear_issue,
    make_linear_team,
)
from veelocity.derive import ChangeSet, DeriveConfig, derive_all, derive_changes
from veelocity.derive.linear_links import pull_request_key
from veelocity.models import IssuePullRequestLink, LinearIssue, PullRequest, Repository

config = DeriveConfig()


def _links(session: Session) -> dict[tuple[str, int | None], tuple[str, str | None]]:
    """(issue identifier, PR number) → (evidence, detail)."""
    rows = session.execute(
        select(
            LinearIssue.identifier,
            PullRequest.number,
            IssuePullRequestLink.evidence,
            IssuePullRequestLink.detail,
        )
        .join(LinearIssue, LinearIssue.id == IssuePullRequestLink.linear_issue_id)
        .join(PullRequest, PullRequest.id == IssuePullRequestLink.pull_request_id)
    )
    return {(identifier, number): (kind, detail) for identifier, number, kind, detail in rows}


def _pr(session: Session, repo: Repository, **overrides: Any) -> PullRequest:
    pr = make_pull_request(session, repo, **overrides)
    pr.url = f"https://github.com/{repo.full_name}/pull/{pr.number}"
    session.flush()
    return pr


def _derive_issues(session: Session, *issues: LinearIssue) -> None:
    derive_changes(session, config, ChangeSet(linear_issue_ids={i.id for i in issues}))


def test_linear_github_attachment_links_the_pull_request_it_names(db_session: Session) -> None:
    repo = make_repository(db_session, "acme/api")
    eng = make_linear_team(db_session)
    issue = make_linear_issue(db_session, eng, number=12)
    by_url = _pr(db_session, repo, head_branch="feature")
    other = _pr(db_session, repo, head_branch="other")
    make_attachment(db_session, issue, by_url.url or "")
    # another spelling of the same kind of URL still names the PR
    make_attachment(db_session, issue, f"https://github.com/Acme/API/pull/{other.number}/files")
    _derive_issues(db_session, issue)
    assert _links(db_session) == {
        ("ENG-12", by_url.number): ("attachment", by_url.url),
        ("ENG-12", other.number): (
            "attachment",
            f"https://github.com/Acme/API/pull/{other.number}/files",
        ),
    }


def test_attachments_that_are_not_pull_requests_link_nothing(db_session: Session) -> None:
    repo = make_repository(db_session, "acme/api")
    eng = make_linear_team(db_session)
    issue = make_linear_issue(db_session, eng, number=3)
    pr = _pr(db_session, repo, head_branch="feature")
    for url in (
        "https://www.figma.com/file/abc/pull/1",
        f"https://github.com/acme/api/issues/{pr.number}",
        f"https://github.com/acme/api/commit/{pr.number}",
        "https://sentry.io/organizations/acme/issues/42/",
        f"https://github.com/acme/other/pull/{pr.number}",
    ):
        make_attachment(db_session, issue, url)
    _derive_issues(db_session, issue)
    assert _links(db_session) == {}


def test_an_identifier_in_the_branch_links_whatever_its_case(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    issue = make_linear_issue(db_session, eng, number=123)
    pr = _pr(db_session, repo, head_branch="alice/eng-123-add-audit-log", title="Audit log")
    _derive_issues(db_session, issue)
    assert _links(db_session) == {("ENG-123", pr.number): ("branch", "alice/eng-123-add-audit-log")}


def test_identifiers_in_the_title_and_description_link_too(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    titled = make_linear_issue(db_session, eng, number=7)
    described = make_linear_issue(db_session, eng, number=8)
    pr = _pr(
        db_session,
        repo,
        head_branch="audit",
        title="Fixes ENG-7: audit log",
        body_references=["ENG-8"],
    )
    _derive_issues(db_session, titled, described)
    assert _links(db_session) == {
        ("ENG-7", pr.number): ("title", "Fixes ENG-7: audit log"),
        ("ENG-8", pr.number): ("body", "ENG-8 in the description"),
    }


def test_unknown_team_keys_and_unknown_numbers_link_nothing(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    make_linear_issue(db_session, eng, number=5)
    _pr(
        db_session,
        repo,
        head_branch="utf-8-fix",
        title="Support SHA-256 and ENG-99",
        body_references=["OPS-5"],
    )
    derive_all(db_session, config)
    assert _links(db_session) == {}


def test_a_pair_found_several_ways_keeps_the_strongest_evidence(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    issue = make_linear_issue(db_session, eng, number=40)
    both = _pr(db_session, repo, head_branch="eng-40-x", title="ENG-40", body_references=["ENG-40"])
    everywhere = _pr(db_session, repo, head_branch="eng-40-y", title="ENG-40")
    make_attachment(db_session, issue, everywhere.url or "")
    _derive_issues(db_session, issue)
    links = _links(db_session)
    assert links[("ENG-40", both.number)] == ("branch", "eng-40-x")
    assert links[("ENG-40", everywhere.number)] == ("attachment", everywhere.url)


def test_a_pull_request_synced_before_its_issue_is_linked_when_the_issue_arrives(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    pr = _pr(db_session, repo, head_branch="bob/ops-2-rotate-keys")
    derive_changes(db_session, config, ChangeSet(pull_request_ids={pr.id}))
    assert _links(db_session) == {}
    ops = make_linear_team(db_session, key="OPS", name="Operations")
    issue = make_linear_issue(db_session, ops, number=2)
    _derive_issues(db_session, issue)
    assert _links(db_session) == {("OPS-2", pr.number): ("branch", "bob/ops-2-rotate-keys")}


def test_a_pull_request_that_changes_its_branch_and_title_moves_its_links(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    first = make_linear_issue(db_session, eng, number=1)
    second = make_linear_issue(db_session, eng, number=2)
    pr = _pr(db_session, repo, head_branch="eng-1-thing", title="Thing")
    _derive_issues(db_session, first, second)
    assert set(_links(db_session)) == {("ENG-1", pr.number)}
    pr.head_branch = "thing"
    pr.title = "Thing (ENG-2)"
    db_session.flush()
    derive_changes(db_session, config, ChangeSet(pull_request_ids={pr.id}))
    assert _links(db_session) == {("ENG-2", pr.number): ("title", "Thing (ENG-2)")}


def test_an_issue_moved_to_another_team_links_by_its_new_identifier(db_session: Session) -> None:
    repo = make_repository(db_session)
    eng = make_linear_team(db_session)
    ops = make_linear_team(db_session, key="OPS", name="Operations")
    issue = make_linear_issue(db_session, eng, number=9)
    old_branch = _pr(db_session, repo, head_branch="eng-9-old")
    new_branch = _pr(db_session, repo, head_branch="ops-31-new")
    _derive_issues(db_session, issue)
    assert set(_links(db_session)) == {("ENG-9", old_branch.number)}
    issue.team_id, issue.identifier, issue.number = ops.team.id, "OPS-31", 31
    db_session.flush()
    _derive_issues(db_session, issue)
    assert set(_links(db_session)) == {("OPS-31", new_branch.number)}


def test_pull_request_keys_come_from_github_pull_request_urls_only() -> None:
    assert pull_request_key("https://github.com/Acme/API/pull/12#discussion") == ("acme/api", 12)
    assert pull_request_key("https://github.com/acme/api/issues/12") is None
    assert pull_request_key("https://gitlab.com/acme/api/-/merge_requests/3") is None
