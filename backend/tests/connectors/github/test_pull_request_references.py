"""What a pull request page gives beyond the timeline: the issue identifiers its description
names (the description itself is not kept) and its commit authors' e-mails."""

from __future__ import annotations

from typing import Any

from veelocity.connectors.github import payloads

from .test_payloads import make_pull_request_node


def _commit(oid: str, email: str | None, login: str | None) -> dict[str, Any]:
    user = {"login": login} if login else None
    return {
        "commit": {
            "oid": oid,
            "authoredDate": "2026-03-01T08:00:00Z",
            "author": {"email": email, "user": user},
        }
    }


def test_a_description_keeps_only_the_issue_identifiers_it_names() -> None:
    node = payloads.GqlPullRequest.model_validate(
        make_pull_request_node(body="Fixes eng-12.\n\nAlso ENG-12 and OPS-3; see UTF-8 docs.")
    )
    record = payloads.pull_request_record("acme/api", node)
    assert record.body_references == ("ENG-12", "OPS-3", "UTF-8")


def test_an_empty_description_names_nothing() -> None:
    node = payloads.GqlPullRequest.model_validate(make_pull_request_node(body=None))
    assert payloads.pull_request_record("acme/api", node).body_references == ()


def test_commit_authors_linked_to_an_account_carry_their_e_mail() -> None:
    commits = {
        "pageInfo": {"hasNextPage": False},
        "nodes": [
            _commit("a" * 40, "ada@example.com", "ada"),
            _commit("b" * 40, "someone@example.com", None),  # no account: no login to match
        ],
    }
    node = payloads.GqlPullRequest.model_validate(make_pull_request_node(commits=commits))
    record = payloads.pull_request_record("acme/api", node)
    assert record.commits is not None
    assert [(c.author_login, c.author_email) for c in record.commits] == [
        ("ada", "ada@example.com"),
        (None, None),
    ]
