"""Every OpenTelemetry name the native JSON accepts is an attribute the published semantic
conventions define, and the values translated are the conventions' enumerated values."""

from __future__ import annotations

from opentelemetry.semconv._incubating.attributes import (
    cicd_attributes,
    deployment_attributes,
    vcs_attributes,
)

from veelocity.ingest.otel_aliases import DEPLOYMENT_ALIASES


def _published(*modules: object) -> set[str]:
    return {
        value
        for module in modules
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    }


def test_every_alias_is_a_published_attribute_name() -> None:
    published = _published(deployment_attributes, vcs_attributes, cicd_attributes)
    accepted = {*DEPLOYMENT_ALIASES, "vcs.owner.name", "vcs.repository.name"}
    assert accepted <= published


def test_every_published_status_value_is_translated_or_refused() -> None:
    _, translate = DEPLOYMENT_ALIASES["deployment.status"]
    for value in deployment_attributes.DeploymentStatusValues:
        assert translate(value.value) in ("success", "failure")
    _, translate = DEPLOYMENT_ALIASES["cicd.pipeline.result"]
    outcomes = {}
    for value in cicd_attributes.CicdPipelineResultValues:
        try:
            outcomes[value.value] = translate(value.value)
        except ValueError:
            outcomes[value.value] = "refused"
    assert set(outcomes.values()) == {"success", "failure", "refused"}
    assert outcomes["cancellation"] == outcomes["skip"] == "refused"
