"""What an incremental sync must not miss although it lands below the watermark: a run that
is run again (each attempt is a deployment of its own), a draft release published later,
and a release of an old commit (a backport), which GitHub lists by its commit's date."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest

from veelocity.demo.config import DemoConfig
from veelocity.demo.generate import generate
from veelocity.demo.model import DemoOrganisation, RunAttempt
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub
from veelocity.models import Deployment, SyncCheckpoint

from .conftest import Harness, configure_github
from .truth import differences

#: the fourth repository is a library: its `Release` workflow runs and releases deploy it
LIBRARY = DemoConfig(seed=5, repositories=4, developers=6, months=1)


@pytest.fixture
def org() -> DemoOrganisation:
    return generate(LIBRARY)


def _outcomes(harness: Harness, prefix: str) -> dict[str, str]:
    rows = harness.rows(
        Deployment.external_id, Deployment.status, where=[Deployment.external_id.like(prefix + "%")]
    )
    return {row.external_id: row.status for row in rows}


def _synced(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> Harness:
    _fake, base_url = served
    harness = make_harness()
    configure_github(
        harness.context, base_url=base_url, token=DEMO_TOKEN, organizations=[org.login]
    )
    harness.run()
    assert differences(org, harness.context.session_factory) == []
    return harness


def test_a_run_run_again_keeps_its_failed_attempt_and_adds_the_new_one(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    library = org.repositories[3]
    release_workflow = next(w.id for w in library.workflows if w.name == "Release")
    runs = [r for r in library.workflow_runs if r.workflow_id == release_workflow]
    # not the newest run: its creation date is below the watermark the first sync sets, by
    # a day (GitHub allows re-runs for 30 days; the sync looks RERUN_WINDOW back)
    run = runs[-2]
    with fake.lock:
        run.created_at = runs[-1].created_at - timedelta(days=1)
    harness = _synced(make_harness, served, org)
    with fake.lock:
        run.attempts[-1].conclusion = "failure"
        now = org.now
        run.attempts.append(
            RunAttempt(attempt=2, started_at=now, conclusion="success", completed_at=now)
        )
    harness.run()
    first = f"{library.full_name}/run/{run.id}"
    assert _outcomes(harness, first) == {first: "failure", f"{first}/attempt/2": "success"}
    assert differences(org, harness.context.session_factory) == []


def test_a_draft_published_later_and_a_backport_release_are_found(
    make_harness: Callable[..., Harness], served: tuple[FakeGitHub, str], org: DemoOrganisation
) -> None:
    fake, _ = served
    library = org.repositories[3]
    newest = library.releases[-1]
    with fake.lock:
        draft = dataclasses.replace(
            newest, id=newest.id + 1, node_id="RE_draft", tag_name="v9.0.0", name="v9.0.0",
            created_at=org.now - timedelta(hours=1), draft=True,
        )  # fmt: skip
        library.releases.append(draft)
    harness = _synced(make_harness, served, org)
    prefix = f"{library.full_name}/release/"
    assert f"{prefix}{draft.id}" not in _outcomes(harness, prefix)

    fake.advance(timedelta(hours=2))
    with fake.lock:
        draft.draft = False
        draft.published_at = org.now
        backport = dataclasses.replace(
            library.releases[0], id=newest.id + 2, node_id="RE_backport", tag_name="v0.9.1",
            name="v0.9.1", created_at=library.releases[0].created_at - timedelta(days=20),
            published_at=org.now,
        )  # fmt: skip
        library.releases.append(backport)
    harness.run()
    found = _outcomes(harness, prefix)
    assert f"{prefix}{draft.id}" in found
    # within a day of the last whole read, the old commit's release is not looked for yet
    assert f"{prefix}{backport.id}" not in found

    with harness.context.session_factory.begin() as session:  # a day passes for the stream
        row = session.get(SyncCheckpoint, ("github", "releases", library.full_name))
        assert row is not None
        row.cursor = {**row.cursor, "full_read_at": (org.now - timedelta(days=2)).isoformat()}
    harness.run()
    assert f"{prefix}{backport.id}" in _outcomes(harness, prefix)
    assert differences(org, harness.context.session_factory) == []
