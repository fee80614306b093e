"""Logs: JSON lines with the request id, the level honoured, hostile input kept on one line."""

import json
import logging

import pytest
from fastapi.testclient import TestClient


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_request_log_line_carries_the_request_id(
    client: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/api/v1/health")
    lines = _json_lines(capfd.readouterr().err)
    request_lines = [
        rec
        for rec in lines
        if rec.get("event") == "request" and rec.get("path") == "/api/v1/health"
    ]
    assert request_lines, lines
    assert request_lines[-1]["request_id"] == response.headers["x-request-id"]
    assert request_lines[-1]["status"] == 200


def test_hostile_user_names_stay_one_escaped_field(
    client: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import setup_admin

    setup_admin(client)
    capfd.readouterr()
    client.post(
        "/api/v1/auth/login",
        json={"email": 'evil\n{"level":"critical"}\x1b[31m@x.io', "password": "nope"},
    )
    err = capfd.readouterr().err
    for line in err.splitlines():
        if line.strip():
            json.loads(line)  # every line is a whole JSON record
    assert "\x1b" not in err


def test_log_level_filters(make_client, capfd: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    client = make_client(log_level="WARNING")
    capfd.readouterr()
    client.get("/api/v1/health")
    assert not [rec for rec in _json_lines(capfd.readouterr().err) if rec.get("event") == "request"]
    assert logging.getLogger().level == logging.WARNING


def test_query_strings_and_tokens_never_reach_the_log(
    client: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import PASSWORD, setup_admin

    headers = setup_admin(client)
    client.get("/api/v1/audit?page=1&token=should-not-appear", headers=headers)
    err = capfd.readouterr().err
    assert "should-not-appear" not in err
    assert headers["Authorization"].split()[1] not in err
    assert PASSWORD not in err


def test_console_tracebacks_do_not_print_local_variables(
    make_settings, capfd: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from veelocity.core.logging import configure_logging, get_logger

    configure_logging(make_settings(log_format="console"))
    capfd.readouterr()

    def call_upstream() -> None:
        token = "ghp_localVariableMustNotBeLogged0123456789"
        raise RuntimeError(f"upstream refused ({len(token)} characters)")

    try:
        call_upstream()
    except RuntimeError:
        get_logger("test").exception("sync failed")
    err = capfd.readouterr().err
    assert "sync failed" in err
    assert "RuntimeError: upstream refused" in err
    assert "ghp_localVariableMustNotBeLogged" not in err
