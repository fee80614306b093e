"""Building an organisation from a configuration, and letting its time pass."""

from __future__ import annotations

from datetime import timedelta

from veelocity.demo.config import DemoConfig
from veelocity.demo.model import DemoOrganisation, IssueComment, PullRequest
from veelocity.demo.simulation import Simulation, node_id


def generate(config: DemoConfig | None = None) -> DemoOrganisation:
    """The organisation's history from `config.months` before `config.now` up to `now`."""
    return Simulation(config or DemoConfig()).build()


def _simulation(org: DemoOrganisation) -> Simulation:
    if not isinstance(org.simulation, Simulation):
        raise ValueError("this organisation was not made by generate()")
    return org.simulation


def advance(org: DemoOrganisation, delta: timedelta) -> DemoOrganisation:
    """Let `delta` pass: planned reviews, merges, runs and deployments happen, new pull
    requests are opened. Returns the same (mutated) organisation."""
    if delta < timedelta(0):
        raise ValueError("time only moves forward")
    _simulation(org).run_until(org.now + delta)
    return org


def linear_team_repositories(org: DemoOrganisation) -> dict[str, list[str]]:
    """The repositories each Linear team works in: team key -> repository names."""
    linear = _simulation(org).linear
    if linear is None:
        return {}
    return {team.key: list(linear.repositories_of_team[team.id]) for team in linear.workspace.teams}


def use_github_web(org: DemoOrganisation, base_url: str) -> None:
    """Point the Linear attachments of ORG's pull requests at the GitHub serving it (the fake
    GitHub's origin, e.g. http://127.0.0.1:53211), now and for those made later."""
    linear = _simulation(org).linear
    if linear is not None:
        linear.use_github_web(base_url)


def comment_on(org: DemoOrganisation, repository: str, number: int, body: str) -> IssueComment:
    """Add a comment to a pull request now, which moves it to the top of updated-first lists
    (used to change a page between two requests)."""
    simulation = _simulation(org)
    pr: PullRequest = org.repository(repository).pull_requests[number - 1]
    comment_id = simulation.new_id("IssueComment")
    comment = IssueComment(
        id=comment_id,
        node_id=node_id("IssueComment", comment_id),
        author=pr.author,
        body=body,
        created_at=org.now,
        updated_at=org.now,
    )
    pr.comments.append(comment)
    pr.updated_at = max(pr.updated_at, org.now)
    return comment
