"""Links between Linear issues and pull requests (`issue_pull_request_link`).

Evidence, strongest first: Linear's GitHub attachment naming the PR; the issue identifier in
the PR's head branch (`alice/eng-123-audit-log`); the identifier in its title; the identifier
in its description (`pull_request.body_references`). An identifier counts only when it is a
stored issue's current identifier, so unknown team keys (`UTF-8`, `SHA-256`) link nothing.
A pair found several ways keeps its strongest evidence and a short detail of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from veelocity.core.db import upsert_rows
from veelocity.derive.pull_requests import chunks
from veelocity.models import (
    IssuePullRequestLink,
    LinearAttachment,
    LinearIssue,
    PullRequest,
    Repository,
)
from veelocity.records.references import issue_identifiers

#: Evidence kinds, strongest first.
EVIDENCE_ORDER = ("attachment", "branch", "title", "body")
_STRENGTH = {kind: rank for rank, kind in enumerate(EVIDENCE_ORDER)}
#: github.com/<owner>/<repo>/pull/<number>, with anything after the number (`/files`, `#…`).
_PULL_URL = re.compile(
    r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s]+)/pull/(\d+)(?:[/?#].*)?$",
    re.IGNORECASE,
)


#: Details are cut to this length (a title or branch name is plenty to recognise).
DETAIL_LENGTH = 300


class Evidence(NamedTuple):
    kind: str
    detail: str


def _evidence(kind: str, detail: str) -> Evidence:
    return Evidence(kind, detail[:DETAIL_LENGTH])


@dataclass(frozen=True)
class PullRequestFacts:
    id: int
    url: str | None
    repository: str
    number: int | None
    head_branch: str | None
    title: str
    body_references: tuple[str, ...]


@dataclass(frozen=True)
class AttachmentFacts:
    linear_issue_id: int
    url: str


def _normal_url(url: str) -> str:
    return url.strip().rstrip("/").lower()


def pull_request_key(url: str) -> tuple[str, int] | None:
    """(`owner/repo` lower-cased, number) of a GitHub pull request URL; None for any other
    URL (a design file, a Sentry issue, a GitHub issue or commit)."""
    match = _PULL_URL.match(url.strip())
    if match is None:
        return None
    return f"{match[1]}/{match[2]}".lower(), int(match[3])


def pull_request_evidence(pr: PullRequestFacts, issue_ids: dict[str, int]) -> dict[int, Evidence]:
    """The issues a PR names in its branch, title or description, with the strongest place
    each is named. `issue_ids` maps current identifiers ("ENG-123") to issue ids."""
    found: dict[int, Evidence] = {}
    places = (
        ("branch", issue_identifiers(pr.head_branch), pr.head_branch or ""),
        ("title", issue_identifiers(pr.title), pr.title),
        ("body", [r.upper() for r in pr.body_references], ""),
    )
    for kind, identifiers, text in places:
        for identifier in identifiers:
            issue_id = issue_ids.get(identifier)
            if issue_id is not None and issue_id not in found:
                found[issue_id] = _evidence(kind, text or f"{identifier} in the description")
    return found


def find_links(
    prs: Iterable[PullRequestFacts],
    attachments: Iterable[AttachmentFacts],
    issue_ids: dict[str, int],
) -> dict[tuple[int, int], Evidence]:
    """Every (linear issue id, pull request id) pair the evidence names, with its strongest
    evidence."""
    prs = list(prs)
    by_url = {_normal_url(pr.url): pr.id for pr in prs if pr.url}
    by_key = {(pr.repository.lower(), pr.number): pr.id for pr in prs if pr.number is not None}
    links: dict[tuple[int, int], Evidence] = {}

    def keep(pair: tuple[int, int], evidence: Evidence) -> None:
        current = links.get(pair)
        if current is None or _STRENGTH[evidence.kind] < _STRENGTH[current.kind]:
            links[pair] = evidence

    for attachment in attachments:
        pr_id = by_url.get(_normal_url(attachment.url))
        if pr_id is None:
            key = pull_request_key(attachment.url)
            pr_id = by_key.get(key) if key is not None else None
        if pr_id is not None:
            keep((attachment.linear_issue_id, pr_id), _evidence("attachment", attachment.url))
    for pr in prs:
        for issue_id, evidence in pull_request_evidence(pr, issue_ids).items():
            keep((issue_id, pr.id), evidence)
    return links


# --- database --------------------------------------------------------------------------------
def _pull_request_facts(session: Session, pr_ids: Iterable[int] | None) -> list[PullRequestFacts]:
    query = select(
        PullRequest.id,
        PullRequest.url,
        Repository.full_name,
        PullRequest.number,
        PullRequest.head_branch,
        PullRequest.title,
        PullRequest.body_references,
    ).join(Repository, Repository.id == PullRequest.repository_id)
    batches: Iterable[list[int] | None] = [None] if pr_ids is None else chunks(pr_ids)
    facts = []
    for batch in batches:
        rows = session.execute(query if batch is None else query.where(PullRequest.id.in_(batch)))
        facts += [
            PullRequestFacts(
                id=row.id,
                url=row.url,
                repository=row.full_name,
                number=row.number,
                head_branch=row.head_branch,
                title=row.title or "",
                body_references=tuple(row.body_references or ()),
            )
            for row in rows
        ]
    return facts


def _attachments(session: Session, issue_ids: Iterable[int] | None) -> list[AttachmentFacts]:
    """Attachments that may name a pull request: those of these issues, or every one whose URL
    has `/pull/` in it (None)."""
    query = select(LinearAttachment.issue_id, LinearAttachment.url)
    if issue_ids is None:
        rows = list(session.execute(query.where(func.lower(LinearAttachment.url).like("%/pull/%"))))
    else:
        rows = [
            row
            for batch in chunks(issue_ids)
            for row in session.execute(query.where(LinearAttachment.issue_id.in_(batch)))
        ]
    return [AttachmentFacts(issue_id, url) for issue_id, url in rows]


def _identifiers(session: Session) -> dict[str, int]:
    return {
        identifier.upper(): issue_id
        for issue_id, identifier in session.execute(select(LinearIssue.id, LinearIssue.identifier))
    }


def _stored_links(
    session: Session, pr_ids: set[int] | None, issue_ids: set[int] | None
) -> dict[tuple[int, int], Evidence]:
    query = select(
        IssuePullRequestLink.linear_issue_id,
        IssuePullRequestLink.pull_request_id,
        IssuePullRequestLink.evidence,
        IssuePullRequestLink.detail,
    )
    stored: dict[tuple[int, int], Evidence] = {}
    wheres: list[ColumnElement[bool] | None] = []
    if pr_ids is None or issue_ids is None:
        wheres.append(None)
    else:
        wheres += [IssuePullRequestLink.pull_request_id.in_(batch) for batch in chunks(pr_ids)]
        wheres += [IssuePullRequestLink.linear_issue_id.in_(batch) for batch in chunks(issue_ids)]
    for where in wheres:
        for issue_id, pr_id, evidence, detail in session.execute(
            query if where is None else query.where(where)
        ):
            stored[(issue_id, pr_id)] = Evidence(evidence, detail or "")
    return stored


@dataclass(frozen=True)
class LinkChanges:
    """The issues and pull requests whose links were added, removed or changed evidence."""

    linear_issue_ids: set[int]
    pull_request_ids: set[int]


def link_issues_and_pull_requests(
    session: Session, pr_ids: Iterable[int] | None, issue_ids: Iterable[int] | None
) -> LinkChanges:
    """Recompute the links of these pull requests and these Linear issues (None for both:
    every link). Finding the PRs that name an issue reads every PR's branch, title and
    references once; naming PRs by id reads only those."""
    everything = pr_ids is None and issue_ids is None
    wanted_prs = None if pr_ids is None else set(pr_ids)
    wanted_issues = None if issue_ids is None else set(issue_ids)
    if not everything and not wanted_prs and not wanted_issues:
        return LinkChanges(set(), set())
    if everything or wanted_issues:
        prs = _pull_request_facts(session, None)
    else:
        prs = _pull_request_facts(session, wanted_prs or ())
    if everything:
        attachments = _attachments(session, None)
    else:
        attachments = _attachments(session, wanted_issues or ())
        if wanted_prs:
            attachments += _attachments(session, None)
    found = find_links(prs, attachments, _identifiers(session))
    prs_in_scope = wanted_prs or set()
    issues_in_scope = wanted_issues or set()
    if not everything:
        found = {
            pair: evidence
            for pair, evidence in found.items()
            if pair[0] in issues_in_scope or pair[1] in prs_in_scope
        }
    stored = _stored_links(
        session, None if everything else prs_in_scope, None if everything else issues_in_scope
    )
    removed = [pair for pair in stored if pair not in found]
    changed = {pair: e for pair, e in found.items() if stored.get(pair) != e}
    for batch in chunks(removed):
        session.execute(
            delete(IssuePullRequestLink).where(
                tuple_(
                    IssuePullRequestLink.linear_issue_id, IssuePullRequestLink.pull_request_id
                ).in_(batch)
            )
        )
    # an upsert: a derive of another source's write may add the same link at the same time
    rows = [
        {
            "linear_issue_id": issue_id,
            "pull_request_id": pr_id,
            "evidence": evidence.kind,
            "detail": evidence.detail or None,
        }
        for (issue_id, pr_id), evidence in changed.items()
    ]
    for start in range(0, len(rows), 1000):
        upsert_rows(
            session,
            IssuePullRequestLink.__table__,
            rows[start : start + 1000],
            key=("linear_issue_id", "pull_request_id"),
        )
    touched = set(removed) | set(changed)
    return LinkChanges({pair[0] for pair in touched}, {pair[1] for pair in touched})


def issues_linked_to(session: Session, pr_ids: Iterable[int]) -> set[int]:
    """The Linear issues linked to these pull requests."""
    found: set[int] = set()
    for batch in chunks(pr_ids):
        found |= set(
            session.scalars(
                select(IssuePullRequestLink.linear_issue_id).where(
                    IssuePullRequestLink.pull_request_id.in_(batch)
                )
            )
        )
    return found
