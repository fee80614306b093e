"""The DORA-API-shaped routes read the vendor's published request attributes: every field
Veelocity reads is one the vendor's generated request models define, and a request those
models build is accepted (tests/ingest/test_dora_events_ingest.py pushes them)."""

from __future__ import annotations

import inspect

import pytest
from datadog_api_client.v2.model.dora_deployment_request_attributes import (
    DORADeploymentRequestAttributes,
)
from datadog_api_client.v2.model.dora_failure_request_attributes import (
    DORAFailureRequestAttributes,
)
from datadog_api_client.v2.model.dora_git_info import DORAGitInfo

from veelocity.ingest.dora_events import (
    DoraDeploymentAttributes,
    DoraFailureAttributes,
    GitInfo,
)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (DoraDeploymentAttributes, DORADeploymentRequestAttributes),
        (DoraFailureAttributes, DORAFailureRequestAttributes),
        (GitInfo, DORAGitInfo),
    ],
)
def test_every_field_read_is_a_published_attribute(ours: type, theirs: type) -> None:
    published = set(theirs.attribute_map.values())
    assert set(ours.model_fields) <= published


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (DoraDeploymentAttributes, DORADeploymentRequestAttributes),
        (DoraFailureAttributes, DORAFailureRequestAttributes),
    ],
)
def test_the_required_fields_are_the_published_required_ones(ours: type, theirs: type) -> None:
    required = {name for name, field in ours.model_fields.items() if field.is_required()}
    published_required = {
        name
        for name, param in inspect.signature(theirs.__init__).parameters.items()
        if param.default is param.empty and name not in ("self_", "kwargs")
    }
    assert required == published_required
