"""Kubernetes manifests, the Helm chart rendered by Helm's own engine, and fly.toml.

The manifests and every rendered template are validated strictly against the Kubernetes
OpenAPI schemas that kubernetes-validate ships (for the oldest and the newest release it
knows); the chart is rendered and linted with helm-python-sdk, which embeds Helm's Go SDK
(no helm binary is needed, and Debian does not package one).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from tests.conftest import TEST_DB
from tests.infra.conftest import INFRA

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")

K8S = INFRA / "k8s"
CHART = INFRA / "helm" / "veelocity"
KUBERNETES_VERSIONS = ["1.29.0", kubernetes_validate.latest_version()]
CHART_VALUES = {
    "secrets": {
        "databaseUrl": "postgresql://veelocity:password@db.internal:5432/veelocity",
        "encryptionKey": "not-a-real-key",
        "jwtSecretKey": "not-a-real-secret",
    }
}


def _documents(text: str) -> Iterator[dict[str, Any]]:
    for document in yaml.safe_load_all(text):
        if document:
            yield document


def _manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        documents.extend(_documents(path.read_text()))
    return documents


def _render(values: dict[str, Any]) -> list[dict[str, Any]]:
    with helm.Chart.load(str(CHART)) as chart:
        rendered = chart.render(values, name="veelocity", namespace="veelocity")
    documents = []
    for name, text in rendered.items():
        if name.endswith(".yaml"):
            documents.extend(_documents(text))
    return documents


def _by_kind(documents: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in documents if d["kind"] == kind]


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    return _render(CHART_VALUES)


def _validate(documents: list[dict[str, Any]]) -> None:
    assert documents
    for version in KUBERNETES_VERSIONS:
        for document in documents:
            try:
                kubernetes_validate.validate(document, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{document['kind']} {document['metadata']['name']} ({version}): {exc}")


def test_the_manifests_are_valid_kubernetes_objects() -> None:
    _validate(_manifests())


def test_the_rendered_chart_is_valid_kubernetes_objects(rendered: list[dict[str, Any]]) -> None:
    _validate(rendered)


def test_helm_lint_finds_no_errors() -> None:
    result = helm.lint(str(CHART))
    assert result["errors"] == []
    assert [m for m in result["messages"] if m["severity"] > 1] == []


def test_the_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert set(kustomization["resources"]) == files


@pytest.mark.parametrize("source", ["manifests", "chart"])
def test_backend_replicas_probes_and_security(source: str, rendered: list[dict[str, Any]]) -> None:
    documents = _manifests() if source == "manifests" else rendered
    deployments = {
        d["metadata"]["name"].rsplit("-", 1)[-1]: d for d in _by_kind(documents, "Deployment")
    }
    backend = deployments["backend"]["spec"]
    assert backend["replicas"] >= 2
    pod = backend["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    # Readiness includes the database; liveness must not, or an outage restarts every pod.
    assert container["readinessProbe"]["httpGet"]["path"] == "/api/v1/health"
    assert container["livenessProbe"]["httpGet"]["path"] == "/api/v1/health/live"
    assert container["resources"]["requests"]
    assert container["resources"]["limits"]
    for each in [*pod["containers"], *pod["initContainers"]]:
        security = each["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
    (migrate,) = pod["initContainers"]
    assert migrate["command"][:2] == ["veelocity", "migrate"]
    env_sources = {next(iter(s)) for s in container["envFrom"]}
    assert env_sources == {"configMapRef", "secretRef"}
    frontend = deployments["frontend"]["spec"]["template"]["spec"]
    assert frontend["securityContext"]["runAsNonRoot"] is True
    assert frontend["containers"][0]["readinessProbe"]["httpGet"]["path"] == "/health"


@pytest.mark.parametrize("source", ["manifests", "chart"])
def test_ingress_network_policy_config_and_secret(
    source: str, rendered: list[dict[str, Any]]
) -> None:
    documents = _manifests() if source == "manifests" else rendered
    (ingress,) = _by_kind(documents, "Ingress")
    assert ingress["spec"]["tls"][0]["secretName"]
    paths = {
        p["path"]: p["backend"]["service"]["name"]
        for p in ingress["spec"]["rules"][0]["http"]["paths"]
    }
    assert paths["/api"].endswith("-backend")
    assert paths["/"].endswith("-frontend")
    policies = _by_kind(documents, "NetworkPolicy")
    assert any(
        p["spec"]["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in p["spec"]
        for p in policies
    )
    (config,) = _by_kind(documents, "ConfigMap")
    assert config["data"]["DEBUG"] == "false"
    (secret,) = _by_kind(documents, "Secret")
    assert set(secret["stringData"]) >= {
        "DATABASE_URL",
        "VEELOCITY_ENCRYPTION_KEY",
        "JWT_SECRET_KEY",
    }
    assert not set(config["data"]) & {"DATABASE_URL", "VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY"}


def test_the_chart_refuses_to_render_without_its_secrets() -> None:
    with pytest.raises(helm.HelmError, match=r"secrets\.encryptionKey"):
        _render({"secrets": {"databaseUrl": "postgresql://x@y/z", "jwtSecretKey": "j"}})


def test_the_chart_can_use_an_existing_secret_and_no_ingress() -> None:
    documents = _render({"secrets": {"existingSecret": "mine"}, "ingress": {"enabled": False}})
    assert _by_kind(documents, "Secret") == []
    assert _by_kind(documents, "Ingress") == []
    backend = next(
        d for d in _by_kind(documents, "Deployment") if "backend" in d["metadata"]["name"]
    )
    refs = backend["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert {"secretRef": {"name": "mine"}} in refs
    _validate(documents)


def test_fly_config_migrates_on_release_and_checks_health() -> None:
    config = tomllib.loads((INFRA / "fly" / "fly.toml").read_text())
    assert config["deploy"]["release_command"] == "veelocity migrate"
    service = config["http_service"]
    assert service["internal_port"] == 8000
    assert service["force_https"] is True
    assert service["auto_stop_machines"] == "stop"
    assert service["auto_start_machines"] is True
    (check,) = service["checks"]
    assert (check["method"], check["path"]) == ("GET", "/api/v1/health")
    assert config["env"]["DEBUG"] == "false"
    assert not {"VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY", "DATABASE_URL"} & set(config["env"])


def test_the_docs_say_how_the_chart_is_rendered_in_tests() -> None:
    guide = (INFRA.parent / "docs" / "deployment.md").read_text()
    assert "helm-python-sdk" in guide
    assert "kubernetes-validate" in guide
    assert Path(CHART / "Chart.yaml").is_file()
