"""A sync against the fake GitHub keeps each pull request's description references and
gives developers the e-mail their commits show, with no extra request."""

from __future__ import annotations

from veelocity.demo.model import DemoOrganisation
from veelocity.models import Developer, PullRequest
from veelocity.records.references import body_references

from .conftest import Harness


def test_description_references_and_commit_e_mails_are_stored(
    harness: Harness, org: DemoOrganisation
) -> None:
    pr = org.repositories[0].pull_requests[0]
    pr.body = f"Fixes eng-{pr.number}.\n\nSee also ENG-{pr.number} and OPS-1."
    harness.run()

    stored = {
        external_id: references
        for external_id, references in harness.rows(
            PullRequest.external_id, PullRequest.body_references
        )
    }
    expected = {
        f"{repository.full_name}#{p.number}": list(body_references(p.body))
        for repository in org.repositories
        for p in repository.pull_requests
    }
    assert stored == expected
    assert stored[f"{org.repositories[0].full_name}#{pr.number}"] == [f"ENG-{pr.number}", "OPS-1"]

    emails = {login: email for login, email in harness.rows(Developer.login, Developer.email)}
    members = {m.login: m.email for m in org.members if not m.is_bot}
    given = {login: email for login, email in emails.items() if email is not None}
    assert given
    assert all(members.get(login) == email for login, email in given.items())
