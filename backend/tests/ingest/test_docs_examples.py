"""The examples of docs/ingest.md, run: every HTTP request is sent as written, the CI
snippets run in a shell (with `curl` recorded instead of sent), the Argo CD template is
rendered, and the incident relay script turns sample webhooks into incidents."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.ingest.conftest import SHA_A, SHA_B, SHA_C

DOC = Path(__file__).resolve().parents[3] / "docs" / "ingest.md"
WINDOW = {"start_date": "2025-03-01", "end_date": "2026-12-31"}


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"### {title}")
    end = text.find("\n## ", start)
    following = text.find("\n### ", start + 4)
    return text[start : min(p for p in (end, following) if p != -1)]


def block_in(title: str, language: str) -> str:
    [block] = re.findall(rf"```{language}\n(.*?)```", section(title), flags=re.DOTALL)
    return block


def test_every_http_example_is_accepted_as_written(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    examples = blocks("http")
    assert len(examples) >= 6
    for example in examples:
        head, body = example.split("\n\n", 1)
        request_line, *header_lines = head.splitlines()
        method, target = request_line.split()
        headers = dict(line.split(": ", 1) for line in header_lines)
        headers["Authorization"] = ingest_headers["Authorization"]
        response = client.request(method, target, content=body.encode(), headers=headers)
        assert response.status_code == 200, (request_line, response.text)


def run_with_recorded_curl(script: str, env: dict[str, str], workdir: Path) -> dict[str, Any]:
    """Run a CI snippet in bash with `curl` recorded: (path, headers, body) it would send."""
    recorded = workdir / "curl-args"
    stub = f'curl() {{ printf "%s\\0" "$@" > {shlex.quote(str(recorded))}; }}\n'
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", stub + script],
        cwd=workdir,
        env={"PATH": os.environ["PATH"], **env},
        check=True,
        timeout=20,
    )
    args = recorded.read_text().split("\0")[:-1]
    headers = dict(
        args[i + 1].split(": ", 1) for i, arg in enumerate(args) if arg in ("-H", "--header")
    )
    [data] = [args[i + 1] for i, arg in enumerate(args) if arg in ("--data", "-d")]
    body = (workdir / data[1:]).read_text() if data.startswith("@") else data
    return {"path": urlsplit(args[-1]).path, "headers": headers, "body": body}


def send_recorded(client: TestClient, request: dict[str, Any]) -> Any:
    response = client.post(request["path"], content=request["body"], headers=request["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def test_the_jenkins_step_sends_the_deployment(
    client: TestClient, ingest_headers: dict[str, str], tmp_path: Path
) -> None:
    pipeline = block_in("Jenkins (declarative pipeline)", "groovy")
    [script] = re.findall(r"sh '''\n(.*?)'''", pipeline, flags=re.DOTALL)
    env = {
        "DEPLOY_RESULT": "FAILURE",
        "JOB_NAME": "api-deploy",
        "BUILD_NUMBER": "1842",
        "GIT_COMMIT": SHA_A,
        "DEPLOY_STARTED_AT": "2025-03-03T09:00:00Z",
        "BUILD_URL": "https://jenkins.example.com/job/api-deploy/1842/",
        "VEELOCITY_TOKEN": ingest_headers["Authorization"].removeprefix("Bearer "),
    }
    request = run_with_recorded_curl(script, env, tmp_path)
    assert request["path"] == "/api/v1/ingest/deployments"
    assert send_recorded(client, request)["created"] == 1


def test_the_gitlab_job_sends_the_deployment(
    client: TestClient, ingest_headers: dict[str, str], tmp_path: Path
) -> None:
    job = yaml.safe_load(block_in("GitLab CI", "yaml"))["deploy-production"]
    env = {
        "CI_JOB_STATUS": "success",
        "CI_JOB_ID": "88213",
        "CI_PROJECT_PATH": "acme/platform/api",
        "CI_ENVIRONMENT_NAME": "production",
        "CI_COMMIT_SHA": SHA_B,
        "CI_JOB_STARTED_AT": "2025-03-03T09:00:00Z",
        "CI_JOB_URL": "https://gitlab.example.com/acme/platform/api/-/jobs/88213",
        "VEELOCITY_INGEST_TOKEN": ingest_headers["Authorization"].removeprefix("Bearer "),
    }
    request = run_with_recorded_curl("\n".join(job["after_script"]), env, tmp_path)
    assert send_recorded(client, request)["created"] == 1


def render_go_template(template: str, context: dict[str, Any]) -> str:
    """The few Go template actions the Argo CD example uses; anything else fails the test."""

    def lookup(path: str) -> Any:
        value: Any = context
        for part in path.strip(".").split("."):
            value = value[part]
        return value

    text = re.sub(
        r'\{\{if eq (\S+) "([^"]*)"\}\}(.*?)\{\{else\}\}(.*?)\{\{end\}\}',
        lambda m: m.group(3) if lookup(m.group(1)) == m.group(2) else m.group(4),
        template,
    )
    text = re.sub(r'\{\{index (\S+) "([^"]*)"\}\}', lambda m: lookup(m.group(1))[m.group(2)], text)
    text = re.sub(r"\{\{(\.[\w.]+)\}\}", lambda m: str(lookup(m.group(1))), text)
    assert "{{" not in text, text
    return text


def test_the_argo_cd_template_renders_a_deployment(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    config = yaml.safe_load(block_in("Argo CD (notifications)", "yaml"))["data"]
    service = yaml.safe_load(config["service.webhook.veelocity"])
    webhook = yaml.safe_load(config["template.veelocity-deployment"])["webhook"]["veelocity"]
    app = {
        "metadata": {
            "name": "api-production",
            "annotations": {"veelocity.example.com/repository": "acme/api"},
        },
        "spec": {"destination": {"namespace": "production"}},
        "status": {
            "operationState": {
                "phase": "Succeeded",
                "startedAt": "2025-03-03T09:00:00Z",
                "finishedAt": "2025-03-03T09:04:10Z",
                "syncResult": {"revision": SHA_C},
            }
        },
    }
    body = render_go_template(webhook["body"], {"app": app})
    path = urlsplit(service["url"]).path + webhook["path"]
    response = client.request(
        webhook["method"],
        path,
        content=body,
        headers={**ingest_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1


PAGERDUTY_TRIGGERED = {
    "event": {
        "id": "01DEN2IU6ANG1VJ1WOLCKH8QWF",
        "event_type": "incident.triggered",
        "resource_type": "incident",
        "occurred_at": "2025-03-03T10:15:00.000Z",
        "data": {
            "id": "Q1ZT8H",
            "type": "incident",
            "html_url": "https://acme.pagerduty.com/incidents/Q1ZT8H",
            "number": 2041,
            "status": "triggered",
            "title": "Checkout errors",
            "created_at": "2025-03-03T10:15:00Z",
            "service": {"id": "PF9KMXH", "summary": "checkout", "type": "service_reference"},
            "priority": {"id": "P53ZZH5", "summary": "P2", "type": "priority_reference"},
            "urgency": "high",
        },
    }
}
OPSGENIE_CLOSE = {
    "action": "Close",
    "alert": {
        "alertId": "8418d193-2dab-4490-b331-8c02cdd196b7",
        "message": "Search timeouts",
        "tags": [],
        "tinyId": "39",
        "entity": "search",
        "priority": "P3",
        "createdAt": 1741082400000,
        "updatedAt": 1741086000000000000,
    },
    "source": {"name": "", "type": "API"},
}


def test_the_incident_relay_turns_webhooks_into_incidents(
    client: TestClient,
    ingest_headers: dict[str, str],
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    relay: dict[str, Any] = {"__name__": "relay"}
    exec(block_in("Incidents from PagerDuty or Opsgenie (a webhook relay)", "python"), relay)  # noqa: S102
    monkeypatch.setenv("SERVICE_REPOSITORIES", "checkout=acme/api")
    resolved = {
        "event": {
            **PAGERDUTY_TRIGGERED["event"],
            "event_type": "incident.resolved",
            "occurred_at": "2025-03-03T11:02:00Z",
        }
    }
    for webhook in (PAGERDUTY_TRIGGERED, resolved, OPSGENIE_CLOSE):
        incident = relay["to_incident"](webhook)
        response = client.post("/api/v1/ingest/incidents", json=incident, headers=ingest_headers)
        assert response.status_code == 200, response.text
    assert relay["to_incident"]({"event": {"event_type": "incident.acknowledged"}}) is None

    listed = client.get("/api/v1/incidents", params=WINDOW, headers=admin_headers).json()
    found = {(i["source"], i["external_id"]): i for i in listed["items"]}
    pagerduty = found["pagerduty", "Q1ZT8H"]
    assert (pagerduty["repository"], pagerduty["severity"]) == ("acme/api", "P2")
    assert (pagerduty["started_at"], pagerduty["resolved_at"]) == (
        "2025-03-03T10:15:00Z",
        "2025-03-03T11:02:00Z",
    )
    opsgenie = found["opsgenie", "8418d193-2dab-4490-b331-8c02cdd196b7"]
    assert (opsgenie["service"], opsgenie["started_at"], opsgenie["resolved_at"]) == (
        "search",
        "2025-03-04T10:00:00Z",
        "2025-03-04T11:00:00Z",
    )
