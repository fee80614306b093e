"""The ingest payloads, without a database: what is accepted, refused, and how it maps."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from tests.ingest.conftest import SHA_A, deployment, incident, pull_request
from veelocity.ingest.payloads import (
    MAX_BATCH_ITEMS,
    DeploymentBatch,
    DeploymentIn,
    IncidentIn,
    PullRequestIn,
)


def _errors(model: Any, data: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in raised.value.errors()]


def test_a_timestamp_with_an_offset_is_stored_in_utc() -> None:
    item = DeploymentIn.model_validate(deployment(finished_at="2025-03-03T11:07:00+02:00"))
    assert item.finished_at == datetime(2025, 3, 3, 9, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-03-03T09:07:00", "the timestamp has no time zone"),
        ("2025-03-03", "the timestamp has no time zone"),
        ("03/03/2025 09:07", "not an ISO 8601 timestamp"),
        (1741000000, "expected an ISO 8601 timestamp string"),
    ],
)
def test_timestamps_without_a_zone_or_not_iso_8601_are_refused(value: Any, message: str) -> None:
    [(where, msg)] = _errors(DeploymentIn, deployment(finished_at=value))
    assert where == "finished_at"
    assert msg.startswith(message)


def test_a_batch_error_names_the_item_index_and_the_field() -> None:
    items = [deployment(external_id=str(n)) for n in range(5)]
    items[3]["finished_at"] = "2025-03-03T09:07:00"
    [(where, _)] = _errors(DeploymentBatch, {"items": items})
    assert where == "items.3.finished_at"


def test_one_item_alone_is_a_batch_of_one() -> None:
    assert len(DeploymentBatch.model_validate(deployment()).items) == 1


def test_a_batch_over_the_limit_is_refused_before_its_items_are_read() -> None:
    [(where, msg)] = _errors(DeploymentBatch, {"items": [{}] * (MAX_BATCH_ITEMS + 1)})
    assert where == ""
    assert msg == (
        "a request carries at most 1000 items and this one has 1001; split it into several requests"
    )


def test_unknown_fields_are_refused() -> None:
    [(where, _)] = _errors(DeploymentIn, deployment(is_production=True))
    assert where == "is_production"


def test_a_deployment_cannot_finish_before_it_started() -> None:
    [(_, msg)] = _errors(DeploymentIn, deployment(started_at="2025-03-03T10:00:00Z"))
    assert msg == "finished_at is before started_at"


def test_short_shas_are_refused_and_full_ones_lower_cased() -> None:
    assert _errors(DeploymentIn, deployment(commit_sha="9fceb02"))[0][0] == "commit_sha"
    item = DeploymentIn.model_validate(deployment(commit_sha=SHA_A.upper()))
    assert item.commit_sha == SHA_A


def test_sources_are_lower_cased_and_veelocitys_own_are_reserved() -> None:
    assert DeploymentIn.model_validate(deployment(source="Jenkins")).source == "jenkins"
    for reserved in ("github", "GitHub-Actions", "sentry", "revert"):
        [(where, msg)] = _errors(DeploymentIn, deployment(source=reserved))
        assert where == "source"
        assert "used by Veelocity's own connectors" in msg


def test_numeric_external_ids_become_strings() -> None:
    assert DeploymentIn.model_validate(deployment(external_id=1842)).external_id == "1842"


def test_only_http_urls_are_accepted() -> None:
    [(where, msg)] = _errors(DeploymentIn, deployment(url="javascript:alert(1)"))
    assert (where, msg) == ("url", "expected an http(s) URL")


def test_an_incident_needs_a_repository_or_a_service() -> None:
    [(_, msg)] = _errors(IncidentIn, incident(repository=None))
    assert msg == "give a repository, a service, or both"
    assert IncidentIn.model_validate(incident(repository=None, service="checkout")).service


def test_an_incident_cannot_be_resolved_before_it_started() -> None:
    [(_, msg)] = _errors(IncidentIn, incident(resolved_at="2025-03-03T09:00:00Z"))
    assert msg == "resolved_at is before started_at"


def test_a_pull_request_state_is_inferred_from_its_times() -> None:
    merged = PullRequestIn.model_validate(pull_request())
    closed = PullRequestIn.model_validate(
        pull_request(merged_at=None, closed_at="2025-03-02T16:00:00Z")
    )
    still_open = PullRequestIn.model_validate(pull_request(merged_at=None))
    assert (merged.state, closed.state, still_open.state) == ("merged", "closed", "open")


def test_a_pull_request_state_must_agree_with_its_times() -> None:
    assert _errors(PullRequestIn, pull_request(state="merged", merged_at=None))[0][1] == (
        "a merged pull request needs merged_at"
    )
    assert _errors(PullRequestIn, pull_request(state="open"))[0][1] == (
        "merged_at is given but the state is open"
    )


def test_review_events_need_a_state_and_others_have_none() -> None:
    review = {"kind": "review", "actor": "bob", "at": "2025-03-02T09:00:00Z"}
    [(where, msg)] = _errors(PullRequestIn, pull_request(events=[review]))
    assert (where, msg) == ("events.0", "a review needs a state")
    comment = {**review, "kind": "comment", "state": "APPROVED"}
    assert _errors(PullRequestIn, pull_request(events=[comment]))[0][1] == (
        "only reviews have a state"
    )


def test_a_pull_request_maps_to_a_record() -> None:
    record = PullRequestIn.model_validate(pull_request()).to_record()
    assert record.state == "merged"
    assert record.updated_at == datetime(2025, 3, 2, 16, 0, tzinfo=UTC)
    assert record.events is not None
    assert record.events[0].state == "APPROVED"
    assert record.commits is not None
    assert record.commits[0].authored_at is not None
    assert record.labels == ("feature",)


def test_commits_and_events_left_out_map_to_none() -> None:
    item = pull_request()
    del item["commits"], item["events"]
    record = PullRequestIn.model_validate(item).to_record()
    assert (record.commits, record.events) == (None, None)


def test_a_short_sha_is_refused_with_a_sentence_not_a_pattern() -> None:
    [(where, msg)] = _errors(DeploymentIn, deployment(commit_sha="9fceb02"))
    assert where == "commit_sha"
    assert msg.startswith("not a full commit sha: expected 40 (SHA-1) or 64 (SHA-256)")
    assert "[0-9" not in msg


def test_a_reserved_source_names_itself_in_the_message() -> None:
    [(_, msg)] = _errors(DeploymentIn, deployment(source="GitHub-Actions"))
    assert msg.startswith("'github-actions' is used by Veelocity's own connectors")
    assert "{" not in msg


def test_a_malformed_source_or_repository_is_refused_with_a_sentence() -> None:
    [(_, source_msg)] = _errors(DeploymentIn, deployment(source="-jenkins"))
    [(_, repository_msg)] = _errors(DeploymentIn, deployment(repository="api"))
    assert source_msg.startswith("a source is 1 to 64 letters")
    assert repository_msg.startswith("expected a repository as owner/name")


def test_a_deployment_without_an_environment_is_a_production_deployment() -> None:
    item = DeploymentIn.model_validate(deployment(environment=None))
    assert item.environment == "production"


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("approved", "APPROVED"),
        ("changes_requested", "CHANGES_REQUESTED"),
        ("Commented", "COMMENTED"),
        ("dismissed", "DISMISSED"),
    ],
)
def test_a_review_kind_is_a_review_with_that_state(kind: str, state: str) -> None:
    events = [{"kind": kind, "actor": "bob", "at": "2025-03-02T09:00:00Z"}]
    item = PullRequestIn.model_validate(pull_request(events=events))
    assert item.events is not None
    assert (item.events[0].kind, item.events[0].state) == ("review", state)


def test_a_review_kind_with_a_state_as_well_is_refused() -> None:
    events = [{"kind": "approved", "actor": "bob", "at": "2025-03-02T09:00:00Z", "state": "x"}]
    [(where, msg)] = _errors(PullRequestIn, pull_request(events=events))
    assert where == "events.0"
    assert "already says the review's state" in msg


def test_a_deployment_names_pull_requests_by_number_or_address() -> None:
    item = DeploymentIn.model_validate(
        deployment(pull_requests=[311, "https://github.com/acme/api/pull/312"])
    )
    assert item.pull_requests == [311, "https://github.com/acme/api/pull/312"]
    assert _errors(DeploymentIn, deployment(pull_requests=["ftp://x/1"]))


def test_opentelemetry_attribute_names_map_to_the_native_fields() -> None:
    item = DeploymentIn.model_validate(
        {
            "source": "jenkins",
            "cicd.pipeline.run.id": 1842,
            "deployment.environment.name": "production",
            "cicd.pipeline.result": "failure",
            "vcs.repository.url.full": "https://github.com/acme/api.git",
            "vcs.ref.head.revision": SHA_A,
            "vcs.change.id": "311",
            "cicd.pipeline.run.url.full": "https://jenkins.example.com/job/api/1842/",
            "cicd.pipeline.name": "api-deploy",
            "finished_at": "2025-03-03T09:07:00Z",
        }
    )
    assert (item.external_id, item.repository, item.environment, item.status) == (
        "1842",
        "acme/api",
        "production",
        "failure",
    )
    assert (item.commit_sha, item.pull_requests, item.name) == (SHA_A, [311], "api-deploy")


def test_an_owner_and_a_repository_name_are_a_repository() -> None:
    data = deployment(repository=None, **{"vcs.owner.name": "acme", "vcs.repository.name": "api"})
    assert DeploymentIn.model_validate(data).repository == "acme/api"


def test_two_names_for_one_field_must_agree() -> None:
    agreeing = deployment(**{"deployment.id": "api-deploy-1"})
    assert DeploymentIn.model_validate(agreeing).external_id == "api-deploy-1"
    [(_, msg)] = _errors(DeploymentIn, deployment(**{"deployment.id": "other"}))
    assert msg == "deployment.id and external_id are both given, with different values; send one"


def test_a_cancelled_run_is_refused_with_why() -> None:
    [(_, msg)] = _errors(
        DeploymentIn, deployment(status=None, **{"cicd.pipeline.result": "cancellation"})
    )
    assert msg.startswith("a cancelled or skipped run deployed nothing")
