"""Sync, let time pass in the fake's organisation, sync again: every stream reaches what the
fake holds then, as GitHub would show it (pull requests with their reviews and commits, the
commit graph, deployments and their statuses, releases, workflow runs, issues)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.demo.model import DemoOrganisation
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub

from .conftest import Harness, configure_github
from .truth import differences

#: four repositories: three services with GitHub Deployments, and a library (the fourth)
#: whose releases and `Release` workflow runs are its deployments
GROWING = DemoConfig(seed=5, repositories=4, developers=6, months=1)


@pytest.fixture
def org() -> DemoOrganisation:
    return generate(GROWING)


def _counts(org: DemoOrganisation) -> dict[str, int]:
    library = org.repositories[3]
    release = next(w.id for w in library.workflows if w.name == "Release")
    return {
        "pull requests": sum(len(r.pull_requests) for r in org.repositories),
        "reviews": sum(len(pr.reviews) for r in org.repositories for pr in r.pull_requests),
        "commits": sum(len(r.history) for r in org.repositories),
        "deployments": sum(len(r.deployments) for r in org.repositories),
        "deployment statuses": sum(
            len(d.statuses) for r in org.repositories for d in r.deployments
        ),
        "releases": len(library.releases),
        "release workflow runs": sum(
            1 for run in library.workflow_runs if run.workflow_id == release
        ),
        "issues": sum(len(r.issues) for r in org.repositories),
    }


def _unfinished_deployments(org: DemoOrganisation) -> int:
    return sum(
        1
        for r in org.repositories
        for d in r.deployments
        if d.statuses and d.statuses[-1].state in ("queued", "pending", "in_progress")
    )


def _advance_until_a_deployment_is_running(fake: FakeGitHub) -> None:
    for _step in range(3 * 24 * 30):
        if _unfinished_deployments(fake.org):
            return
        fake.advance(timedelta(minutes=2))
    raise AssertionError("no deployment started within three days")


def test_every_stream_reaches_the_truth_again_after_time_passes(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, base_url = served
    # pages of ten: passes of several pages, and watermarks inside them
    harness = make_harness(page_size=10)
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
    )
    harness.run()
    assert differences(org, harness.context.session_factory) == []
    before = _counts(org)

    # a sync while a deployment is still running: it is read again once it has finished
    _advance_until_a_deployment_is_running(fake)
    harness.run()
    assert differences(org, harness.context.session_factory) == []

    fake.advance(timedelta(days=7))
    after = _counts(org)
    grown = {name for name, count in after.items() if count > before[name]}
    assert grown == set(after), f"nothing new in {sorted(set(after) - grown)}"
    harness.run()
    assert differences(org, harness.context.session_factory) == []
